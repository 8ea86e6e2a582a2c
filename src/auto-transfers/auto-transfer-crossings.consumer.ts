import { EntityManager, In } from 'typeorm';
import { balanceDecreases, crossesDownward, totalsOf } from '../balance-thresholds/balance-low.consumer';
import { isUniqueViolation } from '../database/transaction-runner';
import type { ConsumedOutboxEvent, OutboxConsumer } from '../notifications/outbox.service';
import { AutoTransferFiringStatus, AutoTransferRuleStatus } from './auto-transfer.enums';
import { AutoTransferFiringEntity } from './entities/auto-transfer-firing.entity';
import { AutoTransferRuleEntity } from './entities/auto-transfer-rule.entity';

/**
 * Finds the committed movements that took a customer's total balance across its ACTIVE rule's
 * threshold (before >= X > after, the same test as balance thresholds) and writes one PENDING
 * firing per crossing, in the transaction that marks the events published. The transfer itself is
 * made later by AutoTransferWorker, outside this transaction and outside the ledger's.
 */
export class AutoTransferCrossingsConsumer implements OutboxConsumer {
  private wroteFirings = false;

  constructor(private readonly wakeWorker: () => void) {}

  async consume(manager: EntityManager, events: ConsumedOutboxEvent[]): Promise<void> {
    const decreases = balanceDecreases(events);
    if (decreases.length === 0) return;
    const rules = await manager.find(AutoTransferRuleEntity, {
      where: { customerAccountId: In([...new Set(decreases.map((event) => event.payload.accountId as string))]), status: AutoTransferRuleStatus.ACTIVE },
    });
    if (rules.length === 0) return;
    const ruleByCustomer = new Map(rules.map((rule) => [rule.customerAccountId, rule]));
    const now = new Date();
    const rows = decreases.flatMap((event) => {
      const rule = ruleByCustomer.get(event.payload.accountId as string);
      const totals = totalsOf(event);
      if (!rule || !crossesDownward(totals, rule.thresholdMicros)) return [];
      return [
        {
          ruleId: rule.id,
          partnerAccountId: rule.partnerAccountId,
          customerAccountId: rule.customerAccountId,
          sourceEventId: event.id,
          totalAfterMicros: totals.totalAfterMicros,
          crossedAt: new Date(event.payload.occurredAt as string),
          status: AutoTransferFiringStatus.PENDING,
          createdAt: now,
        },
      ];
    });
    if (rows.length === 0) return;
    // The unique key (rule, event) is the guarantee; this read only avoids tripping it when an event
    // is consumed again after a crash between publishing and marking.
    const notYetWritten = async () => {
      const existing = await manager.find(AutoTransferFiringEntity, {
        select: { ruleId: true, sourceEventId: true },
        where: { ruleId: In([...new Set(rows.map((row) => row.ruleId))]), sourceEventId: In([...new Set(rows.map((row) => row.sourceEventId))]) },
      });
      const seen = new Set(existing.map((row) => `${row.ruleId}:${row.sourceEventId}`));
      return rows.filter((row) => !seen.has(`${row.ruleId}:${row.sourceEventId}`));
    };
    let fresh = await notYetWritten();
    if (fresh.length === 0) return;
    try {
      await manager.insert(AutoTransferFiringEntity, fresh);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Another drain consumed the same events at the same moment; keep its firings, add what is missing.
      fresh = await notYetWritten();
      if (fresh.length === 0) return;
      await manager.insert(AutoTransferFiringEntity, fresh);
    }
    this.wroteFirings = true;
  }

  afterCommit(): void {
    if (!this.wroteFirings) return;
    this.wroteFirings = false;
    this.wakeWorker();
  }
}
