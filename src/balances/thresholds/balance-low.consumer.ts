import { EntityManager, In } from 'typeorm';
import type { ConsumedOutboxEvent, OutboxConsumer, OutboxService } from '../../notifications/outbox.service';
import { Topic } from '../../notifications/topics';
import { BalanceThresholdsService } from './balance-thresholds.service';
import { BalanceThresholdCrossingEntity } from './entities/balance-threshold-crossing.entity';

/** What a BALANCE_LOW outbox event carries (money as micro-credit strings). */
export interface BalanceLowPayload {
  accountId: string;
  thresholdMicros: string;
  totalBeforeMicros: string;
  totalMicros: string;
  movementType: string;
  amountMicros: string;
  occurredAt: string;
  /** The BALANCE_CHANGED event of the movement that crossed. */
  sourceEventId: number;
}

interface Crossing {
  source: ConsumedOutboxEvent;
  accountId: string;
  thresholdMicros: bigint;
  totalBeforeMicros: bigint;
  totalAfterMicros: bigint;
}

/**
 * Finds threshold crossings in committed balance movements. A BALANCE_CHANGED event carries the
 * movement's amount and the total balance after it; postings on one account are serialised by
 * its wallet locks, so `after - amount` is exactly the total before, and a threshold T is crossed
 * downward by exactly the movement with before >= T > after. Crossing again needs a movement
 * that first takes the balance back to T or above. Thresholds are read when the event is
 * consumed, not when the movement was posted.
 */
export class BalanceLowConsumer implements OutboxConsumer {
  constructor(private readonly outbox: OutboxService) {}

  async consume(manager: EntityManager, events: ConsumedOutboxEvent[]): Promise<void> {
    const decreases = balanceDecreases(events);
    if (decreases.length === 0) return;
    const thresholds = await BalanceThresholdsService.thresholdsOf(manager, [...new Set(decreases.map((event) => event.payload.accountId as string))]);
    const crossings = decreases.flatMap((event) => crossingsOf(event, thresholds.get(event.payload.accountId as string) ?? []));
    if (crossings.length === 0) return;

    // The unique key (source event, threshold) is the guarantee; this read only avoids tripping it
    // when an event is consumed again after a crash between publishing and marking.
    const existing = await manager.find(BalanceThresholdCrossingEntity, {
      select: { sourceEventId: true, thresholdMicros: true },
      where: { sourceEventId: In([...new Set(crossings.map((crossing) => crossing.source.id))]) },
    });
    const seen = new Set(existing.map((row) => `${row.sourceEventId}:${row.thresholdMicros}`));
    const fresh = crossings.filter((crossing) => !seen.has(`${crossing.source.id}:${crossing.thresholdMicros}`));
    if (fresh.length === 0) return;

    await manager.insert(
      BalanceThresholdCrossingEntity,
      fresh.map((crossing) => ({
        accountId: crossing.accountId,
        thresholdMicros: crossing.thresholdMicros,
        sourceEventId: crossing.source.id,
        totalBeforeMicros: crossing.totalBeforeMicros,
        totalAfterMicros: crossing.totalAfterMicros,
        occurredAt: new Date(crossing.source.payload.occurredAt as string),
      })),
    );
    await this.outbox.add(
      manager,
      fresh.map((crossing) => {
        const payload: BalanceLowPayload = {
          accountId: crossing.accountId,
          thresholdMicros: crossing.thresholdMicros.toString(),
          totalBeforeMicros: crossing.totalBeforeMicros.toString(),
          totalMicros: crossing.totalAfterMicros.toString(),
          movementType: crossing.source.payload.movementType as string,
          amountMicros: crossing.source.payload.amountMicros as string,
          occurredAt: crossing.source.payload.occurredAt as string,
          sourceEventId: crossing.source.id,
        };
        return { topic: Topic.BALANCE_LOW, key: crossing.accountId, payload: { ...payload } };
      }),
    );
  }
}

function crossingsOf(event: ConsumedOutboxEvent, thresholdsMicros: bigint[]): Crossing[] {
  const totals = totalsOf(event);
  return thresholdsMicros
    .filter((threshold) => crossesDownward(totals, threshold))
    .map((thresholdMicros) => ({ source: event, accountId: event.payload.accountId as string, thresholdMicros, ...totals }));
}

/** The account's total balance before and after the movement of a BALANCE_CHANGED event. */
export function totalsOf(event: ConsumedOutboxEvent): { totalBeforeMicros: bigint; totalAfterMicros: bigint } {
  const totalAfterMicros = BigInt(event.payload.totalMicros as string);
  return { totalBeforeMicros: totalAfterMicros - BigInt(event.payload.amountMicros as string), totalAfterMicros };
}

/** A threshold T is crossed downward by exactly the movement with before >= T > after. */
export function crossesDownward(totals: { totalBeforeMicros: bigint; totalAfterMicros: bigint }, thresholdMicros: bigint): boolean {
  return totals.totalBeforeMicros >= thresholdMicros && thresholdMicros > totals.totalAfterMicros;
}

/** The BALANCE_CHANGED events of a batch whose movement took money off the account. */
export function balanceDecreases(events: ConsumedOutboxEvent[]): ConsumedOutboxEvent[] {
  return events.filter((event) => event.topic === Topic.BALANCE_CHANGED && BigInt(event.payload.amountMicros as string) < 0n);
}
