import { EntityManager } from 'typeorm';
import type { OutboxService } from '../../notifications/outbox.service';
import { Topic } from '../../notifications/topics';
import type { AutoRechargeEventType, AutoRechargeStatus } from './auto-recharge.enums';

/** What an AUTO_RECHARGE outbox event carries (money as micro-credit strings). */
export interface AutoRechargeEventPayload {
  accountId: string;
  type: AutoRechargeEventType;
  topUpId: string | null;
  amountMicros: string | null;
  /** SKIPPED: the skip reason; FAILED: the top-up's failure code; DISABLED: TOO_MANY_FAILURES. */
  reason: string | null;
  consecutiveFailures: number;
  ruleStatus: AutoRechargeStatus | null;
  occurredAt: string;
}

/** Writes the events in the caller's transaction; they are published (and sent to webhooks) after commit. */
export async function announceAutoRecharge(manager: EntityManager, outbox: OutboxService, events: AutoRechargeEventPayload[]): Promise<void> {
  await outbox.add(
    manager,
    events.map((event) => ({ topic: Topic.AUTO_RECHARGE, key: event.accountId, payload: { ...event } })),
  );
}
