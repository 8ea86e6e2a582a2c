import { EntityManager } from 'typeorm';
import { monthStartUtc } from '../../common/clock';
import { badInput, DomainError, ErrorCode, notFound } from '../../common/domain-error';
import { formatMicros, positiveAmountProblem } from '../../common/money';
import { isUniqueViolation, type TransactionRunner } from '../../database/transaction-runner';
import type { Actor } from '../../audit/actor';
import { AuditAction } from '../../audit/audit.enums';
import { recordAudit } from '../../audit/audit-recorder';
import { TopUpEntity } from '../top-ups/entities/top-up.entity';
import type { Buyer } from '../top-ups/top-up-eligibility';
import { TopUpOrigin, TopUpStatus } from '../top-ups/top-up.enums';
import { AutoRechargeStatus } from './auto-recharge.enums';
import { AutoRechargeRuleEntity } from './entities/auto-recharge-rule.entity';
import { SavedPaymentMethodEntity } from './entities/saved-payment-method.entity';
import { assertAccountMayBuy } from './saved-payment-methods.service';

export interface SetAutoRechargeCommand {
  accountId: string;
  thresholdMicros: bigint;
  /** Exactly one of a fixed amount and a target balance. */
  amountMicros: bigint | null;
  targetBalanceMicros: bigint | null;
  monthlyCapMicros: bigint;
  /** A saved card of the account (`savedPaymentMethods`). */
  paymentMethodId: string;
  buyer: Buyer;
  subject: string;
}

export interface AutoRechargeView {
  rule: AutoRechargeRuleEntity;
  paymentMethod: SavedPaymentMethodEntity | null;
  spentThisMonthMicros: bigint;
}

/** Top-ups that did not take money count nothing against the cap. */
const NOT_SPENT: readonly TopUpStatus[] = [TopUpStatus.FAILED, TopUpStatus.CANCELED, TopUpStatus.EXPIRED];

/** Setting, pausing, reading and removing an account's auto-recharge rule (it fires in AutoRechargeConsumer). */
export class AutoRechargeService {
  constructor(
    private readonly dependencies: {
      runner: TransactionRunner;
      /** TOPUP_MINIMUM_CREDITS: a recharge buys at least this much. */
      minimumMicros: bigint;
    },
  ) {}

  /** Creates or replaces the rule; an existing one becomes ACTIVE again with its failure count cleared. */
  async set(command: SetAutoRechargeCommand, actor: Actor): Promise<AutoRechargeView> {
    this.validate(command);
    const paymentMethodId = parseId(command.paymentMethodId);
    const save = () =>
      this.dependencies.runner.transaction(async (manager) => {
        await assertAccountMayBuy(manager, command.accountId, command.buyer);
        const card = paymentMethodId === null ? null : await manager.findOneBy(SavedPaymentMethodEntity, { id: paymentMethodId, accountId: command.accountId });
        if (!card) throw badInput('paymentMethodId is not a card saved for this account (see savedPaymentMethods).', { field: 'paymentMethodId' });
        const now = new Date();
        const fields = {
          thresholdMicros: command.thresholdMicros,
          amountMicros: command.amountMicros,
          targetBalanceMicros: command.targetBalanceMicros,
          monthlyCapMicros: command.monthlyCapMicros,
          paymentMethodId: card.id,
          status: AutoRechargeStatus.ACTIVE,
          disabledReason: null,
          consecutiveFailures: 0,
          updatedBy: command.subject.slice(0, 191),
          updatedAt: now,
        };
        const before = await manager.findOneBy(AutoRechargeRuleEntity, { accountId: command.accountId });
        const { affected } = await manager.update(AutoRechargeRuleEntity, { accountId: command.accountId }, fields);
        if (!affected) await manager.insert(AutoRechargeRuleEntity, { accountId: command.accountId, ...fields, createdAt: now });
        await recordAudit(manager, actor, {
          action: AuditAction.AUTO_RECHARGE_SET,
          targetType: 'AUTO_RECHARGE_RULE',
          targetId: command.accountId,
          accountId: command.accountId,
          before: before ? rechargeFields(before) : null,
          after: rechargeFields(fields),
        });
      });
    try {
      await save();
    } catch (error) {
      // Two first settings raced; the loser updates the winner's row.
      if (!isUniqueViolation(error)) throw error;
      await save();
    }
    return this.getOrThrow(command.accountId);
  }

  /** Pauses (`paused`) or resumes the rule; resuming also turns a DISABLED rule back on with its failures cleared. */
  async pause(accountId: string, paused: boolean, actor: Actor): Promise<AutoRechargeView> {
    await this.dependencies.runner.transaction(async (manager) => {
      const before = await manager.findOneBy(AutoRechargeRuleEntity, { accountId });
      if (!before) throw notFound('An auto-recharge rule for this account');
      if (!paused) await assertCardStillSaved(manager, accountId);
      const { affected } = await manager.update(
        AutoRechargeRuleEntity,
        { accountId },
        paused
          ? { status: AutoRechargeStatus.PAUSED, updatedAt: new Date() }
          : { status: AutoRechargeStatus.ACTIVE, disabledReason: null, consecutiveFailures: 0, updatedAt: new Date() },
      );
      if (!affected) throw notFound('An auto-recharge rule for this account');
      await recordAudit(manager, actor, {
        action: paused ? AuditAction.AUTO_RECHARGE_PAUSED : AuditAction.AUTO_RECHARGE_RESUMED,
        targetType: 'AUTO_RECHARGE_RULE',
        targetId: accountId,
        accountId,
        before: { status: before.status },
        after: { status: paused ? AutoRechargeStatus.PAUSED : AutoRechargeStatus.ACTIVE },
      });
    });
    return this.getOrThrow(accountId);
  }

