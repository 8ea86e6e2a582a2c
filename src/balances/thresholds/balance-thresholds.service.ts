import { EntityManager, In } from 'typeorm';
import { badInput } from '../../common/domain-error';
import { formatMicros, MAX_AMOUNT_MICROS } from '../../common/money';
import type { TransactionRunner } from '../../database/transaction-runner';
import type { Actor } from '../../audit/actor';
import { AuditAction } from '../../audit/audit.enums';
import { recordAudit } from '../../audit/audit-recorder';
import { BalanceThresholdEntity } from './entities/balance-threshold.entity';

/** Per-account low-balance thresholds (the crossings are found by BalanceLowConsumer). */
export class BalanceThresholdsService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly maxPerAccount: number,
  ) {}

  /** Replaces the account's thresholds; an empty list removes them. Returns them highest first. */
  async replace(accountId: string, thresholdsMicros: bigint[], actor: Actor): Promise<bigint[]> {
    this.validate(thresholdsMicros);
    const sorted = [...thresholdsMicros].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
    await this.runner.transaction(async (manager) => {
      const before = await manager.find(BalanceThresholdEntity, { where: { accountId }, order: { thresholdMicros: 'DESC' } });
      await manager.delete(BalanceThresholdEntity, { accountId });
      await recordAudit(manager, actor, {
        action: AuditAction.BALANCE_THRESHOLDS_SET,
        targetType: 'BALANCE_THRESHOLDS',
        targetId: accountId,
        accountId,
        before: { thresholdsMicros: before.map((row) => row.thresholdMicros) },
        after: { thresholdsMicros: sorted },
      });
      if (sorted.length === 0) return;
      const now = new Date();
      await manager.insert(
        BalanceThresholdEntity,
        sorted.map((thresholdMicros) => ({ accountId, thresholdMicros, createdAt: now })),
      );
    });
    return sorted;
  }

  async list(accountId: string): Promise<bigint[]> {
    const rows = await this.runner.read((manager) => manager.find(BalanceThresholdEntity, { where: { accountId }, order: { thresholdMicros: 'DESC' } }));
    return rows.map((row) => row.thresholdMicros);
  }

  /** The thresholds of several accounts, inside the caller's transaction. */
  static async thresholdsOf(manager: EntityManager, accountIds: string[]): Promise<Map<string, bigint[]>> {
    const byAccount = new Map<string, bigint[]>();
    if (accountIds.length === 0) return byAccount;
    const rows = await manager.find(BalanceThresholdEntity, { where: { accountId: In(accountIds) } });
    for (const row of rows) byAccount.set(row.accountId, [...(byAccount.get(row.accountId) ?? []), row.thresholdMicros]);
    return byAccount;
  }

  private validate(thresholdsMicros: bigint[]): void {
    if (thresholdsMicros.length > this.maxPerAccount) {
      throw badInput(`An account may have at most ${this.maxPerAccount} balance thresholds.`, { field: 'thresholds' });
    }
    if (new Set(thresholdsMicros).size !== thresholdsMicros.length) {
      throw badInput('Each threshold may appear only once.', { field: 'thresholds' });
    }
    for (const micros of thresholdsMicros) {
      if (micros <= 0n || micros > MAX_AMOUNT_MICROS) {
        throw badInput(`A threshold must be greater than zero and at most ${formatMicros(MAX_AMOUNT_MICROS)} credits.`, { field: 'thresholds' });
      }
    }
  }
}
