import { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** The two database kinds: MySQL/MariaDB, or the embedded SQLite. */
export type Dialect = 'mysql' | 'sqlite';

/**
 * The one place that tells the database kinds apart. The runner exposes it as `runner.dialect`;
 * code that holds only a transaction's manager (or a query builder) asks here.
 */
export function dialectOf(source: DataSource | EntityManager): Dialect {
  const dataSource = source instanceof DataSource ? source : source.connection;
  return dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
}

/**
 * Locks the rows `query` reads for the rest of the transaction (`FOR UPDATE`) on MySQL. SQLite has
 * no row locks and needs none: the runner runs its transactions one at a time.
 */
export function lockedForUpdate<Entity extends ObjectLiteral>(query: SelectQueryBuilder<Entity>): SelectQueryBuilder<Entity> {
  return dialectOf(query.connection) === 'mysql' ? query.setLock('pessimistic_write') : query;
}

/**
 * Reads the latest committed rows and keeps them from changing for the rest of the transaction
 * (`LOCK IN SHARE MODE`) on MySQL; other readers share the lock, a writer waits. SQLite needs none.
 */
export function lockedForShare<Entity extends ObjectLiteral>(query: SelectQueryBuilder<Entity>): SelectQueryBuilder<Entity> {
  return dialectOf(query.connection) === 'mysql' ? query.setLock('pessimistic_read') : query;
}
