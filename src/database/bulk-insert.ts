import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { isUniqueViolation } from './transaction-runner';

/**
 * Bound values per statement at most: SQLite's limit is 32,766, MySQL's 65,535. A larger batch is
 * split into several statements (a usage batch of thousands of events; ordinary batches are one).
 */
const MAX_PARAMETERS_PER_STATEMENT = 30_000;

/**
 * Rows of one entity in one multi-row INSERT, without reading generated values back: callers that
 * need ids read them by a unique key of their own, so nothing assumes that a multi-row insert gets
 * consecutive auto-increment ids.
 *
 * The statement is written here from the entity's metadata, each value converted by the driver as
 * TypeORM converts it for any insert (`preparePersistentValue`: column transformers, then dates,
 * booleans, JSON). TypeORM's InsertQueryBuilder did the same at a cost that grew with every value
 * (it names and looks up a parameter per value): about a seventh of the server's CPU under batched
 * transfers. Columns no row sets are left out (their database default applies); rows that set
 * different columns go through the query builder, which writes DEFAULT for the missing ones.
 */
export async function insertRows<Entity extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  rows: QueryDeepPartialEntity<Entity>[],
): Promise<void> {
  if (rows.length === 0) return;
  const metadata = manager.connection.getMetadata(target);
  const columns = metadata.columns.filter((column) => rows.some((row) => column.getEntityValue(row) !== undefined));
  if (rows.some((row) => columns.some((column) => column.getEntityValue(row) === undefined))) {
    await manager.createQueryBuilder().insert().into(target).values(rows).updateEntity(false).execute();
    return;
  }
  const { driver } = manager.connection;
  const head = `INSERT INTO ${driver.escape(metadata.tablePath)} (${columns.map((column) => driver.escape(column.databaseName)).join(', ')}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const rowsPerStatement = Math.max(1, Math.floor(MAX_PARAMETERS_PER_STATEMENT / columns.length));
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement);
    const parameters = chunk.flatMap((row) => columns.map((column: ColumnMetadata) => driver.preparePersistentValue(column.getEntityValue(row), column)));
    await manager.query(head + chunk.map(() => tuple).join(', '), parameters);
  }
}

/**
 * Inserts the rows whose unique key is not stored yet: for outbox consumers, which may see an event
 * again (after a crash) or at the same moment as another process (a lease that lapsed while its
 * holder was still at work). `storedKeys` reads the keys already there among `rows`; the unique
 * index is the guarantee, and this read only keeps a replay from tripping it. When another
 * transaction inserts some of the same keys first, our insert waits on them and fails; their rows
 * are committed by then, so reading again and inserting what is still missing succeeds. Returns how
 * many rows this call wrote.
 */
export async function insertMissingRows<Row extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Row>,
  rows: Row[],
  keys: { keyOf: (row: Row) => string; storedKeys: () => Promise<Set<string>> },
): Promise<number> {
  const missing = async () => {
    const stored = await keys.storedKeys();
    return rows.filter((row) => !stored.has(keys.keyOf(row)));
  };
  let fresh = await missing();
  if (fresh.length === 0) return 0;
  try {
    await manager.insert(target, fresh);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    fresh = await missing();
    if (fresh.length === 0) return 0;
    await manager.insert(target, fresh);
  }
  return fresh.length;
}
