import { In, LessThan, MoreThan } from 'typeorm';
import { badInput, notFound } from '../../common/domain-error';
import { formatMicros, MAX_AMOUNT_MICROS } from '../../common/money';
import type { TransactionRunner } from '../../database/transaction-runner';
import { isUniqueViolation } from '../../database/transaction-runner';
import type { Actor } from '../../audit/actor';
import { AuditAction } from '../../audit/audit.enums';
import { recordAudit } from '../../audit/audit-recorder';
import { AutoTransferFiringStatus, AutoTransferRuleStatus } from './auto-transfer.enums';
import { AutoTransferFiringEntity } from './entities/auto-transfer-firing.entity';
import { AutoTransferRuleEntity } from './entities/auto-transfer-rule.entity';
import { monthSpentMicros } from './monthly-cap';

export interface AutoTransferRuleSettings {
  partnerAccountId: string;
  customerAccountId: string;
  thresholdMicros: bigint;
  targetMicros: bigint;
  monthlyCapMicros: bigint;
}

/** A rule as read: with what it transferred this month (UTC) and its newest firing. */
export interface AutoTransferRuleView {
  rule: AutoTransferRuleEntity;
  transferredThisMonthMicros: bigint;
  lastFiring: AutoTransferFiringEntity | null;
}

/**
 * Partner auto-transfer rules: set (create or replace), pause, resume, remove, read. Who may call
 * is the resolver's business (the partner's OWNER or BILLING_ADMIN, for its own customer); the
 * firing is AutoTransferCrossingsConsumer's and AutoTransferWorker's.
 */
export class AutoTransferRulesService {
  constructor(private readonly runner: TransactionRunner) {}

  /** Creates the customer's rule (ACTIVE), or replaces its numbers keeping its id, status and history. */
  async set(settings: AutoTransferRuleSettings, actor: Actor): Promise<AutoTransferRuleView> {
    validate(settings);
    const { customerAccountId } = settings;
    const write = () =>
      this.runner.transaction(async (manager) => {
        const now = new Date();
        const numbers = { thresholdMicros: settings.thresholdMicros, targetMicros: settings.targetMicros, monthlyCapMicros: settings.monthlyCapMicros };
        const existing = await manager.findOneBy(AutoTransferRuleEntity, { customerAccountId });
        const audit = (targetId: string) =>
          recordAudit(manager, actor, {
            action: AuditAction.AUTO_TRANSFER_RULE_SET,
            targetType: 'AUTO_TRANSFER_RULE',
            targetId,
            accountId: settings.partnerAccountId,
            before: existing ? { customerAccountId, ...transferRuleNumbers(existing) } : null,
            after: { customerAccountId, ...numbers },
          });
        if (existing) {
          await manager.update(AutoTransferRuleEntity, { id: existing.id }, { ...numbers, partnerAccountId: settings.partnerAccountId, updatedAt: now });
          await audit(String(existing.id));
          return;
        }
        const { identifiers } = await manager.insert(AutoTransferRuleEntity, {
          ...numbers,
          partnerAccountId: settings.partnerAccountId,
          customerAccountId,
          status: AutoTransferRuleStatus.ACTIVE,
          lastFiredAt: null,
          refusalCount: 0,
          lastRefusalCode: null,
          lastRefusalAt: null,
          createdAt: now,
          updatedAt: now,
        });
        await audit(String(identifiers[0]?.id ?? customerAccountId));
      });
    try {
      await write();
    } catch (error) {
      // Two first settings raced: the other one's row exists now, so this one replaces its numbers.
      if (!isUniqueViolation(error)) throw error;
      await write();
    }
    return (await this.find(customerAccountId))!;
  }

  async setStatus(customerAccountId: string, status: AutoTransferRuleStatus, actor: Actor): Promise<AutoTransferRuleView> {
    await this.runner.transaction(async (manager) => {
      const rule = await manager.findOneBy(AutoTransferRuleEntity, { customerAccountId });
      if (!rule) throw notFound('The auto-transfer rule of this customer');
      await manager.update(AutoTransferRuleEntity, { id: rule.id }, { status, updatedAt: new Date() });
      await recordAudit(manager, actor, {
        action: status === AutoTransferRuleStatus.PAUSED ? AuditAction.AUTO_TRANSFER_RULE_PAUSED : AuditAction.AUTO_TRANSFER_RULE_RESUMED,
        targetType: 'AUTO_TRANSFER_RULE',
        targetId: String(rule.id),
        accountId: rule.partnerAccountId,
        before: { customerAccountId, status: rule.status },
        after: { customerAccountId, status },
      });
    });
    return (await this.find(customerAccountId))!;
  }

