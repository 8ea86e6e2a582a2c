import { z } from 'zod';
import { defineEvent, instant, micros, type PayloadOf } from '../../common/event-definition';
import { formatMicros } from '../../common/money';
import { CreditMovementType } from '../../ledger/ledger.enums';
import { WebhookEventType } from '../../notifications/webhooks/webhook.enums';

/** BALANCE_LOW: a low-balance threshold crossed downward, keyed by the account (written by the balance-low consumer). */
export const BalanceLow = defineEvent({
  topic: 'BALANCE_LOW',
  version: 1,
  schema: z.object({
    accountId: z.string(),
    thresholdMicros: micros,
    totalBeforeMicros: micros,
    totalMicros: micros,
    movementType: z.enum(CreditMovementType),
    amountMicros: micros,
    occurredAt: instant,
    /** The BALANCE_CHANGED event of the movement that crossed. */
    sourceEventId: z.number().int(),
  }),
  keyOf: (payload) => payload.accountId,
  webhook: (payload) => ({
    type: WebhookEventType.BALANCE_LOW,
    accountId: payload.accountId,
    data: {
      threshold: formatMicros(payload.thresholdMicros),
      totalBalance: formatMicros(payload.totalMicros),
      previousTotalBalance: formatMicros(payload.totalBeforeMicros),
      movementType: payload.movementType,
      amount: formatMicros(payload.amountMicros),
      occurredAt: payload.occurredAt.toISOString(),
    },
  }),
});

export type BalanceLowPayload = PayloadOf<typeof BalanceLow>;
