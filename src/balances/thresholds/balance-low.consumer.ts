import { EntityManager, In } from 'typeorm';
import type { OutboxEvent } from '../../common/event-definition';
import type { OutboxConsumer, OutboxService } from '../../notifications/outbox.service';
import { accountsOf, balanceDecreases, downwardCrossings } from '../balance-events';
import { BalanceLow } from './balance-low-events';
import { BalanceThresholdsService } from './balance-thresholds.service';
import { BalanceThresholdCrossingEntity } from './entities/balance-threshold-crossing.entity';

/**
 * Finds threshold crossings in committed balance movements (the crossing rule of
 * balances/balance-events.ts). Thresholds are read when the event is consumed, not when the
 * movement was posted.
 */
export class BalanceLowConsumer implements OutboxConsumer {
  constructor(private readonly outbox: OutboxService) {}

  async consume(manager: EntityManager, events: OutboxEvent[]): Promise<void> {
    const decreases = balanceDecreases(events);
    if (decreases.length === 0) return;
    const thresholds = await BalanceThresholdsService.thresholdsOf(manager, accountsOf(decreases));
    const crossings = downwardCrossings(decreases, (accountId) => thresholds.get(accountId) ?? []);
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
        occurredAt: crossing.source.payload.occurredAt,
      })),
    );
    await this.outbox.emit(
      manager,
      BalanceLow,
      fresh.map(({ source, accountId, thresholdMicros, totalBeforeMicros, totalAfterMicros }) => ({
        accountId,
        thresholdMicros,
        totalBeforeMicros,
        totalMicros: totalAfterMicros,
        movementType: source.payload.movementType,
        amountMicros: source.payload.amountMicros,
        occurredAt: source.payload.occurredAt,
        sourceEventId: source.id,
      })),
    );
  }
}
