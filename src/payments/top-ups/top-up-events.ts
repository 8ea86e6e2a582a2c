import { z } from 'zod';
import { defineEvent, instant, micros, type PayloadOf } from '../../common/event-definition';
import { balancesOf } from '../../balances/balance-events';
import { formatMicros } from '../../common/money';
import { WebhookEventType } from '../../notifications/webhooks/webhook.enums';
import { TopUpStatus } from './top-up.enums';

/** TOP_UP_STATUS_CHANGED: every status change of a top-up, with the account's balances after it, keyed by the top-up. */
export const TopUpStatusChanged = defineEvent({
  topic: 'TOP_UP_STATUS_CHANGED',
  version: 1,
  schema: z.object({
    topUpId: z.string(),
    accountId: z.string(),
    status: z.enum(TopUpStatus),
    amountMicros: micros,
    reversedMicros: micros,
    failureReason: z.string().nullable(),
    /** Absent in events written before failure codes existed. */
    failureCode: z.string().nullable().optional(),
    topUpMicros: micros,
    promotionalMicros: micros,
    totalMicros: micros,
    occurredAt: instant,
  }),
  keyOf: (payload) => payload.topUpId,
  webhook: (payload) => ({
    type: WebhookEventType.TOP_UP_STATUS_CHANGED,
    accountId: payload.accountId,
    data: {
      topUpId: payload.topUpId,
      status: payload.status,
      amount: formatMicros(payload.amountMicros),
      reversedAmount: formatMicros(payload.reversedMicros),
      failureReason: payload.failureReason,
      balances: balancesOf(payload),
      occurredAt: payload.occurredAt.toISOString(),
    },
  }),
});

export type TopUpStatusChangedPayload = PayloadOf<typeof TopUpStatusChanged>;
