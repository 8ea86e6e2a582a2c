import { EntityManager, In } from 'typeorm';
import { CreditLimitChanged, type CreditLimitChangedPayload } from '../../accounts/account-events';
import { AccountEntity } from '../../accounts/entities/account.entity';
import type { OutboxEvent } from '../../common/event-definition';
import type { CreditMovementType } from '../../ledger/ledger.enums';
import type { OutboxConsumer, OutboxService } from '../../notifications/outbox.service';
import {
  accountsOf,
  availableToTransferMicros,
  balanceDecreases,
  BalanceChanged,
  type BalanceChangedPayload,
  crossedDownward,
  downwardCrossings,
} from '../balance-events';
import { BalanceLow } from './balance-low-events';
import { BalanceMeasure } from './balance-measure';
import { BalanceThresholdsService, type ThresholdsByMeasure } from './balance-thresholds.service';
import { BalanceThresholdCrossingEntity } from './entities/balance-threshold-crossing.entity';

/** One threshold crossed downward by one event: the watched balance and the total around it. */
interface ThresholdCrossing {
  accountId: string;
  measure: BalanceMeasure;
  thresholdMicros: bigint;
  sourceEventId: number;
  beforeMicros: bigint;
  afterMicros: bigint;
  totalBeforeMicros: bigint;
  totalAfterMicros: bigint;
  movementType: CreditMovementType | null;
  amountMicros: bigint;
  occurredAt: Date;
}

/**
 * Finds threshold crossings in committed events (the crossing rule of balances/balance-events.ts):
 * the total balance by each movement; a partner's available credit (top-up balance + credit limit,
 * never below 0) by each movement that lowered its top-up balance and by each lowered credit limit.
 * Thresholds are read when the event is consumed, not when the movement was posted; the credit limit
 * a movement was posted under is exact (`limitsInForce`).
 */
export class BalanceLowConsumer implements OutboxConsumer {
  constructor(private readonly outbox: OutboxService) {}

  async consume(manager: EntityManager, events: OutboxEvent[]): Promise<void> {
    const decreases = balanceDecreases(events);
    const topUpDecreases = BalanceChanged.of(events).filter((event) => topUpBeforeOf(event.payload) > event.payload.topUpMicros);
    const lowerLimits = CreditLimitChanged.of(events).filter((event) => event.payload.limitMicros < event.payload.limitBeforeMicros);
    if (decreases.length + topUpDecreases.length + lowerLimits.length === 0) return;
    const accounts = [...new Set([...accountsOf(decreases), ...accountsOf(topUpDecreases), ...lowerLimits.map((event) => event.payload.accountId)])];
    const thresholds = await BalanceThresholdsService.thresholdsOf(manager, accounts);
    const of = (measure: BalanceMeasure) => (accountId: string) => thresholds.get(accountId)?.[measure] ?? [];

    const crossings: ThresholdCrossing[] = downwardCrossings(decreases, of(BalanceMeasure.TOTAL)).map(
      ({ source, thresholdMicros, totalBeforeMicros, totalAfterMicros }) => ({
        ...movementOf(source),
        measure: BalanceMeasure.TOTAL,
        thresholdMicros,
        beforeMicros: totalBeforeMicros,
        afterMicros: totalAfterMicros,
      }),
    );
    crossings.push(...(await this.availableCrossings(manager, topUpDecreases, lowerLimits, thresholds)));
    if (crossings.length === 0) return;

    // The unique key (source event, measure, threshold) is the guarantee; this read only avoids
    // tripping it when an event is consumed again after a crash between publishing and marking.
    const existing = await manager.find(BalanceThresholdCrossingEntity, {
      select: { sourceEventId: true, measure: true, thresholdMicros: true },
      where: { sourceEventId: In([...new Set(crossings.map((crossing) => crossing.sourceEventId))]) },
    });
    const keyOf = (row: { sourceEventId: number; measure: BalanceMeasure; thresholdMicros: bigint }) =>
      `${row.sourceEventId}:${row.measure}:${row.thresholdMicros}`;
    const seen = new Set(existing.map(keyOf));
    const fresh = crossings.filter((crossing) => !seen.has(keyOf(crossing)));
    if (fresh.length === 0) return;

    await manager.insert(
      BalanceThresholdCrossingEntity,
      fresh.map((crossing) => ({
        accountId: crossing.accountId,
        measure: crossing.measure,
        thresholdMicros: crossing.thresholdMicros,
        sourceEventId: crossing.sourceEventId,
        totalBeforeMicros: crossing.beforeMicros,
        totalAfterMicros: crossing.afterMicros,
        occurredAt: crossing.occurredAt,
      })),
    );
    await this.outbox.emit(
      manager,
      BalanceLow,
      fresh.map((crossing) => ({
        accountId: crossing.accountId,
        measure: crossing.measure,
        thresholdMicros: crossing.thresholdMicros,
        balanceBeforeMicros: crossing.beforeMicros,
        balanceMicros: crossing.afterMicros,
        totalBeforeMicros: crossing.totalBeforeMicros,
        totalMicros: crossing.totalAfterMicros,
        movementType: crossing.movementType,
        amountMicros: crossing.amountMicros,
        occurredAt: crossing.occurredAt,
        sourceEventId: crossing.sourceEventId,
      })),
    );
  }

