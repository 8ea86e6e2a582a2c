import { DataSource, EntityManager } from 'typeorm';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';

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
 * The after-commit hooks of each open transaction, keyed by its query runner: shared by every
 * runner, so a hook registered by a service finds a transaction opened by any of them.
 */
const commitHooks = new WeakMap<object, Set<() => void>>();

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

  constructor(readonly dataSource: DataSource) {
    this.serialised = dataSource.options.type === 'better-sqlite3';
  }

  get dialect(): 'mysql' | 'sqlite' {
    return this.serialised ? 'sqlite' : 'mysql';
  }

  /** Runs `work` in one transaction; on MySQL retries it whole on transient lock errors. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.serialised) return this.enqueue(() => this.withCommitHooks((hooked) => this.dataSource.transaction(hooked), work));
    return this.withRetries(() => this.withCommitHooks((hooked) => this.dataSource.transaction('READ COMMITTED', hooked), work));
  }

  /**
   * Registers `hook` to run once after the transaction that `manager` belongs to commits (never if
   * it rolls back; an attempt that is retried drops the hooks it registered). Registering the same
   * function twice in one transaction runs it once, so a writer can register on every write.
   */
  afterCommit(manager: EntityManager, hook: () => void): void {
    const hooks = manager.queryRunner ? commitHooks.get(manager.queryRunner) : undefined;
    if (!hooks) throw new Error('Invariant violated: afterCommit is called inside a TransactionRunner transaction');
    hooks.add(hook);
  }

  private async withCommitHooks<T>(
    open: (work: (manager: EntityManager) => Promise<T>) => Promise<T>,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    const hooks = new Set<() => void>();
    const result = await open((manager) => {
      commitHooks.set(manager.queryRunner!, hooks);
      return work(manager);
    });
    for (const hook of hooks) hook();
    return result;
  }

  /** Runs read-only `work` outside a transaction (queued on SQLite, see above). */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.serialised) return this.enqueue(() => work(this.dataSource.manager));
    return work(this.dataSource.manager);
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