  /** Deletes the rule; false when there was none. The top-ups it bought stay in the purchase history. */
  async remove(accountId: string, actor: Actor): Promise<boolean> {
    return this.dependencies.runner.transaction(async (manager) => {
      const before = await manager.findOneBy(AutoRechargeRuleEntity, { accountId });
      if (!before) return false;
      const { affected } = await manager.delete(AutoRechargeRuleEntity, { accountId });
      if (!affected) return false;
      await recordAudit(manager, actor, {
        action: AuditAction.AUTO_RECHARGE_REMOVED,
        targetType: 'AUTO_RECHARGE_RULE',
        targetId: accountId,
        accountId,
        before: rechargeFields(before),
      });
      return true;
    });
  }

  async get(accountId: string): Promise<AutoRechargeView | null> {
    return this.dependencies.runner.read(async (manager) => {
      const rule = await manager.findOneBy(AutoRechargeRuleEntity, { accountId });
      if (!rule) return null;
      return {
        rule,
        paymentMethod: await manager.findOneBy(SavedPaymentMethodEntity, { id: rule.paymentMethodId }),
        spentThisMonthMicros: await AutoRechargeService.spentThisMonth(manager, accountId, new Date()),
      };
    });
  }

  /**
   * What auto-recharge top-ups of the account took this calendar month (UTC): every one not FAILED,
   * CANCELED or EXPIRED, the open ones included (they may still be paid).
   */
  static async spentThisMonth(manager: EntityManager, accountId: string, now: Date): Promise<bigint> {
    const row = await manager
      .createQueryBuilder(TopUpEntity, 'topUp')
      .select('SUM(topUp.amountMicros)', 'spent')
      .where('topUp.accountId = :accountId', { accountId })
      .andWhere('topUp.createdAt >= :from', { from: monthStartUtc(now) })
      .andWhere('topUp.origin = :origin', { origin: TopUpOrigin.AUTO_RECHARGE })
      .andWhere('topUp.status NOT IN (:...notSpent)', { notSpent: [...NOT_SPENT] })
      .getRawOne<{ spent: string | number | null }>();
    return BigInt(row?.spent ?? 0);
  }

  private async getOrThrow(accountId: string): Promise<AutoRechargeView> {
    const view = await this.get(accountId);
    if (!view) throw notFound('An auto-recharge rule for this account');
    return view;
  }

  private validate(command: SetAutoRechargeCommand): void {
    const { minimumMicros } = this.dependencies;
    const problem = (field: string, micros: bigint) => {
      const text = positiveAmountProblem(micros);
      if (text) throw badInput(`${field}: ${text}.`, { field });
    };
    problem('threshold', command.thresholdMicros);
    problem('monthlyCap', command.monthlyCapMicros);
    if ((command.amountMicros === null) === (command.targetBalanceMicros === null)) {
      throw badInput('Give either amount (a fixed purchase) or targetBalance (buy up to it), not both and not neither.', { field: 'amount' });
    }
    if (command.amountMicros !== null) {
      problem('amount', command.amountMicros);
      if (command.amountMicros < minimumMicros) {
        throw new DomainError(ErrorCode.AMOUNT_BELOW_MINIMUM, `The minimum top-up is ${formatMicros(minimumMicros)} credits.`, {
          field: 'amount',
          minimumAmount: formatMicros(minimumMicros),
        });
      }
    }
    if (command.targetBalanceMicros !== null) {
      problem('targetBalance', command.targetBalanceMicros);
      if (command.targetBalanceMicros <= command.thresholdMicros) throw badInput('targetBalance must be above the threshold.', { field: 'targetBalance' });
    }
    const smallest = command.amountMicros ?? minimumMicros;
    if (command.monthlyCapMicros < smallest) {
      throw badInput(`monthlyCap must allow at least one recharge (${formatMicros(smallest)} credits).`, { field: 'monthlyCap' });
    }
  }
}

/** Saved card ids are decimal row ids; anything else is no card of the account. */
function parseId(id: string): number | null {
  return /^[1-9][0-9]{0,15}$/.test(id) ? Number(id) : null;
}

/** A rule whose card was removed cannot be resumed: it would charge nothing; setAutoRecharge names another card. */
async function assertCardStillSaved(manager: EntityManager, accountId: string): Promise<void> {
  const rule = await manager.findOneBy(AutoRechargeRuleEntity, { accountId });
  if (rule && !(await manager.existsBy(SavedPaymentMethodEntity, { id: rule.paymentMethodId, accountId }))) {
    throw badInput('The card this rule charged was removed; choose another card with setAutoRecharge.');
  }
}

/** A rule's audited settings. */
function rechargeFields(
  rule: Pick<AutoRechargeRuleEntity, 'thresholdMicros' | 'amountMicros' | 'targetBalanceMicros' | 'monthlyCapMicros' | 'paymentMethodId' | 'status'>,
) {
  const { thresholdMicros, amountMicros, targetBalanceMicros, monthlyCapMicros, paymentMethodId, status } = rule;
  return { thresholdMicros, amountMicros, targetBalanceMicros, monthlyCapMicros, paymentMethodId: String(paymentMethodId), status };
}