  /** Crossings of available-credit thresholds: by movements that lowered a top-up balance, by lowered limits. */
  private async availableCrossings(
    manager: EntityManager,
    topUpDecreases: OutboxEvent<BalanceChangedPayload>[],
    lowerLimits: OutboxEvent<CreditLimitChangedPayload>[],
    thresholds: Map<string, ThresholdsByMeasure>,
  ): Promise<ThresholdCrossing[]> {
    const watched = (accountId: string) => thresholds.get(accountId)?.[BalanceMeasure.AVAILABLE_TO_TRANSFER] ?? [];
    const movements = topUpDecreases.filter((event) => watched(event.payload.accountId).length > 0);
    const crossings: ThresholdCrossing[] = [];
    if (movements.length > 0) {
      const limitOf = await this.limitsInForce(manager, movements);
      for (const source of movements) {
        const limitMicros = limitOf(source);
        const beforeMicros = availableToTransferMicros(topUpBeforeOf(source.payload), limitMicros);
        const afterMicros = availableToTransferMicros(source.payload.topUpMicros, limitMicros);
        for (const thresholdMicros of crossedDownward(beforeMicros, afterMicros, watched(source.payload.accountId))) {
          crossings.push({ ...movementOf(source), measure: BalanceMeasure.AVAILABLE_TO_TRANSFER, thresholdMicros, beforeMicros, afterMicros });
        }
      }
    }
    for (const { id, payload } of lowerLimits) {
      const beforeMicros = availableToTransferMicros(payload.topUpMicros, payload.limitBeforeMicros);
      const afterMicros = availableToTransferMicros(payload.topUpMicros, payload.limitMicros);
      for (const thresholdMicros of crossedDownward(beforeMicros, afterMicros, watched(payload.accountId))) {
        crossings.push({
          accountId: payload.accountId,
          measure: BalanceMeasure.AVAILABLE_TO_TRANSFER,
          thresholdMicros,
          sourceEventId: id,
          beforeMicros,
          afterMicros,
          totalBeforeMicros: payload.totalMicros,
          totalAfterMicros: payload.totalMicros,
          movementType: null,
          amountMicros: payload.limitMicros - payload.limitBeforeMicros,
          occurredAt: payload.occurredAt,
        });
      }
    }
    return crossings;
  }

  /**
   * The credit limit each movement was posted under. A limit change locks the partner's wallets as
   * a posting does and writes its CREDIT_LIMIT_CHANGED event after taking them, so the partner's
   * outbox events are in the order its postings and changes committed: a movement's limit is the
   * `limitBefore` of the first change written after it, or, with none, the limit the account row
   * holds now (both read in this transaction, so they agree).
   */
  private async limitsInForce(
    manager: EntityManager,
    movements: OutboxEvent<BalanceChangedPayload>[],
  ): Promise<(event: OutboxEvent<BalanceChangedPayload>) => bigint> {
    const accountIds = accountsOf(movements);
    const rows = await manager.find(AccountEntity, { select: { id: true, creditLimitMicros: true }, where: { id: In(accountIds) } });
    const current = new Map(rows.map((row) => [row.id, row.creditLimitMicros]));
    const later = await this.outbox.eventsAfter(manager, CreditLimitChanged, Math.min(...movements.map((event) => event.id)));
    return (event) =>
      later.find((change) => change.id > event.id && change.payload.accountId === event.payload.accountId)?.payload.limitBeforeMicros ??
      current.get(event.payload.accountId) ??
      0n;
  }
}

/** The top-up balance before a movement (rows of earlier releases lack it: their movement is then taken as the top-up's). */
const topUpBeforeOf = (payload: BalanceChangedPayload): bigint => payload.topUpBeforeMicros ?? payload.topUpMicros - payload.amountMicros;

/** What a crossing copies from the movement that made it. */
const movementOf = (source: OutboxEvent<BalanceChangedPayload>) => {
  const { accountId, totalMicros, amountMicros, movementType, occurredAt } = source.payload;
  return {
    accountId,
    sourceEventId: source.id,
    totalBeforeMicros: totalMicros - amountMicros,
    totalAfterMicros: totalMicros,
    movementType,
    amountMicros,
    occurredAt,
  };
};
