import { EntityManager } from 'typeorm';
import type { AutomationConfig } from '../../config';
import type { Logger } from '../../common/logger';
import { claimDueRows } from '../../database/lease-claim';
import { type Lease, retryDelayMs, RowWorker } from '../../database/leased-worker';
import type { TransactionRunner } from '../../database/transaction-runner';
import type { OutboxService } from '../outbox.service';
import { checkDestination, DestinationPolicy, RefusedDestinationError } from './destination-guard';
import { WebhookDeliveryAttemptEntity } from './entities/webhook-delivery-attempt.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature';
import { sendWebhook, SendOutcome } from './webhook-sender';
import { webhookEventId } from './webhook-envelope';
import { WebhookEndpointDisabled } from './webhook-events';
import { WebhookDeliveryStatus, WebhookEndpointStatus } from './webhook.enums';
import { lockedForUpdate } from '../../database/dialect';

const CLAIM_BATCH_SIZE = 50;
/** A claim outlives the longest attempt by this much, so a live attempt is never claimed twice. */
const LEASE_MARGIN_MS = 30_000;

/**
 * Sends due deliveries. Like the outbox, a process claims rows with a lease (a conditional update
 * only one process wins), so several processes share the work and a crashed process's claims are
 * taken over once they lapse; a delivery is therefore sent at least once, and receivers
 * de-duplicate on the event id.
 */
export class WebhookDeliveryWorker extends RowWorker<WebhookDeliveryEntity> {
  constructor(
    private readonly dependencies: {
      runner: TransactionRunner;
      outbox: OutboxService;
      logger: Logger;
      config: AutomationConfig;
      destinationPolicy: DestinationPolicy;
    },
  ) {
    super({
      runner: dependencies.runner,
      logger: dependencies.logger,
      pollIntervalMs: dependencies.config.webhookPollIntervalMs,
      concurrency: dependencies.config.webhookConcurrency,
      drainFailureMessage: 'webhook delivery drain failed; will retry',
    });
  }

  protected claim(manager: EntityManager, { owner, now }: Lease): Promise<WebhookDeliveryEntity[]> {
    const leaseUntil = new Date(now.getTime() + this.dependencies.config.webhookTimeoutMs + LEASE_MARGIN_MS);
    return claimDueRows(manager, WebhookDeliveryEntity, { status: WebhookDeliveryStatus.PENDING, owner, leaseUntil, now, take: CLAIM_BATCH_SIZE });
  }

  protected process(delivery: WebhookDeliveryEntity): Promise<void> {
    return this.attempt(delivery);
  }

  protected override onRowFailure(error: unknown, delivery: WebhookDeliveryEntity): void {
    this.dependencies.logger.error({ err: error, deliveryId: delivery.id }, 'webhook attempt failed to record');
  }

