import { z } from 'zod';
import { defineEvent, micros, type PayloadOf } from '../common/event-definition';
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
