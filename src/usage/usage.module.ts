import { defineModule } from '../feature-module';
import { AccountDepletedResolver } from './account-depleted.resolver';
import { USAGE_ENTITIES } from './usage.entities';
import { UsageResolver } from './usage.resolver';
import { UsageService } from './usage.service';

declare module '../feature-module' {
  interface FeatureServices {
    usage: UsageService;
  }
}

/** Metered usage: debits from the metering service, and the account-depleted subscription. */
export const usageModule = defineModule({
  name: 'usage',
  entities: USAGE_ENTITIES,
  resolvers: [UsageResolver, AccountDepletedResolver],
  create: ({ runner, ledger, expiry }) => ({ services: { usage: new UsageService(runner, ledger, expiry) } }),
});