  private async attempt(delivery: WebhookDeliveryEntity): Promise<void> {
    const { runner, config, destinationPolicy } = this.dependencies;
    const endpoint = await runner.read((manager) => manager.findOne(WebhookEndpointEntity, { where: { id: delivery.endpointId } }));
    if (!endpoint || endpoint.status !== WebhookEndpointStatus.ACTIVE) {
      await runner.transaction((manager) => this.giveUp(manager, delivery, endpoint ? 'the endpoint is disabled' : 'the endpoint was deleted'));
      return;
    }
    const attemptedAt = new Date();
    let outcome: SendOutcome;
    try {
      const destination = await checkDestination(endpoint.url, destinationPolicy);
      const secrets = [endpoint.secret];
      if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > attemptedAt) secrets.push(endpoint.previousSecret);
      const headers = {
        [EVENT_ID_HEADER]: webhookEventId(delivery.eventId),
        [SIGNATURE_HEADER]: signatureHeader(delivery.body, secrets, Math.floor(attemptedAt.getTime() / 1000)),
      };
      outcome = await sendWebhook(
        destination,
        { body: delivery.body, headers },
        { timeoutMs: config.webhookTimeoutMs, maxResponseBytes: config.webhookMaxResponseBytes },
      );
    } catch (error) {
      if (!(error instanceof RefusedDestinationError)) throw error;
      outcome = { responseCode: null, error: `destination refused: ${error.message}`.slice(0, 255), durationMs: Date.now() - attemptedAt.getTime() };
    }
    await this.record(delivery, { ...outcome, attemptedAt });
  }

  private async giveUp(manager: EntityManager, delivery: WebhookDeliveryEntity, reason: string): Promise<void> {
    await manager.update(
      WebhookDeliveryEntity,
      { id: delivery.id, leaseOwner: delivery.leaseOwner! },
      { status: WebhookDeliveryStatus.FAILED, nextAttemptAt: null, lastError: reason, leaseOwner: null, leaseUntil: null },
    );
  }

  /** Writes the attempt, moves the delivery on, and keeps the endpoint's failure streak. */
  private async record(delivery: WebhookDeliveryEntity, outcome: SendOutcome & { attemptedAt: Date }): Promise<void> {
    const { runner, config } = this.dependencies;
    const succeeded = outcome.responseCode !== null && outcome.responseCode >= 200 && outcome.responseCode < 300;
    const error = succeeded ? null : (outcome.error ?? `the receiver answered HTTP ${outcome.responseCode}`);
    await runner.transaction(async (manager) => {
      await manager.insert(WebhookDeliveryAttemptEntity, {
        deliveryId: delivery.id,
        attemptedAt: outcome.attemptedAt,
        responseCode: outcome.responseCode,
        error,
        durationMs: outcome.durationMs,
        succeeded,
      });
      const attempts = delivery.attempts + 1;
      const windowStart = delivery.retryWindowStartedAt ?? outcome.attemptedAt;
      const outOfTime = Date.now() - windowStart.getTime() >= config.webhookRetryWindowMs;
      await manager.update(
        WebhookDeliveryEntity,
        { id: delivery.id, leaseOwner: delivery.leaseOwner! },
        {
          attempts,
          retryWindowStartedAt: windowStart,
          lastAttemptAt: outcome.attemptedAt,
          lastResponseCode: outcome.responseCode,
          lastError: error,
          status: succeeded ? WebhookDeliveryStatus.SUCCEEDED : outOfTime ? WebhookDeliveryStatus.FAILED : WebhookDeliveryStatus.PENDING,
          nextAttemptAt:
            succeeded || outOfTime
              ? null
              : new Date(Date.now() + retryDelayMs(attempts, { baseMs: config.webhookRetryBaseDelayMs, maxMs: config.webhookRetryMaxDelayMs, jitter: true })),
          deliveredAt: succeeded ? outcome.attemptedAt : delivery.deliveredAt,
          leaseOwner: null,
          leaseUntil: null,
        },
      );
      // Disabling the endpoint writes its WEBHOOK_ENDPOINT_DISABLED event to the outbox, which publishes it after this commit.
      await this.updateEndpointHealth(manager, delivery.endpointId, succeeded, outcome.attemptedAt);
    });
  }

  /** Returns true when this failure disabled the endpoint. */
  private async updateEndpointHealth(manager: EntityManager, endpointId: string, succeeded: boolean, at: Date): Promise<boolean> {
    const { config, outbox } = this.dependencies;
    const endpoint = await lockedForUpdate(
      manager.createQueryBuilder(WebhookEndpointEntity, 'endpoint').where('endpoint.id = :endpointId', { endpointId }),
    ).getOne();
    if (!endpoint) return false;
    if (succeeded) {
      if (endpoint.consecutiveFailures !== 0) await manager.update(WebhookEndpointEntity, { id: endpointId }, { consecutiveFailures: 0, failingSince: null });
      return false;
    }
    const consecutiveFailures = endpoint.consecutiveFailures + 1;
    const failingSince = endpoint.failingSince ?? at;
    const sustained = consecutiveFailures >= config.webhookDisableAfterFailures && at.getTime() - failingSince.getTime() >= config.webhookDisableAfterMs;
    if (!sustained || endpoint.status !== WebhookEndpointStatus.ACTIVE) {
      await manager.update(WebhookEndpointEntity, { id: endpointId }, { consecutiveFailures, failingSince });
      return false;
    }
    const reason = `${consecutiveFailures} failed attempts in a row since ${failingSince.toISOString()}`;
    await manager.update(
      WebhookEndpointEntity,
      { id: endpointId },
      {
        consecutiveFailures,
        failingSince,
        status: WebhookEndpointStatus.DISABLED,
        disabledAt: at,
        disabledReason: reason,
        updatedAt: at,
      },
    );
    await manager.update(
      WebhookDeliveryEntity,
      { endpointId, status: WebhookDeliveryStatus.PENDING },
      { status: WebhookDeliveryStatus.FAILED, nextAttemptAt: null, lastError: 'the endpoint was disabled' },
    );
    await outbox.emit(manager, WebhookEndpointDisabled, [{ accountId: endpoint.accountId, endpointId, url: endpoint.url, reason, disabledAt: at }]);
    return true;
  }
}
