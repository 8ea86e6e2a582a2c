import { EntityManager, In } from 'typeorm';
import { insertMissingRows } from '../../database/bulk-insert';
import type { OutboxEvent } from '../../common/event-definition';
import type { OutboxConsumer } from '../outbox.service';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { envelopeOf, type WebhookEnvelope } from './webhook-envelope';
import { WebhookPing } from './webhook-events';
import { WebhookDeliveryStatus, WebhookEndpointStatus, WebhookEventType } from './webhook.enums';

export const endpointEvents = (endpoint: Pick<WebhookEndpointEntity, 'events'>) => endpoint.events.split(',') as WebhookEventType[];

/** A PING goes to the one endpoint it was sent to, subscribed or not; any other event to the endpoints subscribed to its type. */
function isFor(endpoint: Pick<WebhookEndpointEntity, 'id' | 'events'>, envelope: WebhookEnvelope, event: OutboxEvent): boolean {
  if (WebhookPing.matches(event)) return endpoint.id === event.payload.endpointId;
  return endpointEvents(endpoint).includes(envelope.type);
}

/**
 * Turns committed outbox events into one delivery row per subscribed ACTIVE endpoint of the event's
 * account. Only committed rows reach a consumer, so a rolled-back transaction never sends
 * anything; the unique (endpoint, event) key keeps a re-consumed event from delivering twice.
 */
export class WebhookDeliveriesConsumer implements OutboxConsumer {
  private wroteDeliveries = false;

  constructor(private readonly wakeWorker: () => void) {}

  async consume(manager: EntityManager, events: OutboxEvent[]): Promise<void> {
    const envelopes = events.map((event) => ({ event, envelope: envelopeOf(event) })).filter((item) => item.envelope !== null);
    if (envelopes.length === 0) return;
    const accountIds = [...new Set(envelopes.map(({ envelope }) => envelope!.accountId))];
    const endpoints = await manager.find(WebhookEndpointEntity, {
      select: { id: true, accountId: true, events: true },
      where: { accountId: In(accountIds), status: WebhookEndpointStatus.ACTIVE },
    });
    if (endpoints.length === 0) return;

    const now = new Date();
    const rows = envelopes.flatMap(({ event, envelope }) =>
      endpoints
        .filter((endpoint) => endpoint.accountId === envelope!.accountId && isFor(endpoint, envelope!, event))
        .map((endpoint) => ({
          endpointId: endpoint.id,
          eventId: event.id,
          eventType: envelope!.type,
          body: JSON.stringify(envelope),
          status: WebhookDeliveryStatus.PENDING,
          attempts: 0,
          nextAttemptAt: now,
          retryWindowStartedAt: null,
          createdAt: now,
        })),
    );
    if (rows.length === 0) return;
    const written = await insertMissingRows(manager, WebhookDeliveryEntity, rows as WebhookDeliveryEntity[], {
      keyOf: (row) => `${row.endpointId}:${row.eventId}`,
      storedKeys: async () => {
        const existing = await manager.find(WebhookDeliveryEntity, {
          select: { endpointId: true, eventId: true },
          where: { eventId: In([...new Set(rows.map((row) => row.eventId))]) },
        });
        return new Set(existing.map((row) => `${row.endpointId}:${row.eventId}`));
      },
    });
    if (written === 0) return;
    this.wroteDeliveries = true;
  }

  afterCommit(): void {
    if (!this.wroteDeliveries) return;
    this.wroteDeliveries = false;
    this.wakeWorker();
  }
}
