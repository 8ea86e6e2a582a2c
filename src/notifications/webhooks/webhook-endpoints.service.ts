import { randomUUID } from 'node:crypto';
import type { Actor } from '../../audit/actor';
import { AuditAction } from '../../audit/audit.enums';
import { recordAudit } from '../../audit/audit-recorder';
import { In, LessThan } from 'typeorm';
import type { AutomationConfig } from '../../config';
import { badInput, notFound } from '../../common/domain-error';
import type { TransactionRunner } from '../../database/transaction-runner';
import { assertAllowedDestination, DestinationPolicy } from './destination-guard';
import { WebhookDeliveryAttemptEntity } from './entities/webhook-delivery-attempt.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { newSigningSecret } from './signature';
import type { OutboxService } from '../outbox.service';
import { WebhookPing } from './webhook-events';
import { WebhookDeliveryStatus, WebhookEndpointStatus, WebhookEventType } from './webhook.enums';

const MAX_URL_LENGTH = 2048;
const MAX_DESCRIPTION_LENGTH = 200;
/** The attempts shown with each delivery (the newest). */
export const RECENT_ATTEMPTS_SHOWN = 20;

export interface EndpointChanges {
  url?: string | null;
  events?: WebhookEventType[] | null;
  description?: string | null;
  enabled?: boolean | null;
}

export interface DeliveryPage {
  deliveries: WebhookDeliveryEntity[];
  hasNextPage: boolean;
}

