import { EntityManager, In } from 'typeorm';
import { isUniqueViolation } from '../database/transaction-runner';
import type { ConsumedOutboxEvent, OutboxConsumer } from '../notifications/outbox.service';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { envelopeOf } from './webhook-envelope';
import { WebhookDeliveryStatus, WebhookEndpointStatus, WebhookEventType } from './webhook.enums';

export const endpointEvents = (endpoint: Pick<WebhookEndpointEntity, 'events'>) => endpoint.events.split(',') as WebhookEventType[];

/**
 * Turns committed outbox events into one delivery row per subscribed ACTIVE endpoint of the event's
 * account. Only committed rows reach a consumer, so a rolled-back transaction never sends
 * anything; the unique (endpoint, event) key keeps a re-consumed event from delivering twice.
 */
export class WebhookDeliveriesConsumer implements OutboxConsumer {
  private wroteDeliveries = false;

  constructor(private readonly wakeWorker: () => void) {}

  async consume(manager: EntityManager, events: ConsumedOutboxEvent[]): Promise<void> {
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
        .filter((endpoint) => endpoint.accountId === envelope!.accountId && endpointEvents(endpoint).includes(envelope!.type))
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
    const notYetWritten = async () => {
      const existing = await manager.find(WebhookDeliveryEntity, {
        select: { endpointId: true, eventId: true },
        where: { eventId: In([...new Set(rows.map((row) => row.eventId))]) },
      });
      const seen = new Set(existing.map((row) => `${row.endpointId}:${row.eventId}`));
      return rows.filter((row) => !seen.has(`${row.endpointId}:${row.eventId}`));
    };
    let fresh = await notYetWritten();
    if (fresh.length === 0) return;
    try {
      await manager.insert(WebhookDeliveryEntity, fresh);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another drain consumed the same events at the same time (a lease that lapsed while its
      // holder was still at work): the unique key kept one delivery each. Its rows are committed
      // now (our insert waited on their key), so write only what is still missing.
      fresh = await notYetWritten();
      if (fresh.length === 0) return;
      await manager.insert(WebhookDeliveryEntity, fresh);
    }
    this.wroteDeliveries = true;
  }

  afterCommit(): void {
    if (!this.wroteDeliveries) return;
    this.wroteDeliveries = false;
    this.wakeWorker();
  }
}
