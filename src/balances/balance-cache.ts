import type { EntityManager } from 'typeorm';
import type { TransactionRunner } from '../database/transaction-runner';
import type { AccountBalances } from '../ledger/balances';
import type { Posting, PostingProjection } from '../ledger/posting';

/** Accounts remembered at most; past it the cache starts over (a cold cache costs one read each). */
const MAX_CACHED_ACCOUNTS = 10_000;

/**
 * Balances this process has read, until a posting that touches the account commits in this process
 * (`BalanceCacheInvalidation`, an after-commit hook of the ledger core) or `ttlMs` passes, whichever
 * comes first. Only the ledger core changes wallets, and its every posting runs the hook, so a
 * caller whose own mutation has returned never reads the balance from before it here.
 *
 * A read that raced a commit must not put the older balance back after the hook removed it: every
 * invalidation bumps a generation, a read notes the generation before it asks the database, and its
 * answer is kept only if no invalidation happened in between (it is still returned to its caller,
 * as any read concurrent with a commit may be).
 *
 * Postings committed by another process do not reach this hook: there a balance may be up to
 * `ttlMs` old. The default keeps the cache off when the processes share a Redis bus (README
 * "Configuration", BALANCE_CACHE_MS).
 */
export class BalanceCache {
  private readonly entries = new Map<string, { balances: AccountBalances; until: number }>();
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  get(accountId: string): AccountBalances | undefined {
    const entry = this.entries.get(accountId);
    if (!entry) return undefined;
    if (entry.until > this.now()) return entry.balances;
    this.entries.delete(accountId);
    return undefined;
  }

  /** Call before reading from the database; pass the result to `remember`. */
  beginRead(): number {
    return this.generation;
  }

  remember(readGeneration: number, balances: readonly AccountBalances[]): void {
    if (!this.enabled || readGeneration !== this.generation) return;
    if (this.entries.size + balances.length > MAX_CACHED_ACCOUNTS) this.entries.clear();
    const until = this.now() + this.ttlMs;
    for (const entry of balances) this.entries.set(entry.accountId, { balances: entry, until });
  }

  invalidate(accountIds: Iterable<string>): void {
    this.generation++;
    for (const accountId of accountIds) this.entries.delete(accountId);
  }
}

/**
 * The ledger core's projection that keeps `BalanceCache` honest: the accounts of a batch of postings
 * are forgotten right after the batch's transaction commits, before its callers get their answers
 * (a rolled-back or retried attempt registers nothing that runs).
 */
export class BalanceCacheInvalidation implements PostingProjection {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly cache: BalanceCache,
  ) {}

  async project(manager: EntityManager, postings: readonly Posting[]): Promise<void> {
    if (!this.cache.enabled) return;
    const accountIds = new Set(postings.flatMap((posting) => posting.accounts.map((account) => account.accountId)));
    this.runner.afterCommit(manager, () => this.cache.invalidate(accountIds));
  }
}
