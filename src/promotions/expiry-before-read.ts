import type { TransactionRunner } from '../database/transaction-runner';
import type { BalanceCache } from '../balances/balance-cache';
import type { AccountBalances } from '../ledger/balances';
import { BalancesService } from '../balances/balances.service';
import { BackwardPaging, CreditHistoryFilter, CreditHistoryPage, CreditHistoryService } from '../balances/history/credit-history.service';
import type { ExpiryService } from './expiry.service';

/**
 * Balances that never include promotional credits past their expiry: the accounts' due grants are
 * expired first (one indexed query when nothing is due). Wired in the composition root in place of
 * the plain service, so every reader — the per-request dataloader included — gets it.
 */
export class ExpiringBalancesService extends BalancesService {
  constructor(
    runner: TransactionRunner,
    private readonly expiry: ExpiryService,
    cache?: BalanceCache,
  ) {
    super(runner, cache);
  }

  override async balancesOf(accountIds: readonly string[]): Promise<AccountBalances[]> {
    await this.expiry.expireDueGrantsOf(accountIds);
    return super.balancesOf(accountIds);
  }
}

/** Credit history that already shows the PROMOTIONAL_EXPIRY rows of grants that are due. */
export class ExpiringCreditHistoryService extends CreditHistoryService {
  constructor(
    runner: TransactionRunner,
    private readonly expiry: ExpiryService,
    maxPageSize?: number,
  ) {
    super(runner, maxPageSize);
  }

  override async page(
    accountId: string,
    filter: CreditHistoryFilter,
    first: number | null | undefined,
    after: string | null | undefined,
    backward: BackwardPaging = {},
  ): Promise<CreditHistoryPage> {
    await this.expiry.expireDueGrantsOf([accountId]);
    return super.page(accountId, filter, first, after, backward);
  }
}
