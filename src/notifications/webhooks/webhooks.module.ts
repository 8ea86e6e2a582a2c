import { defineModule } from '../../feature-module';
import { WebhookEndpointDisabled, WebhookPing } from './webhook-events';
import type { DestinationPolicy } from './destination-guard';
import { WEBHOOK_ENTITIES } from './outbound-webhooks.entities';
import { WebhookDeliveriesConsumer } from './webhook-deliveries.consumer';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhooksResolver } from './webhooks.resolver';

declare module '../../feature-module' {
  interface FeatureServices {
    webhookEndpoints: WebhookEndpointsService;
    webhookWorker: WebhookDeliveryWorker;
  }
}

/**
 * Webhooks to the customers' systems: a consumer turns committed outbox events into deliveries and
 * a worker sends them. It runs after the balance-low consumer, so the BALANCE_LOW rows that one
 * writes are themselves outbox events this one turns into deliveries on a following batch.
 */
export const outboundWebhooksModule = defineModule({
  name: 'outbound-webhooks',
  entities: WEBHOOK_ENTITIES,
  events: [WebhookEndpointDisabled, WebhookPing],
  resolvers: [WebhooksResolver],
  create: ({ config, runner, outbox, logger }) => {
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
    return {
      services: { webhookEndpoints: new WebhookEndpointsService(runner, config.automation, destinationPolicy, wakeWorker, outbox), webhookWorker },
      consumers: [{ name: 'webhook-deliveries', after: ['balance-low'], consumer: new WebhookDeliveriesConsumer(wakeWorker) }],
      jobs: [{ name: 'webhook-delivery', start: () => webhookWorker.start(), stop: () => webhookWorker.stop() }],
    };
  },
});
