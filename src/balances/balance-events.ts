import { z } from 'zod';
import { defineEvent, instant, micros, type OutboxEvent, type PayloadOf } from '../common/event-definition';
import { formatMicros } from '../common/money';
import { CreditMovementType } from '../ledger/ledger.enums';
import { WebhookEventType } from '../notifications/webhooks/webhook.enums';

/** The balance movements a webhook announces, between two accounts; the others (usage, top-ups…) have their own events or none. */
const WEBHOOK_EVENT_OF_MOVEMENT: Partial<Record<CreditMovementType, WebhookEventType>> = {
  [CreditMovementType.TRANSFER_IN]: WebhookEventType.TRANSFER_IN,
  [CreditMovementType.TRANSFER_OUT]: WebhookEventType.TRANSFER_OUT,
  [CreditMovementType.RECLAIM_IN]: WebhookEventType.RECLAIM_IN,
  [CreditMovementType.RECLAIM_OUT]: WebhookEventType.RECLAIM_OUT,
};

/** An account's three balances as a webhook shows them (decimal credit strings). */
export const balancesOf = (payload: { totalMicros: bigint; topUpMicros: bigint; promotionalMicros: bigint }) => ({
  totalBalance: formatMicros(payload.totalMicros),
  topUpBalance: formatMicros(payload.topUpMicros),
  promotionalBalance: formatMicros(payload.promotionalMicros),
});

/**
 * BALANCE_CHANGED: one per posting and account it touched, keyed by the account, written in the
 * posting's transaction (balances/notifications/balance-events.projection.ts). It carries the
 * movement's amount and the balances after it; a transfer or reclaim is announced by webhook.
 */
export const BalanceChanged = defineEvent({
  topic: 'BALANCE_CHANGED',
  version: 1,
  schema: z.object({
    accountId: z.string(),
    topUpMicros: micros,
    /** The top-up balance before the movement (what a partner's available credit is measured from); absent in rows of earlier releases. */
    topUpBeforeMicros: micros.optional(),
    promotionalMicros: micros,
    totalMicros: micros,
    movementType: z.enum(CreditMovementType),
    amountMicros: micros,
    occurredAt: instant,
  }),
  keyOf: (payload) => payload.accountId,
  webhook: (payload) => {
    const type = WEBHOOK_EVENT_OF_MOVEMENT[payload.movementType];
    if (!type) return null;
    return {
      type,
      accountId: payload.accountId,
      data: { amount: formatMicros(payload.amountMicros), balances: balancesOf(payload), occurredAt: payload.occurredAt.toISOString() },
    };
  },
});

export type BalanceChangedPayload = PayloadOf<typeof BalanceChanged>;

/** A threshold crossed downward by one movement: the BALANCE_CHANGED event, the threshold and the totals around it. */
export interface BalanceCrossing {
  source: OutboxEvent<BalanceChangedPayload>;
  accountId: string;
  thresholdMicros: bigint;
  totalBeforeMicros: bigint;
  totalAfterMicros: bigint;
}

/** What a partner may still transfer: its top-up balance plus its credit limit, never below zero (`Balances.availableToTransfer`). */
export function availableToTransferMicros(topUpMicros: bigint, creditLimitMicros: bigint): bigint {
  const available = topUpMicros + creditLimitMicros;
  return available > 0n ? available : 0n;
}

/** The thresholds a balance going from `before` to `after` crosses downward: before >= T > after. */
export const crossedDownward = (beforeMicros: bigint, afterMicros: bigint, thresholds: readonly bigint[]): bigint[] =>
  thresholds.filter((thresholdMicros) => beforeMicros >= thresholdMicros && thresholdMicros > afterMicros);

/** The BALANCE_CHANGED events of a batch whose movement took money off the account. */
export function balanceDecreases(events: readonly OutboxEvent[]): OutboxEvent<BalanceChangedPayload>[] {
  return BalanceChanged.of(events).filter((event) => event.payload.amountMicros < 0n);
}

/**
 * The crossing rule, shared by balance thresholds, auto-recharge and auto-transfers. Postings on one
 * account are serialised by its wallet locks, so `after - amount` is exactly the total before the
 * movement, and a threshold T is crossed downward by exactly the movement with before >= T > after.
 * Crossing again needs a movement that first takes the balance back to T or above. Returns, in batch
 * order, each decrease's crossings of the thresholds `thresholdsOf` gives for its account.
 */
export function downwardCrossings(
  decreases: readonly OutboxEvent<BalanceChangedPayload>[],
  thresholdsOf: (accountId: string) => readonly bigint[],
): BalanceCrossing[] {
  return decreases.flatMap((source) => {
    const { accountId, totalMicros: totalAfterMicros, amountMicros } = source.payload;
    const totalBeforeMicros = totalAfterMicros - amountMicros;
    return crossedDownward(totalBeforeMicros, totalAfterMicros, thresholdsOf(accountId)).map((thresholdMicros) => ({
      source,
      accountId,
      thresholdMicros,
      totalBeforeMicros,
      totalAfterMicros,
    }));
  });
}

/** The accounts a batch's events are about, once each (to read their rules in one statement). */
export const accountsOf = (events: readonly OutboxEvent<BalanceChangedPayload>[]) => [...new Set(events.map((event) => event.payload.accountId))];
