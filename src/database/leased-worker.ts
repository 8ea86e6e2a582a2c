import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { BackgroundDrain } from '../common/background-drain';
import type { Logger } from '../common/logger';
import type { TransactionRunner } from './transaction-runner';

/** Who claims (unique per claim, so a row's lease names the round that took it) and when. */
export interface Lease {
  owner: string;
  now: Date;
}

export interface LeasedWorkerOptions {
  runner: TransactionRunner;
  logger: Logger;
  pollIntervalMs: number;
  /** Logged when a background round fails as a whole (a claim that failed, or work that rethrew). */
  drainFailureMessage: string;
  /** The level of that line: `error` unless the failure is an expected outage the rows wait out (the outbox's Redis). */
  drainFailureLevel?: 'warn' | 'error';
}

/**
 * The one worker skeleton, serving the outbox relay and the webhook delivery, auto-transfer and
 * auto-recharge charge workers: claim due rows with a lease (in one transaction, through
 * `database/lease-claim.ts`), work on them, and claim again until nothing is due; on a kick at once
 * (never two rounds at the same time in one process) and on a timer for what a crashed process left
 * behind. A process that dies mid-row leaves a lease that lapses, so another process runs the row
 * again: the work must be keyed for replay.
 *
 * Its lifecycle is `start` (timer and kicks on), `drain` (everything due now has run: graceful
 * shutdown and the tests both use it) and `stop` (timer and kicks off, the round under way
 * finished; a stopped worker drains nothing, so what is due waits for the next process).
 */
export abstract class LeasedWorker<Row> {
  private readonly processId = randomUUID();
  private claimCounter = 0;
  private readonly background: BackgroundDrain;

  protected constructor(private readonly worker: LeasedWorkerOptions) {
    this.background = new BackgroundDrain(
      () => this.drainDue(),
      (error) => worker.logger[worker.drainFailureLevel ?? 'error']({ err: error }, worker.drainFailureMessage),
      // The database or Redis away: one line per outage, not one per poll; each worker class watches on its own.
      { outages: worker.runner.outages, watcher: new.target.name },
    );
  }

  /** This process's due rows, leased to `lease.owner` (inside the claim's transaction). */
  protected abstract claim(manager: EntityManager, lease: Lease): Promise<Row[]>;

  /** The work on the rows one claim won (see `RowWorker` for rows that are independent jobs). */
  protected abstract work(rows: Row[], lease: Lease): Promise<void>;

  /** Turns the timer and kicks on (again, after `stop`) and runs a round at once. */
  start(): void {
    this.background.start(this.worker.pollIntervalMs);
  }

  /** Turns the timer and kicks off and waits for the round under way. */
  stop(): Promise<void> {
    return this.background.stop();
  }

  /** Asks for a round soon (new rows are due: a commit wrote them, or a consumer woke the worker). */
  kick(): void {
    this.background.kick();
  }

  /**
   * Waits for the round under way, then runs rounds until a claim finds nothing: everything due now
   * has run. Rejects with the error of a round that failed. A stopped worker drains nothing.
   */
  drain(): Promise<void> {
    return this.background.runNow();
  }

  private async drainDue(): Promise<void> {
    while (!this.background.isStopped) {
      const lease = { owner: `${this.processId}:${++this.claimCounter}`, now: new Date() };
      const claimed = await this.worker.runner.transaction((manager) => this.claim(manager, lease));
      if (claimed.length === 0) return;
      await this.work(claimed, lease);
    }
  }
}

/**
 * A worker whose rows are independent jobs: each claimed row's `process`, `concurrency` at a time
 * (1: one after the other, in claim order).
 */
export abstract class RowWorker<Row> extends LeasedWorker<Row> {
  private readonly concurrency: number;

  /** `concurrency`: how many claimed rows run at once. */
  protected constructor(options: LeasedWorkerOptions & { concurrency: number }) {
    super(options);
    this.concurrency = options.concurrency;
  }

  /** One claimed row's work. */
  protected abstract process(row: Row): Promise<void>;

  /**
   * A row whose work threw. By default the round stops (the error is logged once and the other
   * claimed rows wait for their leases); a worker whose rows are independent logs and goes on.
   */
  protected onRowFailure(error: unknown, _row: Row): void {
    throw error;
  }

  protected work(rows: Row[]): Promise<void> {
    return forEachAtMost(this.concurrency, rows, (row) => this.process(row).catch((error) => this.onRowFailure(error, row)));
  }
}

/**
 * How long a row waits before its next try after `attempts` failed ones: `baseMs × 2^(attempts-1)`,
 * at most `maxMs`; with `jitter`, scaled by a random factor between a half and one, so that rows
 * that failed together do not all come back together.
 */
export function retryDelayMs(attempts: number, backoff: { baseMs: number; maxMs: number; jitter: boolean }): number {
  const exponential = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  return backoff.jitter ? Math.round(exponential * (0.5 + Math.random() / 2)) : exponential;
}

async function forEachAtMost<T>(limit: number, items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}