/** Registering, changing and reading webhook endpoints and their delivery log. Callers authorise first. */
export class WebhookEndpointsService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly config: AutomationConfig,
    private readonly destinationPolicy: DestinationPolicy,
    private readonly wakeWorker: () => void,
    private readonly outbox: Pick<OutboxService, 'emit'>,
  ) {}

  /**
   * A signed PING for one endpoint, through the ordinary path: an outbox event, committed, that the
   * deliveries consumer turns into a delivery (logged, retried, redeliverable). It moves no money.
   */
  async sendTest(endpointId: string): Promise<void> {
    await this.runner.transaction(async (manager) => {
      const endpoint = await manager.findOne(WebhookEndpointEntity, { where: { id: endpointId } });
      if (!endpoint) throw notFound(`Webhook endpoint ${endpointId}`);
      if (endpoint.status !== WebhookEndpointStatus.ACTIVE) {
        throw badInput('The endpoint is disabled; enable it with updateWebhookEndpoint(enabled: true) first.');
      }
      await this.outbox.emit(manager, WebhookPing, [{ accountId: endpoint.accountId, endpointId, requestedAt: new Date() }]);
    });
  }

  async create(
    input: {
      accountId: string;
      url: string;
      events: WebhookEventType[];
      description?: string | null;
    },
    actor: Actor,
  ): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    const url = await this.checkedUrl(input.url);
    const events = checkedEvents(input.events);
    const description = checkedDescription(input.description ?? null);
    const secret = newSigningSecret();
    const endpoint = await this.runner.transaction(async (manager) => {
      const count = await manager.count(WebhookEndpointEntity, { where: { accountId: input.accountId } });
      if (count >= this.config.maxWebhookEndpointsPerAccount) {
        throw badInput(`An account may have at most ${this.config.maxWebhookEndpointsPerAccount} webhook endpoints.`);
      }
      const now = new Date();
      const row = manager.create(WebhookEndpointEntity, {
        id: `whe_${randomUUID().replace(/-/g, '')}`,
        accountId: input.accountId,
        url,
        events: events.join(','),
        description,
        status: WebhookEndpointStatus.ACTIVE,
        secret,
        previousSecret: null,
        previousSecretExpiresAt: null,
        consecutiveFailures: 0,
        failingSince: null,
        disabledAt: null,
        disabledReason: null,
        createdAt: now,
        updatedAt: now,
      });
      await manager.insert(WebhookEndpointEntity, row);
      await recordAudit(manager, actor, { ...endpointTarget(row), action: AuditAction.WEBHOOK_ENDPOINT_CREATED, after: endpointFields(row) });
      return row;
    });
    return { endpoint, secret };
  }

  async find(endpointId: string): Promise<WebhookEndpointEntity | null> {
    return this.runner.read((manager) => manager.findOne(WebhookEndpointEntity, { where: { id: endpointId } }));
  }

  async list(accountId: string): Promise<WebhookEndpointEntity[]> {
    return this.runner.read((manager) => manager.find(WebhookEndpointEntity, { where: { accountId }, order: { createdAt: 'ASC', id: 'ASC' } }));
  }

  /** Enabling again clears the failure streak; deliveries that failed meanwhile are sent only on redelivery. */
  async update(endpointId: string, changes: EndpointChanges, actor: Actor): Promise<WebhookEndpointEntity> {
    const url = changes.url != null ? await this.checkedUrl(changes.url) : undefined;
    const events = changes.events != null ? checkedEvents(changes.events).join(',') : undefined;
    const description = changes.description !== undefined ? checkedDescription(changes.description) : undefined;
    return this.runner.transaction(async (manager) => {
      const endpoint = await manager.findOne(WebhookEndpointEntity, { where: { id: endpointId } });
      if (!endpoint) throw notFound(`Webhook endpoint ${endpointId}`);
      const before = endpointFields(endpoint);
      const now = new Date();
      if (url !== undefined) endpoint.url = url;
      if (events !== undefined) endpoint.events = events;
      if (description !== undefined) endpoint.description = description;
      if (changes.enabled === true && endpoint.status !== WebhookEndpointStatus.ACTIVE) {
        Object.assign(endpoint, { status: WebhookEndpointStatus.ACTIVE, disabledAt: null, disabledReason: null, consecutiveFailures: 0, failingSince: null });
      } else if (changes.enabled === false && endpoint.status !== WebhookEndpointStatus.DISABLED) {
        Object.assign(endpoint, { status: WebhookEndpointStatus.DISABLED, disabledAt: now, disabledReason: 'disabled by its owner' });
      }
      endpoint.updatedAt = now;
      await manager.save(WebhookEndpointEntity, endpoint);
      await recordAudit(manager, actor, { ...endpointTarget(endpoint), action: AuditAction.WEBHOOK_ENDPOINT_UPDATED, before, after: endpointFields(endpoint) });
      return endpoint;
    });
  }

  /**
   * A new signing secret, returned once. The old one keeps signing for `overlapSeconds` (a second
   * `v1` in the header), so receivers can switch without losing a delivery; 0 drops it at once.
   */
  async rotateSecret(endpointId: string, overlapSeconds: number | null, actor: Actor): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    const overlap = overlapSeconds ?? this.config.webhookSecretOverlapSeconds;
    if (!Number.isInteger(overlap) || overlap < 0 || overlap > 30 * 86_400)
      throw badInput('overlapSeconds must be from 0 to 2592000 (30 days).', { field: 'overlapSeconds' });
    const secret = newSigningSecret();
    const endpoint = await this.runner.transaction(async (manager) => {
      const row = await manager.findOne(WebhookEndpointEntity, { where: { id: endpointId } });
      if (!row) throw notFound(`Webhook endpoint ${endpointId}`);
      const now = new Date();
      row.previousSecret = overlap > 0 ? row.secret : null;
      row.previousSecretExpiresAt = overlap > 0 ? new Date(now.getTime() + overlap * 1000) : null;
      row.secret = secret;
      row.updatedAt = now;
      await manager.save(WebhookEndpointEntity, row);
      // The secrets themselves are never recorded: only when the old one stops signing.
      await recordAudit(manager, actor, {
        ...endpointTarget(row),
        action: AuditAction.WEBHOOK_SECRET_ROTATED,
        after: { overlapSeconds: overlap, previousSecretExpiresAt: row.previousSecretExpiresAt?.toISOString() ?? null },
      });
      return row;
    });
    return { endpoint, secret };
  }

  /** Removes the endpoint with its delivery log. */
  async delete(endpointId: string, actor: Actor): Promise<void> {
    await this.runner.transaction(async (manager) => {
      const endpoint = await manager.findOne(WebhookEndpointEntity, { where: { id: endpointId } });
      if (!endpoint) throw notFound(`Webhook endpoint ${endpointId}`);
      const deliveryIds = (await manager.find(WebhookDeliveryEntity, { select: { id: true }, where: { endpointId } })).map((row) => row.id);
      for (let start = 0; start < deliveryIds.length; start += 500) {
        await manager.delete(WebhookDeliveryAttemptEntity, { deliveryId: In(deliveryIds.slice(start, start + 500)) });
      }
      await manager.delete(WebhookDeliveryEntity, { endpointId });
      await manager.delete(WebhookEndpointEntity, { id: endpointId });
      await recordAudit(manager, actor, { ...endpointTarget(endpoint), action: AuditAction.WEBHOOK_ENDPOINT_DELETED, before: endpointFields(endpoint) });
    });
  }

  /** Newest first; `after` is the previous page's endCursor (a delivery id). */
  async deliveries(endpointId: string, page: { first: number; after: string | null }): Promise<DeliveryPage> {
    const afterId = page.after === null ? null : Number(page.after);
    if (afterId !== null && !Number.isSafeInteger(afterId)) throw badInput('after is not a cursor from this list.', { field: 'after' });
    const rows = await this.runner.read((manager) =>
      manager.find(WebhookDeliveryEntity, {
        where: afterId === null ? { endpointId } : { endpointId, id: LessThan(afterId) },
        order: { id: 'DESC' },
        take: page.first + 1,
      }),
    );
    return { deliveries: rows.slice(0, page.first), hasNextPage: rows.length > page.first };
  }

  async findDelivery(deliveryId: string): Promise<WebhookDeliveryEntity | null> {
    const id = Number(deliveryId);
    return Number.isSafeInteger(id) ? this.runner.read((manager) => manager.findOne(WebhookDeliveryEntity, { where: { id } })) : null;
  }

  async recentAttempts(deliveryId: number): Promise<WebhookDeliveryAttemptEntity[]> {
    return this.runner.read((manager) =>
      manager.find(WebhookDeliveryAttemptEntity, { where: { deliveryId }, order: { id: 'DESC' }, take: RECENT_ATTEMPTS_SHOWN }),
    );
  }

  /** Sends a delivery again, whatever its state, with a fresh retry window; its endpoint must be ACTIVE. */
  async redeliver(delivery: WebhookDeliveryEntity): Promise<WebhookDeliveryEntity> {
    const updated = await this.runner.transaction(async (manager) => {
      const endpoint = await manager.findOne(WebhookEndpointEntity, { where: { id: delivery.endpointId } });
      if (!endpoint || endpoint.status !== WebhookEndpointStatus.ACTIVE) {
        throw badInput('The endpoint is disabled; enable it with updateWebhookEndpoint(enabled: true) first.');
      }
      const now = new Date();
      await manager.update(
        WebhookDeliveryEntity,
        { id: delivery.id },
        { status: WebhookDeliveryStatus.PENDING, nextAttemptAt: now, retryWindowStartedAt: null, leaseOwner: null, leaseUntil: null },
      );
      return manager.findOneOrFail(WebhookDeliveryEntity, { where: { id: delivery.id } });
    });
    this.wakeWorker();
    return updated;
  }

  private async checkedUrl(raw: string): Promise<string> {
    const url = raw.trim();
    if (url.length === 0 || url.length > MAX_URL_LENGTH) throw badInput(`The URL must be 1 to ${MAX_URL_LENGTH} characters.`, { field: 'url' });
    await assertAllowedDestination(url, this.destinationPolicy);
    return new URL(url).toString();
  }
}

function checkedEvents(events: WebhookEventType[]): WebhookEventType[] {
  if (events.length === 0) throw badInput('Subscribe the endpoint to at least one event type.', { field: 'events' });
  return [...new Set(events)];
}

function checkedDescription(description: string | null): string | null {
  if (description === null) return null;
  const trimmed = description.trim();
  if (trimmed.length > MAX_DESCRIPTION_LENGTH) throw badInput(`The description has at most ${MAX_DESCRIPTION_LENGTH} characters.`, { field: 'description' });
  return trimmed.length === 0 ? null : trimmed;
}

/** What an audit entry names of an endpoint. */
function endpointTarget(endpoint: WebhookEndpointEntity) {
  return { targetType: 'WEBHOOK_ENDPOINT', targetId: endpoint.id, accountId: endpoint.accountId };
}

/** An endpoint's audited fields: never its secrets. */
function endpointFields(endpoint: WebhookEndpointEntity): Record<string, unknown> {
  return { url: endpoint.url, events: endpoint.events, description: endpoint.description, status: endpoint.status };
}
