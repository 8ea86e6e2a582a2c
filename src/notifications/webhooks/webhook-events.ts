import { z } from 'zod';
import { defineEvent, instant } from '../../common/event-definition';
import { WebhookEventType } from './webhook.enums';

/** WEBHOOK_ENDPOINT_DISABLED: an endpoint disabled after sustained failure, keyed by its account. */
export const WebhookEndpointDisabled = defineEvent({
  topic: 'WEBHOOK_ENDPOINT_DISABLED',
  version: 1,
  schema: z.object({ accountId: z.string(), endpointId: z.string(), url: z.string(), reason: z.string(), disabledAt: instant }),
  keyOf: (payload) => payload.accountId,
  webhook: ({ accountId, endpointId, url, reason, disabledAt }) => ({
    type: WebhookEventType.WEBHOOK_ENDPOINT_DISABLED,
    accountId,
    data: { endpointId, url, reason, disabledAt: disabledAt.toISOString() },
  }),
});

/** WEBHOOK_PING: a test event for one endpoint (`sendTestWebhook`), keyed by the endpoint; it moves no money. */
export const WebhookPing = defineEvent({
  topic: 'WEBHOOK_PING',
  version: 1,
  schema: z.object({ accountId: z.string(), endpointId: z.string(), requestedAt: instant }),
  keyOf: (payload) => payload.endpointId,
  webhook: ({ accountId, endpointId, requestedAt }) => ({
    type: WebhookEventType.PING,
    accountId,
    data: { endpointId, message: 'A test event from sendTestWebhook; no credits moved.', requestedAt: requestedAt.toISOString() },
  }),
});
