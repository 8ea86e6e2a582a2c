import { DataSource, EntityManager } from 'typeorm';
import type { MysqlDataSourceOptions } from 'typeorm/driver/mysql/MysqlDataSourceOptions';
import type { DependencyOutages } from '../common/dependency-outages';
import type { DatabaseConfig } from '../config';
import type { TransactionRunner } from './transaction-runner';

/** The replica reads' name among the watchers of the replica. */
const WATCHER = 'replica reads';

/** After a connection failure the replica is left alone this long; reads go to the primary meanwhile. */
export const REPLICA_RETRY_AFTER_MS = 5_000;
/** A replica host that does not answer must not hold a history page for mysql2's default 10 s. */
const REPLICA_CONNECT_TIMEOUT_MS = 2_000;

/** Errors that say the replica is unreachable or its connection died, not that the query was wrong. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
]);

export function isReplicaConnectionFailure(error: unknown): boolean {
  const candidates = [error, (error as { driverError?: unknown })?.driverError];
  return candidates.some((candidate) => {
    const { code, fatal } = (candidate ?? {}) as { code?: string; fatal?: boolean };
    return fatal === true || (code !== undefined && CONNECTION_ERROR_CODES.has(code));
  });
}

/**
 * Reads that may run on a read replica: credit history, the partner reports and their CSV files.
 * Nothing else comes here (README "Read replica" says why each path reads where it does).
 *
 * A second TypeORM data source on `DATABASE_REPLICA_URL`, not TypeORM's `replication` option: that
 * option turns the primary's pool into a mysql2 PoolCluster, which (1) removes the primary node for
 * good after five failed connection attempts in a row, (2) takes away the plain pool the prepared
 * balance read uses, and (3) by default sends every `find()` outside a transaction to the replica,
 * so money paths would depend on the replica. Here the primary stays exactly as it is without a
 * replica, and only the reads named above ever touch this one.
 *
 * The replica failing never fails a read: an unreachable replica (at start-up or later), or a
 * connection that dies under a query, sends that read and every replica read for the next
 * REPLICA_RETRY_AFTER_MS to the primary, with one log line per outage. A replica that lags is
 * still used: history and reports may then be behind by the lag, while balances and every money
 * path read the primary and are never behind.
 */
export class ReplicaReads {
  private dataSource: DataSource | null = null;
  private connecting: Promise<DataSource> | null = null;
  private unavailableUntil = 0;
  private closed = false;

  /**
   * `primaryOptions`: the primary's data source options; the replica gets the same entities and
   * settings. `outages` gets one line when the replica is lost and one when it answers again.
   */
  constructor(
    private readonly primaryOptions: MysqlDataSourceOptions,
    private readonly replicaUrl: string,
    private readonly outages: DependencyOutages,
  ) {}

  /** Connects at start-up; a replica that is down then is only logged (reads use the primary until it answers). */
  async start(): Promise<void> {
    try {
      await this.connected();
    } catch (error) {
      this.markUnavailable(error);
    }
  }

  /** Runs `work` on the replica, or runs `onPrimary` when the replica is unavailable. */
  async read<T>(work: (manager: EntityManager) => Promise<T>, onPrimary: () => Promise<T>): Promise<T> {
    if (this.closed || Date.now() < this.unavailableUntil) return onPrimary();
    let result: T;
    try {
      const replica = await this.connected();
      result = await work(replica.manager);
    } catch (error) {
      if (!isReplicaConnectionFailure(error)) throw error;
      this.markUnavailable(error);
      return onPrimary();
    }
    this.outages.restored('read-replica', WATCHER);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    const dataSource = this.dataSource ?? (await this.connecting?.catch(() => null));
    if (dataSource?.isInitialized) await dataSource.destroy();
  }

  private connected(): Promise<DataSource> {
    if (this.dataSource) return Promise.resolve(this.dataSource);
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async connect(): Promise<DataSource> {
    const dataSource = new DataSource({
      ...this.primaryOptions,
      url: this.replicaUrl,
      migrations: [],
      migrationsRun: false,
      connectTimeout: Math.min(this.primaryOptions.connectTimeout ?? REPLICA_CONNECT_TIMEOUT_MS, REPLICA_CONNECT_TIMEOUT_MS),
    });
    try {
      await dataSource.initialize();
    } catch (error) {
      // initialize() may have opened the pool before failing; close it so a retry does not leak it.
      await dataSource.driver.disconnect().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await dataSource.destroy();
      throw new Error('replica reads are closed');
    }
    this.dataSource = dataSource;
    return dataSource;
  }

  private markUnavailable(error: unknown): void {
    this.unavailableUntil = Date.now() + REPLICA_RETRY_AFTER_MS;
    this.outages.lost('read-replica', WATCHER, error);
  }
}

/** Attaches a replica to the runner's `readReplica` when DATABASE_REPLICA_URL is set; a replica that is down at start-up does not stop the start. */
export async function connectReplicaReads(config: DatabaseConfig, runner: TransactionRunner): Promise<ReplicaReads | null> {
  if (config.kind !== 'mysql' || !config.replicaUrl) return null;
  const replica = new ReplicaReads(runner.dataSource.options as MysqlDataSourceOptions, config.replicaUrl, runner.outages);
  await replica.start();
  runner.useReplica(replica);
  return replica;
}
