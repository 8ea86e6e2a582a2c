import { EntityManager, In } from 'typeorm';
import { AccountKind } from '../../accounts/account.enums';
import { AccountEntity } from '../../accounts/entities/account.entity';
import { badInput } from '../../common/domain-error';
import { formatMicros, MAX_AMOUNT_MICROS } from '../../common/money';
import type { TransactionRunner } from '../../database/transaction-runner';
import type { Actor } from '../../audit/actor';
import { AuditAction } from '../../audit/audit.enums';
import { recordAudit } from '../../audit/audit-recorder';
import { BalanceMeasure } from './balance-measure';
import { BalanceThresholdEntity } from './entities/balance-threshold.entity';

/** An account's thresholds per measure. */
export type ThresholdsByMeasure = Partial<Record<BalanceMeasure, bigint[]>>;

/**
 * Per-account low-balance thresholds, each on the total balance or on a partner's available credit
 * (the crossings are found by BalanceLowConsumer).
 */
export class BalanceThresholdsService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly maxPerAccount: number,
  ) {}

  /**
   * Replaces the account's thresholds on one measure (the other's stay); an empty list removes them.
   * Available credit is a partner's only. Returns them highest first.
   */
  async replace(accountId: string, thresholdsMicros: bigint[], actor: Actor, measure = BalanceMeasure.TOTAL): Promise<bigint[]> {
    this.validate(thresholdsMicros);
    const sorted = [...thresholdsMicros].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
    await this.runner.transaction(async (manager) => {
      if (measure === BalanceMeasure.AVAILABLE_TO_TRANSFER) {
        const account = await manager.findOne(AccountEntity, { select: { id: true, kind: true }, where: { id: accountId } });
        if (account?.kind !== AccountKind.PARTNER) {
          throw badInput('Only a partner account has credit available to transfer: watch its TOTAL balance instead.', { field: 'measure' });
        }
      }
      const before = await manager.find(BalanceThresholdEntity, { where: { accountId, measure }, order: { thresholdMicros: 'DESC' } });
      await manager.delete(BalanceThresholdEntity, { accountId, measure });
      await recordAudit(manager, actor, {
        action: AuditAction.BALANCE_THRESHOLDS_SET,
        targetType: 'BALANCE_THRESHOLDS',
        targetId: accountId,
        accountId,
        before: { measure, thresholdsMicros: before.map((row) => row.thresholdMicros) },
        after: { measure, thresholdsMicros: sorted },
      });
      if (sorted.length === 0) return;
      const now = new Date();
      await manager.insert(
        BalanceThresholdEntity,
        sorted.map((thresholdMicros) => ({ accountId, measure, thresholdMicros, createdAt: now })),
      );
    });
    return sorted;
  }

  async list(accountId: string, measure = BalanceMeasure.TOTAL): Promise<bigint[]> {
    const rows = await this.runner.read((manager) =>
      manager.find(BalanceThresholdEntity, { where: { accountId, measure }, order: { thresholdMicros: 'DESC' } }),
    );
    return rows.map((row) => row.thresholdMicros);
  }

  /** The thresholds of several accounts per measure, inside the caller's transaction (one statement). */
  static async thresholdsOf(manager: EntityManager, accountIds: string[]): Promise<Map<string, ThresholdsByMeasure>> {
    const byAccount = new Map<string, ThresholdsByMeasure>();
    if (accountIds.length === 0) return byAccount;
    const rows = await manager.find(BalanceThresholdEntity, { where: { accountId: In(accountIds) } });
    for (const row of rows) {
      const thresholds = byAccount.get(row.accountId) ?? {};
      thresholds[row.measure] = [...(thresholds[row.measure] ?? []), row.thresholdMicros];
      byAccount.set(row.accountId, thresholds);
    }
    return byAccount;
  }

  private validate(thresholdsMicros: bigint[]): void {
    if (thresholdsMicros.length > this.maxPerAccount) {
      throw badInput(`An account may have at most ${this.maxPerAccount} balance thresholds on each measure.`, { field: 'thresholds' });
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
