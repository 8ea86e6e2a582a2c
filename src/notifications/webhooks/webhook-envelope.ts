import { formatMicros } from '../../common/money';
import { CreditMovementType } from '../../ledger/ledger.enums';
import type { ConsumedOutboxEvent } from '../outbox.service';
import { Topic } from '../topics';
import { WebhookEventType } from './webhook.enums';

/** What every delivery's body is (SPEC section 12). Money is a decimal string like the GraphQL Credits scalar. */
export interface WebhookEnvelope {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  accountId: string;
  data: Record<string, unknown>;
}

export const webhookEventId = (outboxEventId: number) => `evt_${outboxEventId}`;

const credits = (value: unknown) => formatMicros(BigInt(value as string));

const balancesOf = (payload: Record<string, unknown>) => ({
  totalBalance: credits(payload.totalMicros),
  topUpBalance: credits(payload.topUpMicros),
  promotionalBalance: credits(payload.promotionalMicros),
});

/** The balance movements a webhook announces, between two accounts; the others (usage, top-ups…) have their own events or none. */
const WEBHOOK_EVENT_OF_MOVEMENT: Partial<Record<CreditMovementType, WebhookEventType>> = {
  [CreditMovementType.TRANSFER_IN]: WebhookEventType.TRANSFER_IN,
  [CreditMovementType.TRANSFER_OUT]: WebhookEventType.TRANSFER_OUT,
  [CreditMovementType.RECLAIM_IN]: WebhookEventType.RECLAIM_IN,
  [CreditMovementType.RECLAIM_OUT]: WebhookEventType.RECLAIM_OUT,
};

/** The envelope of an outbox event, or null when no webhook announces it (e.g. a usage movement). */
export function envelopeOf(event: ConsumedOutboxEvent): WebhookEnvelope | null {
  const typed = typeAndData(event);
  if (!typed) return null;
  return {
    id: webhookEventId(event.id),
    type: typed.type,
    createdAt: event.createdAt.toISOString(),
    accountId: event.payload.accountId as string,
    data: typed.data,
  };
}

function typeAndData(event: ConsumedOutboxEvent): { type: WebhookEventType; data: Record<string, unknown> } | null {
  const payload = event.payload;
  switch (event.topic) {
    case Topic.TOP_UP_STATUS_CHANGED:
      return {
        type: WebhookEventType.TOP_UP_STATUS_CHANGED,
        data: {
          topUpId: payload.topUpId,
          status: payload.status,
          amount: credits(payload.amountMicros),
          reversedAmount: credits(payload.reversedMicros),
          failureReason: payload.failureReason ?? null,
          balances: balancesOf(payload),
          occurredAt: payload.occurredAt,
        },
      };
    case Topic.BALANCE_CHANGED: {
      const type = WEBHOOK_EVENT_OF_MOVEMENT[payload.movementType as CreditMovementType];
      if (!type) return null;
      return { type, data: { amount: credits(payload.amountMicros), balances: balancesOf(payload), occurredAt: payload.occurredAt } };
    }
    case Topic.BALANCE_LOW:
      return {
        type: WebhookEventType.BALANCE_LOW,
        data: {
          threshold: credits(payload.thresholdMicros),
          totalBalance: credits(payload.totalMicros),
          previousTotalBalance: credits(payload.totalBeforeMicros),
          movementType: payload.movementType,
          amount: credits(payload.amountMicros),
          occurredAt: payload.occurredAt,
        },
      };
    case Topic.ACCOUNT_DEPLETED:
      return { type: WebhookEventType.ACCOUNT_DEPLETED, data: { topUpBalance: credits(payload.topUpMicros), totalBalance: credits(payload.totalMicros) } };
    case Topic.AUTO_RECHARGE:
      return {
        type: `AUTO_RECHARGE_${payload.type as string}` as WebhookEventType,
        data: {
          topUpId: payload.topUpId ?? null,
          amount: payload.amountMicros === null || payload.amountMicros === undefined ? null : credits(payload.amountMicros),
          reason: payload.reason ?? null,
          consecutiveFailures: payload.consecutiveFailures,
          ruleStatus: payload.ruleStatus ?? null,
          occurredAt: payload.occurredAt,
        },
      };
    case Topic.WEBHOOK_ENDPOINT_DISABLED:
      return {
        type: WebhookEventType.WEBHOOK_ENDPOINT_DISABLED,
        data: { endpointId: payload.endpointId, url: payload.url, reason: payload.reason, disabledAt: payload.disabledAt },
      };
    case Topic.AUTO_TRANSFER_OUTCOME:
      return {
        type: payload.status === 'SUCCEEDED' ? WebhookEventType.AUTO_TRANSFER_SUCCEEDED : WebhookEventType.AUTO_TRANSFER_REFUSED,
        data: {
          ruleId: payload.ruleId,
          firingId: payload.firingId,
          customerAccountId: payload.customerAccountId,
          amount: payload.amountMicros === null ? null : credits(payload.amountMicros),
          transferId: payload.transferId,
          refusalCode: payload.refusalCode,
          message: payload.message,
          threshold: payload.thresholdMicros === null ? null : credits(payload.thresholdMicros),
          targetBalance: payload.targetMicros === null ? null : credits(payload.targetMicros),
          totalBalanceAfterCrossing: credits(payload.totalAfterMicros),
          crossedAt: payload.crossedAt,
          occurredAt: payload.occurredAt,
        },
      };
    case Topic.WEBHOOK_PING:
      return {
        type: WebhookEventType.PING,
        data: { endpointId: payload.endpointId, message: 'A test event from sendTestWebhook; no credits moved.', requestedAt: payload.requestedAt },
      };
    default:
      return null;
  }
}
