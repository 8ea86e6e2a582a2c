import type { Logger } from '../common/logger';
import type { Config } from '../config';
import type { TransactionRunner } from '../database/transaction-runner';
import type { OutboxService } from '../notifications/outbox.service';
import type { CardSetupGateway } from '../payment-providers/payment-provider';
import type { PaymentLifecycle } from '../top-ups/payment-lifecycle';
import type { PublicUrls, TopUpsService } from '../top-ups/top-ups.service';
import { AutoRechargeChargeWorker } from './auto-recharge-charge.worker';
import { AutoRechargeConsumer } from './auto-recharge.consumer';
import { AutoRechargeService } from './auto-recharge.service';
import { SavedPaymentMethodsService } from './saved-payment-methods.service';

export interface AutoRechargeServices {
  savedPaymentMethods: SavedPaymentMethodsService;
  autoRecharge: AutoRechargeService;
  autoRechargeWorker: AutoRechargeChargeWorker;
}

/**
 * Wires auto-recharge onto the outbox: its consumer fires rules from committed BALANCE_CHANGED
 * events and follows their top-ups' TOP_UP_STATUS_CHANGED events; the worker charges what fired.
 */
export function createAutoRecharge(dependencies: {
  config: Config;
  runner: TransactionRunner;
  outbox: OutboxService;
  topUps: TopUpsService;
  paymentLifecycle: PaymentLifecycle;
  publicUrls: PublicUrls;
  gateway: CardSetupGateway;
  logger: Logger;
}): AutoRechargeServices {
  const { config, runner, outbox, topUps, paymentLifecycle, publicUrls } = dependencies;
  const logger = dependencies.logger.child({ component: 'auto-recharge' });
  const autoRechargeWorker = new AutoRechargeChargeWorker({ runner, payments: paymentLifecycle, logger, pollIntervalMs: config.outboxPollIntervalMs });
  outbox.addConsumer(
    new AutoRechargeConsumer({
      outbox,
      topUps,
      settings: { ...config.autoRecharge, minimumMicros: config.payments.minimumMicros },
      returnUrl: () => `${publicUrls.baseUrl()}/`,
      wakeWorker: () => autoRechargeWorker.kick(),
    }),
  );
  return {
    savedPaymentMethods: new SavedPaymentMethodsService({ runner, gateway: dependencies.gateway, outbox, logger }),
    autoRecharge: new AutoRechargeService({ runner, minimumMicros: config.payments.minimumMicros }),
    autoRechargeWorker,
  };
}
