import { EntityManager } from 'typeorm';
import { isConnectionFailure } from '../../src/database/database-errors';
import { type BatchOutcome, GroupCommit } from '../../src/database/group-commit';
import { isRetryableDatabaseError, TransactionRunner } from '../../src/database/transaction-runner';

type Work = (manager: EntityManager) => Promise<unknown>;

/**
 * Group commit for units of work that know nothing of each other (a hot account's postings, say):
 * each unit runs inside its own savepoint, so a refused unit (insufficient credits, a replayed key)
 * rolls back only itself. A unit that hits a deadlock or lock timeout aborts the whole batch, which
 * the runner then retries whole (InnoDB has already rolled the transaction back; savepoints do not
 * survive that). Work that can be done set-wise uses `GroupCommit` with its own handler instead.
 */
export class TransactionBatcher {
  private readonly group: GroupCommit<Work, unknown>;

  constructor(runner: TransactionRunner) {
    this.group = new GroupCommit(runner, runUnits);
  }

  run<T>(key: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.group.submit(key, work) as Promise<T>;
  }
}

async function runUnits(manager: EntityManager, batch: Work[]): Promise<BatchOutcome<unknown>[]> {
  // A lone unit needs no savepoint: its failure rolls back the whole transaction, and the caller
  // rejects it with that error.
  if (batch.length === 1) return [{ ok: true, value: await batch[0](manager) }];
  const outcomes: BatchOutcome<unknown>[] = [];
  for (const work of batch) {
    try {
      outcomes.push({ ok: true, value: await manager.transaction((inner) => work(inner)) });
    } catch (error) {
      // A lost connection, like a lock conflict, dooms the whole transaction: let the runner decide.
      if (isRetryableDatabaseError(error) || isConnectionFailure(error)) throw error;
      outcomes.push({ ok: false, error });
    }
  }
  return outcomes;
}
