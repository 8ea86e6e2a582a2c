import DataLoader from 'dataloader';
import type { AccountEntity } from '../accounts/entities/account.entity';
import type { BillingInfoEntity } from '../accounts/entities/billing-info.entity';
import type { AccountBalances } from '../ledger/balances';
import type { Services } from './services';

/**
 * Per-request batching: every account, balance or billing lookup in one GraphQL request that
 * happens in the same tick becomes one SQL statement, so a page costs a constant number of them.
 */
export interface Loaders {
  account: DataLoader<string, AccountEntity | null>;
  balances: DataLoader<string, AccountBalances>;
  billingInfo: DataLoader<string, BillingInfoEntity | null>;
}

export function createLoaders(services: Services): Loaders {
  return {
    account: new DataLoader(async (ids) => {
      const rows = await services.accounts.findByIds(ids);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    balances: new DataLoader((ids) => services.balances.balancesOf(ids)),
    billingInfo: new DataLoader(async (ids) => {
      const rows = await services.accounts.billingInfoByAccountIds(ids);
      const byId = new Map(rows.map((row) => [row.accountId, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