  /** Removes the rule and its firing history (the transfers it made stay, with their note and actor). */
  async remove(customerAccountId: string, actor: Actor): Promise<void> {
    await this.runner.transaction(async (manager) => {
      const rule = await manager.findOneBy(AutoTransferRuleEntity, { customerAccountId });
      if (!rule) throw notFound('The auto-transfer rule of this customer');
      await manager.delete(AutoTransferFiringEntity, { ruleId: rule.id });
      await manager.delete(AutoTransferRuleEntity, { id: rule.id });
      await recordAudit(manager, actor, {
        action: AuditAction.AUTO_TRANSFER_RULE_REMOVED,
        targetType: 'AUTO_TRANSFER_RULE',
        targetId: String(rule.id),
        accountId: rule.partnerAccountId,
        before: { customerAccountId, status: rule.status, ...transferRuleNumbers(rule) },
      });
    });
  }

  async find(customerAccountId: string): Promise<AutoTransferRuleView | null> {
    const rule = await this.runner.read((manager) => manager.findOneBy(AutoTransferRuleEntity, { customerAccountId }));
    return rule ? (await this.views([rule]))[0] : null;
  }

  /** A partner's rules, oldest first, in keyset pages on the rule id. */
  async page(partnerAccountId: string, page: { first: number; after: string | null }): Promise<{ rules: AutoTransferRuleView[]; hasNextPage: boolean }> {
    const afterId = page.after === null ? null : Number(page.after);
    if (afterId !== null && !Number.isSafeInteger(afterId)) throw badInput('after is not a cursor from this list.', { field: 'after' });
    const rows = await this.runner.read((manager) =>
      manager.find(AutoTransferRuleEntity, {
        where: afterId === null ? { partnerAccountId } : { partnerAccountId, id: MoreThan(afterId) },
        order: { id: 'ASC' },
        take: page.first + 1,
      }),
    );
    return { rules: await this.views(rows.slice(0, page.first)), hasNextPage: rows.length > page.first };
  }

  /** A rule's firings, newest first; `refusedOnly` keeps the REFUSED ones. */
  async firings(ruleId: number, options: { first: number; before: number | null; refusedOnly: boolean }): Promise<AutoTransferFiringEntity[]> {
    return this.runner.read((manager) =>
      manager.find(AutoTransferFiringEntity, {
        where: {
          ruleId,
          ...(options.before === null ? {} : { id: LessThan(options.before) }),
          ...(options.refusedOnly ? { status: AutoTransferFiringStatus.REFUSED } : {}),
        },
        order: { id: 'DESC' },
        take: options.first,
      }),
    );
  }

  /** Month's spending and newest firing of a page of rules: two statements whatever its size. */
  private async views(rules: AutoTransferRuleEntity[]): Promise<AutoTransferRuleView[]> {
    if (rules.length === 0) return [];
    const ids = rules.map((rule) => rule.id);
    return this.runner.read(async (manager) => {
      const spent = await monthSpentMicros(manager, ids, new Date());
      const newest = await manager
        .createQueryBuilder(AutoTransferFiringEntity, 'firing')
        .select('MAX(firing.id)', 'id')
        .where({ ruleId: In(ids) })
        .groupBy('firing.ruleId')
        .getRawMany<{ id: string | number }>();
      const lastFirings = newest.length === 0 ? [] : await manager.findBy(AutoTransferFiringEntity, { id: In(newest.map((row) => Number(row.id))) });
      return rules.map((rule) => ({
        rule,
        transferredThisMonthMicros: spent.get(rule.id) ?? 0n,
        lastFiring: lastFirings.find((firing) => firing.ruleId === rule.id) ?? null,
      }));
    });
  }
}

function validate(settings: AutoTransferRuleSettings): void {
  const inRange = (micros: bigint) => micros > 0n && micros <= MAX_AMOUNT_MICROS;
  const limit = formatMicros(MAX_AMOUNT_MICROS);
  if (!inRange(settings.thresholdMicros)) throw badInput(`The threshold must be greater than zero and at most ${limit} credits.`, { field: 'threshold' });
  if (!inRange(settings.targetMicros) || settings.targetMicros <= settings.thresholdMicros) {
    throw badInput(`The target balance must be above the threshold and at most ${limit} credits.`, { field: 'targetBalance' });
  }
  if (!inRange(settings.monthlyCapMicros)) throw badInput(`The monthly cap must be greater than zero and at most ${limit} credits.`, { field: 'monthlyCap' });
}

/** A rule's audited numbers. */
function transferRuleNumbers(rule: AutoTransferRuleEntity) {
  return { thresholdMicros: rule.thresholdMicros, targetMicros: rule.targetMicros, monthlyCapMicros: rule.monthlyCapMicros };
}
