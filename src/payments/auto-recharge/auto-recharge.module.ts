import { defineModule } from '../../feature-module';
import { AutoRechargeOutcome } from './auto-recharge-events';
import { AutoRechargeChargeWorker } from './auto-recharge-charge.worker';
import { AutoRechargeConsumer } from './auto-recharge.consumer';
import { AUTO_RECHARGE_ENTITIES } from './auto-recharge.entities';
import { AutoRechargeResolver } from './auto-recharge.resolver';
import { AutoRechargeService } from './auto-recharge.service';
import { CARD_SETUP_WITHOUT_STRIPE, SavedPaymentMethodsService } from './saved-payment-methods.service';

declare module '../../feature-module' {
  interface FeatureServices {
    savedPaymentMethods: SavedPaymentMethodsService;
    autoRecharge: AutoRechargeService;
    autoRechargeWorker: AutoRechargeChargeWorker;
  }
}

/**
 * Auto-recharge on the outbox: its consumer fires rules from committed BALANCE_CHANGED events and
 * follows their top-ups' TOP_UP_STATUS_CHANGED events; the worker charges what fired.
 */
export const autoRechargeModule = defineModule({
  name: 'auto-recharge',
  entities: AUTO_RECHARGE_ENTITIES,
  events: [AutoRechargeOutcome],
  resolvers: [AutoRechargeResolver],
  create: ({ config, runner, outbox, topUps, paymentLifecycle, publicUrls, returnUrls, gateways, ...context }) => {
    const logger = context.logger.child({ component: 'auto-recharge' });
    const autoRechargeWorker = new AutoRechargeChargeWorker({ runner, payments: paymentLifecycle, logger, pollIntervalMs: config.outboxPollIntervalMs });
    const consumer = new AutoRechargeConsumer({
      outbox,
      topUps,
      settings: { ...config.autoRecharge, minimumMicros: config.payments.minimumMicros },
      // The console's return page: where a rule's purchase that needs 3-D Secure is finished.
      returnUrl: () => `${publicUrls.baseUrl()}/console/top-ups/return`,
      wakeWorker: () => autoRechargeWorker.kick(),
    });
    return {
      services: {
        savedPaymentMethods: new SavedPaymentMethodsService({ runner, gateway: gateways.stripe ?? CARD_SETUP_WITHOUT_STRIPE, outbox, returnUrls, logger }),
        autoRecharge: new AutoRechargeService({ runner, minimumMicros: config.payments.minimumMicros }),
        autoRechargeWorker,
      },
      consumers: [{ name: 'auto-recharge', consumer }],
      jobs: [{ name: 'auto-recharge-charge', start: () => autoRechargeWorker.start(), stop: () => autoRechargeWorker.stop() }],
    };
  },
});
