import { DataSource, EntityManager } from 'typeorm';
import type { DependencyOutages } from '../common/dependency-outages';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';
import { classifyDatabaseError, isLockConflict, serviceUnavailable } from './database-errors';
import { evictIdleConnections } from './pool-guard';
import { type Dialect, dialectOf } from './dialect';

const MAX_ATTEMPTS = 8;
/** A unit of work that met a dead or unreachable connection runs once more, on a fresh one. */
const MAX_CONNECTION_RETRIES = 1;

/** Lock conflicts (deadlock, lock wait timeout, snapshot conflict): the whole transaction may run again. */
export const isRetryableDatabaseError = isLockConflict;

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
 * A unit that meets a dead or unreachable connection is retried once on a fresh one when that is
 * safe (see `withRetries`); otherwise, and when the retry fails too, it fails with
 * SERVICE_UNAVAILABLE (retryable) instead of an internal error.
 */
export class TransactionRunner {
  private queueTail: Promise<unknown> = Promise.resolve();
  private readonly serialised: boolean;
  private replica: ReplicaReader | null = null;

  /** The database kind, for the few statements that differ (see src/database/dialect.ts). */
  readonly dialect: Dialect;

  /**
   * `outages`: the process's view of its dependencies, carried here because every poller and job
   * holds the runner; they report database outages through it (src/common/dependency-outages.ts).
   */
  constructor(
    readonly dataSource: DataSource,
    readonly outages: DependencyOutages,
  ) {
    this.dialect = dialectOf(dataSource);
    this.serialised = this.dialect === 'sqlite';
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
    return this.withRetries(() => work(this.dataSource.manager));
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
  useReplica(replica: ReplicaReader): void {
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
    return this.withRetries(() => new Promise((resolve, reject) => pool.execute(sql, parameters, (error, rows) => (error ? reject(error) : resolve(rows)))));
  }

  /**
   * better-sqlite3 answers synchronously, so a queue of units would run as one unbroken chain of
   * microtasks, and while it lasts no socket is read or written: a backlog (an outbox drain after a
   * burst of usage, a run of transfer batches) held every other request, even `{ __typename }`, for
   * seconds. Each unit first lets the event loop take in I/O (setImmediate runs after the poll phase).
   */
  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queueTail.then(turnOfTheEventLoop).then(work);
    this.queueTail = result.catch(() => undefined);
    return result;
  }

  /**
   * Lock conflicts run again with a backoff. A connection failure runs again once, at once, and only
   * when nothing can have been committed: the failure came before the COMMIT was sent (on taking
   * the connection, at START TRANSACTION, or inside the work, and the server rolls back what a lost
   * connection left open). A connection lost during COMMIT is ambiguous (committed or not, nobody
   * here can tell), so it is not run again here: the client gets SERVICE_UNAVAILABLE and replays
   * with its idempotency key, which returns the first result if the COMMIT did land.
   */
  private async withRetries<T>(work: () => Promise<T>): Promise<T> {
    let connectionRetries = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        const kind = classifyDatabaseError(error);
        if (kind === 'connection') {
          if (connectionRetries >= MAX_CONNECTION_RETRIES || failedAtCommit(error)) throw serviceUnavailable(error);
          connectionRetries++;
          // Its idle siblings are most likely dead too: the retry gets a freshly opened connection.
          evictIdleConnections(this.dataSource);
          continue;
        }
        if (attempt >= MAX_ATTEMPTS || kind !== 'lock-conflict') throw error;
        const backoffMs = Math.min(200, 2 ** attempt) * (0.5 + Math.random());
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
      }
    }
  }
}

const turnOfTheEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** TypeORM's QueryFailedError names the statement that failed. */
function failedAtCommit(error: unknown): boolean {
  const query = (error as { query?: unknown })?.query;
  return typeof query === 'string' && /^\s*COMMIT\b/i.test(query);
}

/** Reads on a replica, falling back to the primary (src/database/replica-reads.ts implements it). */
export interface ReplicaReader {
  read<T>(work: (manager: EntityManager) => Promise<T>, onPrimary: () => Promise<T>): Promise<T>;
}
