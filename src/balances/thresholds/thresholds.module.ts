import { defineModule } from '../../feature-module';
import { BalanceLow } from './balance-low-events';
import { BalanceLowConsumer } from './balance-low.consumer';
import { BALANCE_THRESHOLD_ENTITIES } from './balance-thresholds.entities';
import { BalanceThresholdsResolver } from './balance-thresholds.resolver';
import { BalanceThresholdsService } from './balance-thresholds.service';

declare module '../../feature-module' {
  interface FeatureServices {
    balanceThresholds: BalanceThresholdsService;
  }
}

/** Balance thresholds: a consumer turns committed downward crossings into BALANCE_LOW events. */
export const balanceThresholdsModule = defineModule({
  name: 'balance-thresholds',
  entities: BALANCE_THRESHOLD_ENTITIES,
  events: [BalanceLow],
  resolvers: [BalanceThresholdsResolver],
  create: ({ config, runner, outbox }) => ({
    services: { balanceThresholds: new BalanceThresholdsService(runner, config.automation.maxBalanceThresholdsPerAccount) },
    consumers: [{ name: 'balance-low', consumer: new BalanceLowConsumer(outbox) }],
  }),
});
