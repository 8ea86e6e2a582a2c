import type { DataSource } from 'typeorm';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';
import { PoolAcquireTimeoutError } from './database-errors';

type Connection = { release(): void };
type GetConnection = (callback: (error: Error | null, connection?: Connection) => void) => void;

/**
 * mysql2's pool queues a request for a connection without any time limit: when every connection
 * is held by a statement that does not come back, every new request would wait forever. This puts
 * a bound on that wait. A connection that arrives after its requester gave up goes straight back
 * to the pool. Everything that takes a connection (TypeORM's query runners, `pool.execute`) goes
 * through `getConnection`, so one wrapper covers all of it.
 */
export function boundPoolAcquisition(dataSource: DataSource, acquireTimeoutMs: number): void {
  const pool = (dataSource.driver as MysqlDriver).pool as { getConnection: GetConnection } | undefined;
  if (!pool) return;
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = (callback) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      callback(new PoolAcquireTimeoutError(acquireTimeoutMs));
    }, acquireTimeoutMs);
    getConnection((error, connection) => {
      if (settled) {
        connection?.release();
        return;
      }
      settled = true;
      clearTimeout(timer);
      callback(error, connection);
    });
  };
}

/**
 * Closes every idle pooled connection. Called when one of them turned out dead: the others were
 * opened in the same era (before a failover, a restart, a dropped link) and are most likely dead
 * too, so the retry that follows gets a freshly opened connection instead of the next corpse.
 */
export function evictIdleConnections(dataSource: DataSource): void {
  const pool = (dataSource.driver as MysqlDriver).pool as { _freeConnections?: { length: number; shift(): { destroy(): void } | undefined } } | undefined;
  const idle = pool?._freeConnections;
  if (!idle) return;
  const connections: { destroy(): void }[] = [];
  while (idle.length > 0) connections.push(idle.shift()!);
  for (const connection of connections) connection.destroy();
}
