import type { Logger } from '../common/logger';
import type { TransactionRunner } from './transaction-runner';

/** When a pass failed (the database away), the next try. */
const RETRY_MS = 60_000;

/**
 * A background pass every process runs once after it starts listening (a back-fill of documents an
 * earlier release never wrote): `start` begins it, a failed pass is tried again a minute later
 * (logged unless the database outage watcher already said so), `stop` waits for the pass under way,
 * and `finished` answers what the pass did. The pass itself (`run`) checks `stopped` between batches
 * and must be safe on any number of processes at once.
 */
export abstract class StartUpPass {
  private running: Promise<number> | null = null;
  private retry: NodeJS.Timeout | null = null;
  protected stopped = false;

  protected constructor(
    protected readonly runner: TransactionRunner,
    protected readonly logger: Logger,
    private readonly failureMessage: string,
  ) {}

  /** One pass: answers how many things it did. */
  protected abstract run(): Promise<number>;

  start(): void {
    this.stopped = false;
    this.running ??= this.run().catch((error) => {
      if (!this.runner.outages.explains(error)) this.logger.error({ err: error }, this.failureMessage);
      this.retry = setTimeout(() => {
        this.running = null;
        if (!this.stopped) this.start();
      }, RETRY_MS);
      this.retry.unref();
      return 0;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.running;
  }

  /** The pass this process started (or what a pass did, once it is over). */
  finished(): Promise<number> {
    return this.running ?? Promise.resolve(0);
  }
}
