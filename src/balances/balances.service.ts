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
    const byAccount = balancesOfAccounts(
      rows.map((row) => Object.assign(new WalletEntity(), { accountId: row.accountId, kind: row.kind, balanceMicros: BigInt(row.balanceMicros) })),
    );
    return accountIds.map((accountId) => byAccount.get(accountId) ?? zeroBalances(accountId));
  }
}
