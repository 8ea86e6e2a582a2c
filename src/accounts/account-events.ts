import { z } from 'zod';
import { defineEvent, instant, micros, type PayloadOf } from '../common/event-definition';
import { formatMicros } from '../common/money';
import { WebhookEventType } from '../notifications/webhooks/webhook.enums';

/** ACCOUNT_DEPLETED: an account's top-up balance went below zero, keyed by the account (depletion.projection.ts). */
export const AccountDepleted = defineEvent({
  topic: 'ACCOUNT_DEPLETED',
  version: 1,
  schema: z.object({ accountId: z.string(), topUpMicros: micros, totalMicros: micros }),
  keyOf: (payload) => payload.accountId,
  webhook: (payload) => ({
    type: WebhookEventType.ACCOUNT_DEPLETED,
    accountId: payload.accountId,
    data: { topUpBalance: formatMicros(payload.topUpMicros), totalBalance: formatMicros(payload.totalMicros) },
  }),
});

export type AccountDepletedPayload = PayloadOf<typeof AccountDepleted>;

/**
 * ACCOUNT_REVERSAL_HOLD: a payment reversal left an account's top-up balance below zero (`held`), or
 * the balance is back at zero or above and the hold is released; keyed by the account
 * (reversal-hold.projection.ts).
 */
export const AccountReversalHold = defineEvent({
  topic: 'ACCOUNT_REVERSAL_HOLD',
  version: 1,
  schema: z.object({ accountId: z.string(), held: z.boolean(), topUpMicros: micros, totalMicros: micros, reference: z.string().nullable() }),
  keyOf: (payload) => payload.accountId,
  webhook: (payload) => ({
    type: payload.held ? WebhookEventType.ACCOUNT_REVERSAL_HOLD_PLACED : WebhookEventType.ACCOUNT_REVERSAL_HOLD_RELEASED,
    accountId: payload.accountId,
    data: { topUpBalance: formatMicros(payload.topUpMicros), totalBalance: formatMicros(payload.totalMicros), reference: payload.reference },
  }),
});

export type AccountReversalHoldPayload = PayloadOf<typeof AccountReversalHold>;

/**
 * CREDIT_LIMIT_CHANGED: the platform admin changed a partner's credit limit (setCreditLimit), keyed
 * by the partner; written with the partner's wallets locked, so the top-up balance is exact and the
 * change is ordered with the partner's postings. Balance thresholds on available credit read it.
 */
export const CreditLimitChanged = defineEvent({
  topic: 'CREDIT_LIMIT_CHANGED',
  version: 1,
  schema: z.object({
    accountId: z.string(),
    limitBeforeMicros: micros,
    limitMicros: micros,
    topUpMicros: micros,
    totalMicros: micros,
    occurredAt: instant,
  }),
  keyOf: (payload) => payload.accountId,
});

export type CreditLimitChangedPayload = PayloadOf<typeof CreditLimitChanged>;
