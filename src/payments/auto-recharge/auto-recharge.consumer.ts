import { EntityManager, In } from 'typeorm';
import { Role } from '../../auth/principal';
import { DomainError } from '../../common/domain-error';
import { hashRequest } from '../../common/idempotency';
import { MAX_AMOUNT_MICROS } from '../../common/money';
import { isUniqueViolation } from '../../database/transaction-runner';
import { accountsOf, balanceDecreases, type BalanceChangedPayload, downwardCrossings } from '../../balances/balance-events';
import type { OutboxEvent } from '../../common/event-definition';
import type { OutboxConsumer, OutboxService } from '../../notifications/outbox.service';
import { PaymentMethod } from '../providers/payment-provider';
import { TopUpEntity } from '../top-ups/entities/top-up.entity';
import { TopUpStatusChanged, type TopUpStatusChangedPayload } from '../top-ups/top-up-events';
import { OPEN_TOP_UP_STATUSES, TopUpOrigin, TopUpStatus } from '../top-ups/top-up.enums';
import type { TopUpsService } from '../top-ups/top-ups.service';
import { announceAutoRecharge, AutoRechargeEventPayload } from './auto-recharge-events';
import { AutoRechargeAttemptStatus, AutoRechargeEventType, AutoRechargeSkipReason, AutoRechargeStatus, TOO_MANY_FAILURES } from './auto-recharge.enums';
import { AutoRechargeService } from './auto-recharge.service';
import { AutoRechargeAttemptEntity } from './entities/auto-recharge-attempt.entity';
import { AutoRechargeRuleEntity } from './entities/auto-recharge-rule.entity';

export interface AutoRechargeSettings {
  /** AUTO_RECHARGE_MAX_FAILURES: charges in a row that may fail before the rule is disabled. */
  maxFailures: number;
  /** AUTO_RECHARGE_ACTION_WINDOW_MINUTES: how long a recharge waiting for 3-D Secure stays open. */
  actionWindowMinutes: number;
  /** TOPUP_MINIMUM_CREDITS. */
  minimumMicros: bigint;
}

interface Crossing {
  source: OutboxEvent<BalanceChangedPayload>;
  rule: AutoRechargeRuleEntity;
  totalAfterMicros: bigint;
}

/** The top-up's idempotency key: derived from the crossing, so one crossing can make one top-up only. */
export const autoRechargeKey = (sourceEventId: number) => `auto-recharge:${sourceEventId}`;

/**
 * Fires auto-recharge rules from committed balance movements and follows their top-ups. Runs in the
 * transaction that marks an outbox batch published (so after the movement committed, never inside
 * the ledger transaction):
 * - a BALANCE_CHANGED whose movement took the total from at or above an ACTIVE rule's threshold to
 *   below it creates an ordinary top-up (origin AUTO_RECHARGE) and a DUE attempt, both keyed on the
 *   crossing; the off-session charge happens after commit (AutoRechargeChargeWorker);
 * - a TOP_UP_STATUS_CHANGED of such a top-up settles its attempt once (conditional updates), counts
 *   failures in a row, disables the rule after too many, and announces each outcome.
 */
export class AutoRechargeConsumer implements OutboxConsumer {
  private fired = false;

  constructor(
    private readonly dependencies: {
      outbox: OutboxService;
      topUps: TopUpsService;
      settings: AutoRechargeSettings;
      /** A URL a top-up's returnUrl can hold (this server's public base URL). */
      returnUrl: () => string;
      wakeWorker: () => void;
    },
  ) {}

  async consume(manager: EntityManager, events: OutboxEvent[]): Promise<void> {
    const announcements: AutoRechargeEventPayload[] = [];
    for (const crossing of await this.crossings(manager, events)) announcements.push(...(await this.fire(manager, crossing)));
    announcements.push(...(await this.settle(manager, TopUpStatusChanged.of(events))));
    if (announcements.length > 0) await announceAutoRecharge(manager, this.dependencies.outbox, announcements);
  }

  afterCommit(): void {
    if (!this.fired) return;
    this.fired = false;
    this.dependencies.wakeWorker();
  }

  /** Downward crossings of ACTIVE rules' thresholds not fired yet (a re-consumed event finds its attempt). */
  private async crossings(manager: EntityManager, events: OutboxEvent[]): Promise<Crossing[]> {
    const decreases = balanceDecreases(events);
    if (decreases.length === 0) return [];
    const rules = await manager.find(AutoRechargeRuleEntity, { where: { accountId: In(accountsOf(decreases)), status: AutoRechargeStatus.ACTIVE } });
    if (rules.length === 0) return [];
    const ruleOf = new Map(rules.map((rule) => [rule.accountId, rule]));
    const thresholdOf = (accountId: string) => {
      const rule = ruleOf.get(accountId);
      return rule ? [rule.thresholdMicros] : [];
    };
    const crossings = downwardCrossings(decreases, thresholdOf).map(({ source, accountId, totalAfterMicros }) => ({
      source,
      rule: ruleOf.get(accountId)!,
      totalAfterMicros,
    }));
    if (crossings.length === 0) return [];
    const fired = await manager.find(AutoRechargeAttemptEntity, {
      select: { sourceEventId: true },
      where: { sourceEventId: In(crossings.map((crossing) => crossing.source.id)) },
    });
    const seen = new Set(fired.map((attempt) => attempt.sourceEventId));
    return crossings.filter((crossing) => !seen.has(crossing.source.id));
  }

