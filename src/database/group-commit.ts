import { EntityManager } from 'typeorm';
import { isUniqueViolation, TransactionRunner } from './transaction-runner';

/** One item's fate in a batch: its result, or the error that refused it alone. */
export type BatchOutcome<Result> = { ok: true; value: Result } | { ok: false; error: unknown };

/** Handles a whole batch in one database transaction, returning one outcome per item, in order. */
export type BatchHandler<Item, Result> = (manager: EntityManager, items: Item[]) => Promise<BatchOutcome<Result>[]>;

/** The most items one database transaction carries. */
const MAX_BATCH = 64;
/** How often a set-based batch runs again after a concurrent writer took one of its keys. */
const MAX_KEY_CONFLICT_ATTEMPTS = 3;

/**
 * Group commit. Items submitted under one key while an earlier batch for that key runs wait in
 * memory and then run together: one transaction, one call of the handler with all of them. Every
 * caller learns its own outcome only after the shared commit; a handler that throws fails the
 * whole batch (the runner has already retried deadlocks and lock timeouts whole).
 *
 * With `rerunOnKeyConflict`, a unique violation is taken to mean that a concurrent writer inserted
 * one of the batch's idempotency keys between the handler's read of the keys and its multi-row
 * insert: the batch runs again, and its read of the keys now sees that row.
 */
export class GroupCommit<Item, Result> {
  private readonly queues = new Map<string, { item: Item; resolve: (value: Result) => void; reject: (error: unknown) => void }[]>();

  constructor(
    private readonly runner: TransactionRunner,
    private readonly handler: BatchHandler<Item, Result>,
    private readonly options: {
      rerunOnKeyConflict?: boolean;
      maxBatch?: number;
      /**
       * How much of `maxBatch` one item takes (1 when absent): a bulk request that carries many
       * postings fills a transaction as much as that many single ones. An item heavier than
       * `maxBatch` runs alone; an item is never split.
       */
      weightOf?: (item: Item) => number;
    } = {},
  ) {}

  submit(key: string, item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.queues.set(key, [{ item, resolve, reject }]);
      void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    for (;;) {
      // Before each batch the queue lets the event loop take in the requests already waiting on
      // the sockets, so they join it. better-sqlite3 runs a whole transaction without waiting on
      // I/O, so without this every SQLite batch held one item; on MySQL the batches were smaller
      // than the waiting load (about 16 of 64 hot transfers; with the turn, hot transfers rose by
      // about a tenth and their p99 fell from 65 to 42 ms in the benchmark). One turn costs
      // microseconds.
      await gatherWaitingRequests();
      const queue = this.queues.get(key)!;
      if (queue.length === 0) {
        this.queues.delete(key);
        return;
      }
      const batch = queue.splice(0, this.batchLength(queue));
      try {
        const outcomes = await this.runBatch(batch.map((job) => job.item));
        outcomes.forEach((outcome, index) => (outcome.ok ? batch[index].resolve(outcome.value) : batch[index].reject(outcome.error)));
      } catch (error) {
        for (const job of batch) job.reject(error);
      }
    }
  }

  /** How many of the queue's first items fit one transaction (at least one). */
  private batchLength(queue: { item: Item }[]): number {
    const maxBatch = this.options.maxBatch ?? MAX_BATCH;
    const weightOf = this.options.weightOf;
    if (!weightOf) return maxBatch;
    let length = 0;
    let weight = 0;
    while (length < queue.length && length < maxBatch) {
      weight += weightOf(queue[length].item);
      if (length > 0 && weight > maxBatch) break;
      length++;
    }
    return length;
  }

  private async runBatch(items: Item[]): Promise<BatchOutcome<Result>[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const outcomes = await this.runner.transaction((manager) => this.handler(manager, items));
        if (outcomes.length !== items.length) throw new Error(`Invariant violated: one outcome per item (${outcomes.length} of ${items.length})`);
        return outcomes;
      } catch (error) {
        if (!this.options.rerunOnKeyConflict || !isUniqueViolation(error) || attempt >= MAX_KEY_CONFLICT_ATTEMPTS) throw error;
      }
    }
  }
}

/** One turn of the event loop, its I/O callbacks included (setImmediate runs after the poll phase). */
function gatherWaitingRequests(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
