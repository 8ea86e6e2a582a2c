import { z } from 'zod';
import { defineEvent, instant, micros, type PayloadOf } from '../../common/event-definition';
import { formatMicros } from '../../common/money';
import { WebhookEventType } from '../../notifications/webhooks/webhook.enums';
import { AutoTransferFiringStatus, AutoTransferRefusalCode } from './auto-transfer.enums';
import type { AutoTransferFiringEntity } from './entities/auto-transfer-firing.entity';

/**
 * AUTO_TRANSFER_OUTCOME: how a firing of a partner's auto-transfer rule ended, succeeded or refused.
 * `accountId` is the partner's, and the key: the notice goes to the partner.
 */
export const AutoTransferOutcome = defineEvent({
  topic: 'AUTO_TRANSFER_OUTCOME',
  version: 1,
  schema: z.object({
    accountId: z.string(),
    ruleId: z.string(),
    firingId: z.string(),
    customerAccountId: z.string(),
    status: z.enum([AutoTransferFiringStatus.SUCCEEDED, AutoTransferFiringStatus.REFUSED]),
    amountMicros: micros.nullable(),
    transferId: z.string().nullable(),
    refusalCode: z.enum(AutoTransferRefusalCode).nullable(),
    message: z.string().nullable(),
    thresholdMicros: micros.nullable(),
    targetMicros: micros.nullable(),
    /** The customer's total balance right after the movement that crossed. */
    totalAfterMicros: micros,
    crossedAt: instant,
    occurredAt: instant,
  }),
  keyOf: (payload) => payload.accountId,
  webhook: (payload) => ({
    type: payload.status === AutoTransferFiringStatus.SUCCEEDED ? WebhookEventType.AUTO_TRANSFER_SUCCEEDED : WebhookEventType.AUTO_TRANSFER_REFUSED,
    accountId: payload.accountId,
    data: {
      ruleId: payload.ruleId,
      firingId: payload.firingId,
      customerAccountId: payload.customerAccountId,
      amount: creditsOrNull(payload.amountMicros),
      transferId: payload.transferId,
      refusalCode: payload.refusalCode,
      message: payload.message,
      threshold: creditsOrNull(payload.thresholdMicros),
      targetBalance: creditsOrNull(payload.targetMicros),
      totalBalanceAfterCrossing: formatMicros(payload.totalAfterMicros),
      crossedAt: payload.crossedAt.toISOString(),
      occurredAt: payload.occurredAt.toISOString(),
    },
  }),
});

function creditsOrNull(value: bigint | null): string | null {
  return value === null ? null : formatMicros(value);
}

export type AutoTransferOutcomePayload = PayloadOf<typeof AutoTransferOutcome>;

/** The payload announcing how a firing ended. */
export function outcomeOf(firing: AutoTransferFiringEntity, completedAt: Date): AutoTransferOutcomePayload {
  return {
    accountId: firing.partnerAccountId,
    ruleId: String(firing.ruleId),
    firingId: String(firing.id),
    customerAccountId: firing.customerAccountId,
    status: firing.status === AutoTransferFiringStatus.SUCCEEDED ? AutoTransferFiringStatus.SUCCEEDED : AutoTransferFiringStatus.REFUSED,
    amountMicros: firing.amountMicros,
    transferId: firing.transferId === null ? null : String(firing.transferId),
    refusalCode: firing.refusalCode,
    message: firing.message,
    thresholdMicros: firing.thresholdMicros,
    targetMicros: firing.targetMicros,
    totalAfterMicros: firing.totalAfterMicros,
    crossedAt: firing.crossedAt,
    occurredAt: completedAt,
  };
}
