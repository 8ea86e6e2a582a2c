import { EntityManager, In } from 'typeorm';
import type { TransactionRunner } from '../database/transaction-runner';
import { BalanceCache } from './balance-cache';
import { AccountBalances, zeroBalances } from '../ledger/balances';
import { WalletEntity } from '../ledger/entities/wallet.entity';
import { balancesOfAccounts } from '../ledger/ledger.service';
import { WalletKind } from '../ledger/ledger.enums';

/**
 * Work a read waits for first: promotions expire the accounts' due grants (one indexed query when
 * nothing is due), so no reader, the per-request dataloader included, sees credits past expiry.
 */
export type BeforeBalanceRead = (accountIds: readonly string[]) => Promise<void>;

/** The one way to read balances: the cache, then one statement for the accounts it lacks. */
export class BalancesService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly cache: BalanceCache = new BalanceCache(0),
    private readonly beforeRead: BeforeBalanceRead = async () => {},
  ) {}

  /**
   * Balances of many accounts (the dataloader's batch function): those this process remembers from
   * `BalanceCache`, the others in one statement.
   */
  async balancesOf(accountIds: readonly string[]): Promise<AccountBalances[]> {
    await this.beforeRead(accountIds);
    if (!this.cache.enabled) return this.read(accountIds);
    const cached = accountIds.map((accountId) => this.cache.get(accountId));
    const missing = accountIds.filter((_accountId, index) => !cached[index]);
    if (missing.length === 0) return cached as AccountBalances[];
    const generation = this.cache.beginRead();
    const read = await this.read(missing);
    this.cache.remember(generation, read);
    const byAccount = new Map(read.map((balances) => [balances.accountId, balances]));
    return accountIds.map((accountId, index) => cached[index] ?? byAccount.get(accountId)!);
  }

  private async read(accountIds: readonly string[]): Promise<AccountBalances[]> {
    // A prepared statement rather than the query builder: this is the hottest read of the API.
    const placeholders = accountIds.map(() => '?').join(', ');
    const rows = await this.runner.selectRows<{ accountId: string; kind: WalletKind; balanceMicros: string | number }>(
      `SELECT accountId, kind, balanceMicros FROM wallet WHERE accountId IN (${placeholders}) AND kind IN ('${WalletKind.TOPUP}', '${WalletKind.PROMOTIONAL}')`,
      [...accountIds],
    );
    return inOrder(
      accountIds,
      rows.map((row) => Object.assign(new WalletEntity(), { accountId: row.accountId, kind: row.kind, balanceMicros: BigInt(row.balanceMicros) })),
    );
  }
}

/**
 * The balances as a transaction the caller holds sees them (its own writes, the rows it locked):
 * one statement on its manager, past the cache and the before-read work, for a decision or a
 * notification made in that transaction.
 */
export async function balancesWithin(manager: EntityManager, accountIds: readonly string[]): Promise<AccountBalances[]> {
  const wallets = await manager.find(WalletEntity, { where: { accountId: In([...accountIds]), kind: In([WalletKind.TOPUP, WalletKind.PROMOTIONAL]) } });
  return inOrder(accountIds, wallets);
}

/** Each account's balances in the order asked, zero for an account without wallets. */
function inOrder(accountIds: readonly string[], wallets: WalletEntity[]): AccountBalances[] {
  const byAccount = balancesOfAccounts(wallets);
  return accountIds.map((accountId) => byAccount.get(accountId) ?? zeroBalances(accountId));
}
