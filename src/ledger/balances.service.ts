import type { TransactionRunner } from '../database/transaction-runner';
import { AccountBalances, zeroBalances } from './balances';
import { WalletEntity } from './entities/wallet.entity';
import { balancesOfAccounts } from './ledger.service';
import { WalletKind } from './ledger.enums';

export class BalancesService {
  constructor(private readonly runner: TransactionRunner) {}

  /** Balances of many accounts in one statement (the dataloader's batch function). */
  async balancesOf(accountIds: readonly string[]): Promise<AccountBalances[]> {
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
