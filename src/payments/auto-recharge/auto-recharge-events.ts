import { z } from 'zod';
import { EntityManager } from 'typeorm';
import { defineEvent, instant, micros, type PayloadOf } from '../../common/event-definition';
import { formatMicros } from '../../common/money';
import type { OutboxService } from '../../notifications/outbox.service';
import { WebhookEventType } from '../../notifications/webhooks/webhook.enums';
import { AutoRechargeEventType, AutoRechargeStatus } from './auto-recharge.enums';

/** AUTO_RECHARGE: what an auto-recharge rule did (succeeded, needs 3-D Secure, failed, skipped, disabled), keyed by the account. */
export const AutoRechargeOutcome = defineEvent({
  topic: 'AUTO_RECHARGE',
  version: 1,
  schema: z.object({
    accountId: z.string(),
    type: z.enum(AutoRechargeEventType),
    topUpId: z.string().nullable(),
    amountMicros: micros.nullable(),
    /** SKIPPED: the skip reason; FAILED: the top-up's failure code; DISABLED: TOO_MANY_FAILURES. */
    reason: z.string().nullable(),
    consecutiveFailures: z.number().int(),
    ruleStatus: z.enum(AutoRechargeStatus).nullable(),
    occurredAt: instant,
  }),
  keyOf: (payload) => payload.accountId,
  webhook: (payload) => ({
    type: `AUTO_RECHARGE_${payload.type}` as WebhookEventType,
    accountId: payload.accountId,
    data: {
      topUpId: payload.topUpId,
      amount: payload.amountMicros === null ? null : formatMicros(payload.amountMicros),
      reason: payload.reason,
      consecutiveFailures: payload.consecutiveFailures,
      ruleStatus: payload.ruleStatus,
      occurredAt: payload.occurredAt.toISOString(),
    },
  }),
});

export type AutoRechargeEventPayload = PayloadOf<typeof AutoRechargeOutcome>;

/** Writes the events in the caller's transaction; they are published (and sent to webhooks) after commit. */
export async function announceAutoRecharge(manager: EntityManager, outbox: OutboxService, events: AutoRechargeEventPayload[]): Promise<void> {
  await outbox.emit(manager, AutoRechargeOutcome, events);
}
