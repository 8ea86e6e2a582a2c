import DataLoader from 'dataloader';
import { defineModule } from '../feature-module';
import type { AccountBalances } from '../ledger/balances';
import { BalanceCache, BalanceCacheInvalidation } from './balance-cache';
import { BalancesService } from './balances.service';

declare module '../feature-module' {
  interface FeatureServices {
    balances: BalancesService;
  }
}

declare module '../graphql/loaders' {
  interface Loaders {
    balances: DataLoader<string, AccountBalances>;
  }
}

/**
 * The read side of balances: one service, a process-local cache that every posting invalidates,
 * and the per-request loader. Reads expire due promotional grants first (promotions is listed before).
 */
export const balancesModule = defineModule({
  name: 'balances',
  create: ({ config, runner, expiry }) => {
    const cache = new BalanceCache(config.balanceCacheMs);
    const balances = new BalancesService(runner, cache, (accountIds) => expiry.expireDueGrantsOf(accountIds));
    return {
      services: { balances },
      projections: [new BalanceCacheInvalidation(runner, cache)],
      loaders: () => ({ balances: new DataLoader((ids) => balances.balancesOf(ids)) }),
    };
  },
});
