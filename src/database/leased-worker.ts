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
  /** How many claimed rows run at once (1: one after the other, in claim order). */
  concurrency: number;
  /** Logged when a round fails as a whole (a claim that failed, or a row that rethrew). */
  drainFailureMessage: string;
}

/**
 * The one worker skeleton: claim due rows with a lease (in one transaction, through
 * `database/lease-claim.ts`), run each, and claim again until nothing is due; on a kick at once
 * (never twice at the same time) and on a timer for what a crashed process left behind. A process
 * that dies mid-row leaves a lease that lapses, so another process runs the row again: the work
 * must be keyed for replay. Webhook deliveries, auto-transfer firings and auto-recharge charges
 * extend it.
 */
export abstract class LeasedWorker<Row> {
  private readonly processId = randomUUID();
  private claimCounter = 0;
  private readonly background: BackgroundDrain;

  protected constructor(private readonly worker: LeasedWorkerOptions) {
    this.background = new BackgroundDrain(
      () => this.drainDue(),
      (error) => worker.logger.error({ err: error }, worker.drainFailureMessage),
      // The database away: one line per outage, not one per poll; each worker class watches on its own.
      { outages: worker.runner.outages, watcher: new.target.name },
    );
  }

  /** This process's due rows, leased to `lease.owner` (inside the claim's transaction). */
  protected abstract claim(manager: EntityManager, lease: Lease): Promise<Row[]>;

  /** One claimed row's work. */
  protected abstract process(row: Row): Promise<void>;

  /**
   * A row whose work threw. By default the round stops (the error is logged once and the other
   * claimed rows wait for their leases); a worker whose rows are independent logs and goes on.
   */
  protected onRowFailure(error: unknown, _row: Row): void {
    throw error;
  }

  start(): void {
    this.background.start(this.worker.pollIntervalMs);
  }

  /** Stops the timer and waits for the round under way. */
  stop(): Promise<void> {
    return this.background.stop();
  }

  /** Asks for a round soon (a consumer woke it: new rows are due). */
  kick(): void {
    this.background.kick();
  }

  /** Waits for a round under way, then runs one more: everything due now has run. */
  flush(): Promise<void> {
    return this.background.flush();
  }

  private async drainDue(): Promise<void> {
    while (!this.background.isStopped) {
      const owner = `${this.processId}:${++this.claimCounter}`;
      const claimed = await this.worker.runner.transaction((manager) => this.claim(manager, { owner, now: new Date() }));
      if (claimed.length === 0) return;
      await forEachAtMost(this.worker.concurrency, claimed, (row) => this.process(row).catch((error) => this.onRowFailure(error, row)));
    }
  }
}

async function forEachAtMost<T>(limit: number, items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}
