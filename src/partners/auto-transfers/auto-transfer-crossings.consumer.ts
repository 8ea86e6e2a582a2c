import { EntityManager, In } from 'typeorm';
import { accountsOf, balanceDecreases, downwardCrossings } from '../../balances/balance-events';
import type { OutboxEvent } from '../../common/event-definition';
import { insertMissingRows } from '../../database/bulk-insert';
import type { OutboxConsumer } from '../../notifications/outbox.service';
import { AutoTransferFiringStatus, AutoTransferRuleStatus } from './auto-transfer.enums';
import { AutoTransferFiringEntity } from './entities/auto-transfer-firing.entity';
import { AutoTransferRuleEntity } from './entities/auto-transfer-rule.entity';

/**
 * Finds the committed movements that took a customer's total balance across its ACTIVE rule's
 * threshold (the crossing rule of balances/balance-events.ts, as for balance thresholds) and writes one PENDING
 * firing per crossing, in the transaction that marks the events published. The transfer itself is
 * made later by AutoTransferWorker, outside this transaction and outside the ledger's.
 */
export class AutoTransferCrossingsConsumer implements OutboxConsumer {
  private wroteFirings = false;

  constructor(private readonly wakeWorker: () => void) {}

  async consume(manager: EntityManager, events: OutboxEvent[]): Promise<void> {
    const decreases = balanceDecreases(events);
    if (decreases.length === 0) return;
    const rules = await manager.find(AutoTransferRuleEntity, {
      where: { customerAccountId: In(accountsOf(decreases)), status: AutoTransferRuleStatus.ACTIVE },
    });
    if (rules.length === 0) return;
    const ruleByCustomer = new Map(rules.map((rule) => [rule.customerAccountId, rule]));
    const now = new Date();
    const thresholdOf = (accountId: string) => {
      const rule = ruleByCustomer.get(accountId);
      return rule ? [rule.thresholdMicros] : [];
    };
    const rows = downwardCrossings(decreases, thresholdOf).map(({ source, accountId, totalAfterMicros }) => {
      const rule = ruleByCustomer.get(accountId)!;
      return {
        ruleId: rule.id,
        partnerAccountId: rule.partnerAccountId,
        customerAccountId: rule.customerAccountId,
        sourceEventId: source.id,
        totalAfterMicros,
        crossedAt: source.payload.occurredAt,
        status: AutoTransferFiringStatus.PENDING,
        createdAt: now,
      };
    });
    if (rows.length === 0) return;
    // Unique on (rule, event): a re-consumed event, or one consumed by two processes at once, fires once.
    const written = await insertMissingRows(manager, AutoTransferFiringEntity, rows as AutoTransferFiringEntity[], {
      keyOf: (row) => `${row.ruleId}:${row.sourceEventId}`,
      storedKeys: async () => {
        const existing = await manager.find(AutoTransferFiringEntity, {
          select: { ruleId: true, sourceEventId: true },
          where: { ruleId: In([...new Set(rows.map((row) => row.ruleId))]), sourceEventId: In([...new Set(rows.map((row) => row.sourceEventId))]) },
        });
        return new Set(existing.map((row) => `${row.ruleId}:${row.sourceEventId}`));
      },
    });
    if (written === 0) return;
    this.wroteFirings = true;
  }

  afterCommit(): void {
    if (!this.wroteFirings) return;
    this.wroteFirings = false;
    this.wakeWorker();
  }
}
