import DataLoader from 'dataloader';
import type { AccountEntity } from '../accounts/entities/account.entity';
import type { BillingInfoEntity } from '../accounts/entities/billing-info.entity';
import type { AccountBalances } from '../ledger/balances';
import type { MovementSourceRow, SourcedMovement } from '../balances/history/sources/movement-sources.service';
import type { NextExpiry } from '../promotions/promotional-grants.service';
import type { ReportPeriodInput } from '../reports/report-period';
import type { AccountsService } from '../accounts/accounts.service';
import type { BalancesService } from '../balances/balances.service';
import type { MovementSourcesService } from '../balances/history/sources/movement-sources.service';
import type { PromotionalGrantsService } from '../promotions/promotional-grants.service';
import type { ReportsService } from '../reports/reports.service';

/**
 * Per-request batching: every account, balance or billing lookup in one GraphQL request that
 * happens in the same tick becomes one SQL statement, so a page costs a constant number of them.
 */
export interface Loaders {
  account: DataLoader<string, AccountEntity | null>;
  balances: DataLoader<string, AccountBalances>;
  billingInfo: DataLoader<string, BillingInfoEntity | null>;
  /** Balances.nextExpiry. Not cached: a subscription's context lives across events. */
  nextExpiry: DataLoader<string, NextExpiry | null>;
  /** The business row behind a credit-history row (CreditMovement.source): one lookup per kind per page. */
  movementSource: DataLoader<SourcedMovement, MovementSourceRow | null, string>;
  /** Usage over a period, one loader per distinct period in the request. */
  usageIn(period: ReportPeriodInput): DataLoader<string, bigint>;
}

/** The batch reads behind the loaders. */
export interface LoaderServices {
  accounts: Pick<AccountsService, 'findByIds' | 'billingInfoByAccountIds'>;
  balances: Pick<BalancesService, 'balancesOf'>;
  movementSources: Pick<MovementSourcesService, 'sourcesOf'>;
  promotionalGrants: Pick<PromotionalGrantsService, 'nextExpiryOf'>;
  reports: Pick<ReportsService, 'usageTotals'>;
}

export function createLoaders(services: LoaderServices): Loaders {
  const usageByPeriod = new Map<string, DataLoader<string, bigint>>();
  return {
    usageIn(period) {
      const key = JSON.stringify([period.from, period.to]);
      let loader = usageByPeriod.get(key);
      if (!loader) {
        loader = new DataLoader((ids) => services.reports.usageTotals(ids, period));
        usageByPeriod.set(key, loader);
      }
      return loader;
    },
    account: new DataLoader(async (ids) => {
      const rows = await services.accounts.findByIds(ids);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    balances: new DataLoader((ids) => services.balances.balancesOf(ids)),
    movementSource: new DataLoader((movements) => services.movementSources.sourcesOf(movements), {
      cacheKeyFn: (movement) => `${movement.accountId}:${movement.transactionId}`,
    }),
    nextExpiry: new DataLoader((ids) => services.promotionalGrants.nextExpiryOf(ids), { cache: false }),
    billingInfo: new DataLoader(async (ids) => {
      const rows = await services.accounts.billingInfoByAccountIds(ids);
      const byId = new Map(rows.map((row) => [row.accountId, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
