import { defineModule } from '../../feature-module';
import { CreditHistoryProjection } from './credit-history.projection';
import { CreditHistoryResolver } from './credit-history.resolver';
import { CreditHistoryService } from './credit-history.service';
import { AccountMovementEntity } from './entities/account-movement.entity';

declare module '../../feature-module' {
  interface FeatureServices {
    creditHistory: CreditHistoryService;
  }
}

/** The credit-history read model: one row per account and posting, written as a projection of the ledger. */
export const creditHistoryModule = defineModule({
  name: 'credit-history',
  entities: [AccountMovementEntity],
  resolvers: [CreditHistoryResolver],
  create: ({ config, runner, expiry }) => ({
    services: {
      creditHistory: new CreditHistoryService(runner, config.requestLimits.maxPageSize, (accountId) => expiry.expireDueGrantsOf([accountId])),
    },
    projections: [new CreditHistoryProjection()],
  }),
});
