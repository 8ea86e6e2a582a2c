import { defineModule } from '../../feature-module';
import { CALLBACK_ROUTES, createWebhooksRouter } from './webhooks.router';

/**
 * The payment providers' callbacks (raw bodies for signatures: no JSON parser runs for their
 * paths), rate-limited per client IP and route. Listed after auto-recharge: a SetupIntent event
 * records a saved card.
 */
export const paymentCallbacksModule = defineModule({
  name: 'payment-callbacks',
  create: (context) => ({
    routes: () => [{ paths: CALLBACK_ROUTES, rateLimit: 'callback', handler: createWebhooksRouter(context) }],
  }),
});
