import { BalanceLowConsumer } from '../balance-thresholds/balance-low.consumer';
import { BalanceThresholdsService } from '../balance-thresholds/balance-thresholds.service';
import type { Logger } from '../common/logger';
import type { Config } from '../config';
import type { TransactionRunner } from '../database/transaction-runner';
import type { OutboxService } from '../notifications/outbox.service';
import type { DestinationPolicy } from './destination-guard';
import { WebhookDeliveriesConsumer } from './webhook-deliveries.consumer';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhookEndpointsService } from './webhook-endpoints.service';

export interface AutomationServices {
  balanceThresholds: BalanceThresholdsService;
  webhookEndpoints: WebhookEndpointsService;
  webhookWorker: WebhookDeliveryWorker;
}

/**
 * Wires thresholds and webhooks onto the outbox. The balance-low consumer goes first, so the
 * BALANCE_LOW rows it writes are themselves outbox events that the webhook consumer turns into
 * deliveries on a following batch.
 */
export function createAutomation(dependencies: { config: Config; runner: TransactionRunner; outbox: OutboxService; logger: Logger }): AutomationServices {
  const { config, runner, outbox, logger } = dependencies;
  // Production refuses loopback too; elsewhere a local receiver (the demo, the tests) is allowed.
  const destinationPolicy: DestinationPolicy = { allowLoopback: config.environment !== 'production' };
  const webhookWorker = new WebhookDeliveryWorker({
    runner,
    outbox,
    logger: logger.child({ component: 'webhook-delivery' }),
    config: config.automation,
    destinationPolicy,
  });
  const wakeWorker = () => webhookWorker.kick();
  outbox.addConsumer(new BalanceLowConsumer(outbox));
  outbox.addConsumer(new WebhookDeliveriesConsumer(wakeWorker));
  return {
    balanceThresholds: new BalanceThresholdsService(runner, config.automation.maxBalanceThresholdsPerAccount),
    webhookEndpoints: new WebhookEndpointsService(runner, config.automation, destinationPolicy, wakeWorker, outbox),
    webhookWorker,
  };
}