  /** One crossing: skip it (cap, an open recharge, a refusal) or create its top-up and a DUE attempt. */
  private async fire(manager: EntityManager, crossing: Crossing): Promise<AutoRechargeEventPayload[]> {
    const { settings } = this.dependencies;
    const accountId = crossing.rule.accountId;
    // The rule's row lock orders the firings of one account (cap and open-recharge checks included).
    const rule = await lockRule(manager, accountId);
    if (!rule || rule.status !== AutoRechargeStatus.ACTIVE) return [];
    const now = new Date();
    const attempt = manager.create(AutoRechargeAttemptEntity, {
      accountId,
      sourceEventId: crossing.source.id,
      topUpId: null,
      paymentMethodId: rule.paymentMethodId,
      status: AutoRechargeAttemptStatus.DUE,
      skipReason: null,
      chargeAttempts: 0,
      nextAttemptAt: now,
      leaseOwner: null,
      leaseUntil: null,
      createdAt: now,
      updatedAt: now,
    });
    try {
      const inserted = await manager.insert(AutoRechargeAttemptEntity, attempt);
      attempt.id ??= Number(inserted.identifiers[0].id);
    } catch (error) {
      // Another drain fired this crossing at the same moment (a lease that lapsed under it).
      if (isUniqueViolation(error)) return [];
      throw error;
    }
    // A skipped crossing bought nothing: its event carries no amount, whatever the rule would have bought.
    const skip = async (reason: string) => {
      await manager.update(
        AutoRechargeAttemptEntity,
        { id: attempt.id },
        { status: AutoRechargeAttemptStatus.SKIPPED, skipReason: reason, nextAttemptAt: null },
      );
      return [event(rule, AutoRechargeEventType.SKIPPED, { topUpId: null, amountMicros: null, reason, occurredAt: now })];
    };
    const open = await manager.existsBy(TopUpEntity, { accountId, origin: TopUpOrigin.AUTO_RECHARGE, status: In([...OPEN_TOP_UP_STATUSES]) });
    if (open) return skip(AutoRechargeSkipReason.TOP_UP_OPEN);
    const wanted = rule.amountMicros ?? maxOf(rule.targetBalanceMicros! - crossing.totalAfterMicros, settings.minimumMicros);
    const capLeft = rule.monthlyCapMicros - (await AutoRechargeService.spentThisMonth(manager, accountId, now));
    const amountMicros = minOf(wanted, capLeft, MAX_AMOUNT_MICROS);
    if (amountMicros < settings.minimumMicros) return skip(AutoRechargeSkipReason.MONTHLY_CAP_REACHED);

    const idempotencyKey = autoRechargeKey(crossing.source.id);
    let topUp: TopUpEntity;
    try {
      topUp = await this.dependencies.topUps.insertInTransaction(
        manager,
        {
          accountId,
          amountMicros,
          method: PaymentMethod.STRIPE,
          idempotencyKey,
          returnUrl: this.dependencies.returnUrl(),
          // The rule was set by an OWNER or BILLING_ADMIN; the account buys on its own behalf.
          buyer: { accountId, role: Role.OWNER },
          origin: TopUpOrigin.AUTO_RECHARGE,
          lifetimeMinutes: settings.actionWindowMinutes,
        },
        hashRequest({ accountId, amountMicros, idempotencyKey, origin: TopUpOrigin.AUTO_RECHARGE }),
      );
    } catch (error) {
      // Not ACTIVE, no billing information, no card method for the region: nothing bought this time.
      if (error instanceof DomainError) return skip(error.code);
      throw error;
    }
    await manager.update(AutoRechargeAttemptEntity, { id: attempt.id }, { topUpId: topUp.id });
    this.fired = true;
    return [];
  }

  /** Follows the status changes of auto-recharge top-ups; each attempt moves at most once per state. */
  private async settle(manager: EntityManager, events: OutboxEvent<TopUpStatusChangedPayload>[]): Promise<AutoRechargeEventPayload[]> {
    if (events.length === 0) return [];
    const attempts = await manager.find(AutoRechargeAttemptEntity, { where: { topUpId: In([...new Set(events.map((e) => e.payload.topUpId))]) } });
    if (attempts.length === 0) return [];
    const attemptOf = new Map(attempts.map((attempt) => [attempt.topUpId!, attempt]));
    const announcements: AutoRechargeEventPayload[] = [];
    for (const source of events) {
      const attempt = attemptOf.get(source.payload.topUpId);
      if (attempt) announcements.push(...(await this.settleOne(manager, attempt, source)));
    }
    return announcements;
  }

