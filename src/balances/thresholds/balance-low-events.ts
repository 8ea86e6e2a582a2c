import { z } from 'zod';
import { defineEvent, instant, micros, type PayloadOf } from '../../common/event-definition';
import { formatMicros } from '../../common/money';
import { CreditMovementType } from '../../ledger/ledger.enums';
import { WebhookEventType } from '../../notifications/webhooks/webhook.enums';
import { BalanceMeasure } from './balance-measure';

/**
 * BALANCE_LOW: a low-balance threshold crossed downward, keyed by the account (written by the
 * balance-low consumer). Version 2 adds what the threshold watches (`measure`) and that balance
 * around the crossing; a crossing of a partner's available credit by a lowered credit limit has no
 * movement (`movementType` null, `amountMicros` the limit's change).
 */
export const BalanceLow = defineEvent({
  topic: 'BALANCE_LOW',
  version: 2,
  schema: z.object({
    accountId: z.string(),
    measure: z.enum(BalanceMeasure),
    thresholdMicros: micros,
    /** The watched balance before and after the crossing. */
    balanceBeforeMicros: micros,
    balanceMicros: micros,
    totalBeforeMicros: micros,
    totalMicros: micros,
    movementType: z.enum(CreditMovementType).nullable(),
    amountMicros: micros,
    occurredAt: instant,
    /** The outbox event that crossed: the movement's BALANCE_CHANGED, or a CREDIT_LIMIT_CHANGED. */
    sourceEventId: z.number().int(),
  }),
  keyOf: (payload) => payload.accountId,
  /** Version 1 watched the total balance only. */
  upgrade: (wire) => {
    const v1 = wire as { totalBeforeMicros?: unknown; totalMicros?: unknown };
    return { ...(wire as object), measure: BalanceMeasure.TOTAL, balanceBeforeMicros: v1.totalBeforeMicros, balanceMicros: v1.totalMicros };
  },
  webhook: (payload) => ({
    type: WebhookEventType.BALANCE_LOW,
    accountId: payload.accountId,
    data: {
      measure: payload.measure,
      threshold: formatMicros(payload.thresholdMicros),
      balance: formatMicros(payload.balanceMicros),
      previousBalance: formatMicros(payload.balanceBeforeMicros),
      totalBalance: formatMicros(payload.totalMicros),
      previousTotalBalance: formatMicros(payload.totalBeforeMicros),
      movementType: payload.movementType,
      amount: formatMicros(payload.amountMicros),
      occurredAt: payload.occurredAt.toISOString(),
    },
  }),
});

export type BalanceLowPayload = PayloadOf<typeof BalanceLow>;
