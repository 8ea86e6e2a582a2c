import { fixedClock } from '../common/clock';
import { MICROS_PER_CREDIT } from '../common/money';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletFloor, WalletKind } from '../ledger/ledger.enums';
import type { TransactionRunner } from '../database/transaction-runner';
import type { LedgerService } from '../ledger/ledger.service';
import { UsageEventEntity } from '../usage/entities/usage-event.entity';
import { DEMO } from './demo-accounts';

const DAY_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

interface DemoUsageLine {
  accountId: string;
  service: string;
  amountMicros: bigint;
  /** Days before the seed time at which each event happened. */
  daysAgo: number[];
}

/**
 * The demo's back-dated consumption, spread over the three weeks after the seeded purchases and
 * transfers (28 to 25 days ago), so the credit history, the partner's usage report and an
 * account's usage for "the last 30 days" all have rows right after the first start.
 */
export const DEMO_USAGE: readonly DemoUsageLine[] = [
  { accountId: DEMO.directCustomer, service: 'compute', amountMicros: 4_500_000n, daysAgo: [21, 18, 15, 12, 9, 6, 3, 1] },
  { accountId: DEMO.directCustomer, service: 'storage', amountMicros: 1_250_000n, daysAgo: [20, 13, 6] },
  { accountId: DEMO.partnerCustomers[0], service: 'compute', amountMicros: 6n * MICROS_PER_CREDIT, daysAgo: [22, 19, 16, 13, 10, 7, 4, 2] },
  { accountId: DEMO.partnerCustomers[0], service: 'storage', amountMicros: 2n * MICROS_PER_CREDIT, daysAgo: [17, 10, 3] },
  { accountId: DEMO.partnerCustomers[1], service: 'gpu', amountMicros: 12_500_000n, daysAgo: [20, 14, 8, 2] },
];

/**
 * Posts DEMO_USAGE as the metering service's events would have been posted at the time: the
 * ledger's posting time is the event's time (the reports and the history read that), every event
 * also has its `usage_event` row. Events are posted in time order, as the ledger requires of
 * back-dated postings. No promotional grant exists yet when they happen (the seed grants at the
 * end), so they draw on top-up credits only, and no balance goes below zero.
 */
export async function seedDemoUsage(services: { runner: TransactionRunner; ledger: LedgerService }, seededAt: Date): Promise<void> {
  const events = DEMO_USAGE.flatMap((line) =>
    line.daysAgo.map((days, index) => ({
      ...line,
      // Mid-morning in Vietnam (03:00 UTC), a few minutes apart so no two events share an instant.
      occurredAt: new Date(Math.floor((seededAt.getTime() - days * DAY_MS) / DAY_MS) * DAY_MS + 3 * HOUR_MS + index * 60_000),
      eventId: `demo-${line.accountId}-${line.service}-${days}d`,
    })),
  ).sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());

  for (const event of events) {
    await services.runner.transaction(async (manager) => {
      const posting = await services.ledger.withClock(fixedClock(event.occurredAt)).post(manager, {
        type: LedgerTransactionType.USAGE,
        idempotencyKey: `usage:${event.eventId}`,
        reference: event.eventId,
        description: event.service,
        service: event.service,
        legs: [
          { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.USAGE_REVENUE, amountMicros: event.amountMicros },
          { accountId: event.accountId, walletKind: WalletKind.TOPUP, amountMicros: -event.amountMicros, floor: WalletFloor.ZERO },
        ],
      });
      await manager.insert(UsageEventEntity, {
        eventId: event.eventId,
        accountId: event.accountId,
        service: event.service,
        amountMicros: event.amountMicros,
        promotionalMicros: 0n,
        topUpMicros: event.amountMicros,
        occurredAt: event.occurredAt,
        transactionId: posting.transaction.id,
        recordedAt: posting.transaction.createdAt,
      });
    });
  }
}
