import { EntityManager } from 'typeorm';
import { isConnectionFailure } from './database-errors';
import { isRetryableDatabaseError, TransactionRunner } from './transaction-runner';

interface Job<T> {
  work: (manager: EntityManager) => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** The most units of work one database transaction carries. */
const MAX_BATCH = 64;

/**
 * Group commit for a hot account. Units of work that lock the same row (a partner's wallet, say)
 * would otherwise queue on that row lock one database transaction at a time, each paying its own
 * round trips and commit. Here, work submitted under one key while an earlier batch for that key
 * runs waits in memory and then runs together: one transaction, each unit inside its own
 * savepoint, so a refused unit (insufficient credits, a replayed key) rolls back only itself. Every
 * caller learns its own outcome only after the shared commit.
 *
 * A unit that hits a deadlock, a lock timeout or a lost connection aborts the whole batch, which the runner then retries
 * whole (InnoDB has already rolled the transaction back; savepoints do not survive that).
 */
export class TransactionBatcher {
  private readonly queues = new Map<string, Job<unknown>[]>();

  constructor(private readonly runner: TransactionRunner) {}

  run<T>(key: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const queue = this.queues.get(key);
      const job = { work, resolve, reject } as Job<unknown>;
      if (queue) {
        queue.push(job);
        return;
      }
      this.queues.set(key, [job]);
      void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    for (;;) {
      const queue = this.queues.get(key)!;
      if (queue.length === 0) {
        this.queues.delete(key);
        return;
      }
      const batch = queue.splice(0, MAX_BATCH);
      try {
        const outcomes = await this.runner.transaction((manager) => runBatch(manager, batch));
        outcomes.forEach((outcome, index) => (outcome.ok ? batch[index].resolve(outcome.value) : batch[index].reject(outcome.error)));
      } catch (error) {
        for (const job of batch) job.reject(error);
      }
    }
  }
}

async function runBatch(manager: EntityManager, batch: Job<unknown>[]): Promise<Outcome[]> {
  // A lone unit needs no savepoint: its failure rolls back the whole transaction, and the caller
  // rejects it with that error.
  if (batch.length === 1) return [{ ok: true, value: await batch[0].work(manager) }];
  const outcomes: Outcome[] = [];
  for (const job of batch) {
    try {
      outcomes.push({ ok: true, value: await manager.transaction((inner) => job.work(inner)) });
    } catch (error) {
      // A lost connection, like a lock conflict, dooms the whole transaction: let the runner decide.
      if (isRetryableDatabaseError(error) || isConnectionFailure(error)) throw error;
      outcomes.push({ ok: false, error });
    }
  }
  return outcomes;
}
