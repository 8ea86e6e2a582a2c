import { In } from 'typeorm';
import type { TransactionRunner } from '../database/transaction-runner';
import { AccountBalances, zeroBalances } from './balances';
import { WalletEntity } from './entities/wallet.entity';
import { balancesOfAccounts } from './ledger.service';
import { CUSTOMER_WALLET_KINDS } from './ledger.enums';

export class BalancesService {
  constructor(private readonly runner: TransactionRunner) {}

  /** Balances of many accounts in one statement (the dataloader's batch function). */
  async balancesOf(accountIds: readonly string[]): Promise<AccountBalances[]> {
    const wallets = await this.runner.read((manager) =>
      manager.find(WalletEntity, {
        select: { accountId: true, kind: true, balanceMicros: true },
        where: { accountId: In([...accountIds]), kind: In([...CUSTOMER_WALLET_KINDS]) },
      }),
    );
    const byAccount = balancesOfAccounts(wallets);
    return accountIds.map((accountId) => byAccount.get(accountId) ?? zeroBalances(accountId));
  }
}