  private async settleOne(
    manager: EntityManager,
    attempt: AutoRechargeAttemptEntity,
    source: OutboxEvent<TopUpStatusChangedPayload>,
  ): Promise<AutoRechargeEventPayload[]> {
    const { DUE, CHARGED, REQUIRES_ACTION, SUCCEEDED, FAILED } = AutoRechargeAttemptStatus;
    const { status, amountMicros, occurredAt } = source.payload;
    const occurred = { topUpId: attempt.topUpId, amountMicros, occurredAt };
    if (status === TopUpStatus.REQUIRES_ACTION) {
      if (!(await moveAttempt(manager, attempt, [DUE, CHARGED], REQUIRES_ACTION))) return [];
      return this.countFailure(manager, attempt.accountId, AutoRechargeEventType.REQUIRES_ACTION, { ...occurred, reason: null });
    }
    if (status === TopUpStatus.SUCCEEDED) {
      if (!(await moveAttempt(manager, attempt, [DUE, CHARGED, REQUIRES_ACTION], SUCCEEDED))) return [];
      await manager.update(AutoRechargeRuleEntity, { accountId: attempt.accountId }, { consecutiveFailures: 0 });
      const rule = await manager.findOneBy(AutoRechargeRuleEntity, { accountId: attempt.accountId });
      return rule ? [event(rule, AutoRechargeEventType.SUCCEEDED, { ...occurred, reason: null })] : [];
    }
    if (status !== TopUpStatus.FAILED && status !== TopUpStatus.CANCELED && status !== TopUpStatus.EXPIRED) return [];
    const failure = { ...occurred, reason: source.payload.failureCode ?? status };
    // A recharge already counted when it asked for 3-D Secure is not counted again when it expires.
    if (await moveAttempt(manager, attempt, [DUE, CHARGED], FAILED))
      return this.countFailure(manager, attempt.accountId, AutoRechargeEventType.FAILED, failure);
    if (!(await moveAttempt(manager, attempt, [REQUIRES_ACTION], FAILED))) return [];
    const rule = await manager.findOneBy(AutoRechargeRuleEntity, { accountId: attempt.accountId });
    return rule ? [event(rule, AutoRechargeEventType.FAILED, failure)] : [];
  }

  /** One more charge in a row that did not go through; the rule is disabled at AUTO_RECHARGE_MAX_FAILURES. */
  private async countFailure(manager: EntityManager, accountId: string, type: AutoRechargeEventType, detail: EventDetail): Promise<AutoRechargeEventPayload[]> {
    const rule = await lockRule(manager, accountId);
    if (!rule) return [];
    const consecutiveFailures = rule.consecutiveFailures + 1;
    const disable = rule.status === AutoRechargeStatus.ACTIVE && consecutiveFailures >= this.dependencies.settings.maxFailures;
    Object.assign(rule, { consecutiveFailures, ...(disable ? { status: AutoRechargeStatus.DISABLED, disabledReason: TOO_MANY_FAILURES } : {}) });
    await manager.update(
      AutoRechargeRuleEntity,
      { accountId },
      { consecutiveFailures, ...(disable ? { status: AutoRechargeStatus.DISABLED, disabledReason: TOO_MANY_FAILURES, updatedAt: new Date() } : {}) },
    );
    const outcome = event(rule, type, detail);
    return disable ? [outcome, event(rule, AutoRechargeEventType.DISABLED, { ...detail, reason: TOO_MANY_FAILURES })] : [outcome];
  }
}

async function lockRule(manager: EntityManager, accountId: string): Promise<AutoRechargeRuleEntity | null> {
  const mysql = manager.connection.options.type !== 'better-sqlite3';
  return manager.findOne(AutoRechargeRuleEntity, { where: { accountId }, ...(mysql ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
}

async function moveAttempt(
  manager: EntityManager,
  attempt: AutoRechargeAttemptEntity,
  from: AutoRechargeAttemptStatus[],
  to: AutoRechargeAttemptStatus,
): Promise<boolean> {
  const { affected } = await manager
    .createQueryBuilder()
    .update(AutoRechargeAttemptEntity)
    .set({ status: to, nextAttemptAt: null, leaseOwner: null, leaseUntil: null, updatedAt: new Date() })
    .where({ id: attempt.id, status: In(from) })
    .execute();
  return Boolean(affected);
}

interface EventDetail {
  topUpId: string | null;
  amountMicros: bigint | null;
  reason: string | null;
  occurredAt: Date;
}

function event(rule: AutoRechargeRuleEntity, type: AutoRechargeEventType, detail: EventDetail): AutoRechargeEventPayload {
  return {
    accountId: rule.accountId,
    type,
    topUpId: detail.topUpId,
    amountMicros: detail.amountMicros,
    reason: detail.reason,
    consecutiveFailures: rule.consecutiveFailures,
    ruleStatus: rule.status,
    occurredAt: detail.occurredAt,
  };
}

const maxOf = (a: bigint, b: bigint) => (a > b ? a : b);
const minOf = (...values: bigint[]) => values.reduce((smallest, value) => (value < smallest ? value : smallest));
