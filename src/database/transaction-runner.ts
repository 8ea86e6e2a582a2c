import { DataSource, EntityManager } from 'typeorm';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';
import type { ReplicaReads } from './replica-reads';

/** MySQL/MariaDB errors after which the whole transaction can safely run again. */
const RETRYABLE_MYSQL_ERRNOS = new Set([
  1213, // ER_LOCK_DEADLOCK
  1205, // ER_LOCK_WAIT_TIMEOUT
  1020, // ER_CHECKREAD: record changed since last read (innodb_snapshot_isolation)
]);
const MAX_ATTEMPTS = 8;

export function isRetryableDatabaseError(error: unknown): boolean {
  const errno = (error as { errno?: number; driverError?: { errno?: number } })?.errno
    ?? (error as { driverError?: { errno?: number } })?.driverError?.errno;
  return errno !== undefined && RETRYABLE_MYSQL_ERRNOS.has(errno);
}

export function isUniqueViolation(error: unknown): boolean {
  const driverError = (error as { driverError?: { errno?: number; code?: string } })?.driverError ?? error;
  const { errno, code } = driverError as { errno?: number; code?: string };
  return errno === 1062 || code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * The one way the code touches the database.
 *
 * On SQLite TypeORM shares a single better-sqlite3 connection: overlapping transactions would
 * interleave on it, and a read between two statements of a transaction would see its uncommitted
 * writes. So on SQLite every unit of work, reads included, runs one at a time through a queue.
 *
 * On MySQL each transaction runs at READ COMMITTED (no gap locks on the unique-key inserts that
 * make idempotency work) and is retried whole on deadlock, lock-wait timeout and snapshot errors.
 */
export class TransactionRunner {
  private queueTail: Promise<unknown> = Promise.resolve();
  private readonly serialised: boolean;
  private replica: ReplicaReads | null = null;

  constructor(readonly dataSource: DataSource) {
    this.serialised = dataSource.options.type === 'better-sqlite3';
  }

  get dialect(): 'mysql' | 'sqlite' {
    return this.serialised ? 'sqlite' : 'mysql';
  }

  /** Runs `work` in one transaction; on MySQL retries it whole on transient lock errors. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.serialised) return this.enqueue(() => this.dataSource.transaction(work));
    return this.withRetries(() => this.dataSource.transaction('READ COMMITTED', work));
  }

  /** Runs read-only `work` outside a transaction (queued on SQLite, see above). */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.serialised) return this.enqueue(() => work(this.dataSource.manager));
    return work(this.dataSource.manager);
  }

  /**
   * Read-only `work` that may see data a little behind the primary: credit history, reports and
   * their CSV files, and nothing else. On the read replica when one is configured and answering,
   * otherwise exactly `read` (see src/database/replica-reads.ts). Never for balances, money paths,
   * idempotency checks or anything a transaction needs.
   */
  readReplica<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.replica) return this.read(work);
    return this.replica.read(work, () => this.read(work));
  }

  /** Points `readReplica` at a replica (the composition root does, when DATABASE_REPLICA_URL is set). */
  useReplica(replica: ReplicaReads): void {
    if (this.serialised) throw new Error('the embedded SQLite has no read replica');
    this.replica = replica;
  }

  /**
   * A read-only statement by the shortest path: on MySQL a prepared statement straight on mysql2's
   * pool (binary protocol; the server parses the SQL once per connection), skipping TypeORM's query
   * runner. For the hottest reads only; `sql` must be a constant with `?` placeholders.
   */
  selectRows<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    if (this.serialised) return this.enqueue(() => this.dataSource.query(sql, parameters));
    const pool = (this.dataSource.driver as MysqlDriver).pool as {
      execute(sql: string, values: unknown[], callback: (error: Error | null, rows: T[]) => void): void;
    };
    // Through TypeORM's logger like every other statement, so logging and statement counts see it.
    this.dataSource.logger.logQuery(sql, parameters);
    return new Promise((resolve, reject) => pool.execute(sql, parameters, (error, rows) => (error ? reject(error) : resolve(rows))));
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queueTail.then(work, work);
    this.queueTail = result.catch(() => undefined);
    return result;
  }

  private async withRetries<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isRetryableDatabaseError(error)) throw error;
        const backoffMs = Math.min(200, 2 ** attempt) * (0.5 + Math.random());
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
      }
    }
  }
}
