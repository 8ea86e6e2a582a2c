import type { OutboxEvent } from '../../common/event-definition';
import { WebhookEventType } from './webhook.enums';

/** What every delivery's body is (SPEC section 12). Money is a decimal string like the GraphQL Credits scalar. */
export interface WebhookEnvelope {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  accountId: string;
  data: Record<string, unknown>;
}

export const webhookEventId = (outboxEventId: number) => `evt_${outboxEventId}`;

/**
 * The envelope of an outbox event, or null when no webhook announces it (e.g. a usage movement):
 * what the webhook carries is the event type's (its definition's `webhook`, next to its schema).
 */
export function envelopeOf(event: OutboxEvent): WebhookEnvelope | null {
  const announced = event.type.webhookOf(event.payload);
  if (!announced) return null;
  return {
    id: webhookEventId(event.id),
    type: announced.type as WebhookEventType,
    createdAt: event.createdAt.toISOString(),
    accountId: announced.accountId,
    data: announced.data,
  };
}
