import { EntityManager, In } from 'typeorm';
import { DomainError, ErrorCode } from '../../common/domain-error';
import type { Logger } from '../../common/logger';
import { formatMicros } from '../../common/money';
import { claimLeasedRows } from '../../database/lease-claim';
import { type Lease, RowWorker } from '../../database/leased-worker';
import type { TransactionRunner } from '../../database/transaction-runner';
import { balancesWithin } from '../../balances/balances.service';
import { totalMicros } from '../../ledger/balances';
import type { OutboxService } from '../../notifications/outbox.service';
import type { TransfersService } from '../transfers/transfers.service';
import { AutoTransferOutcome, outcomeOf } from './auto-transfer-events';
import { AutoTransferFiringStatus, AutoTransferRefusalCode, AutoTransferRuleStatus } from './auto-transfer.enums';
import { AutoTransferFiringEntity } from './entities/auto-transfer-firing.entity';
import { AutoTransferRuleEntity } from './entities/auto-transfer-rule.entity';
import { monthSpentMicros } from './monthly-cap';

const CLAIM_BATCH_SIZE = 50;
/** Longer than any transfer takes; a claim that outlives it is taken over (same key, so no second transfer). */
const LEASE_MS = 60_000;

/** The transfer's idempotency key: derived from the crossing (rule, BALANCE_CHANGED event), never from time. */
export const transferKeyOf = (firing: Pick<AutoTransferFiringEntity, 'ruleId' | 'sourceEventId'>) => `auto-transfer:${firing.ruleId}:${firing.sourceEventId}`;

/** Who a rule's transfer shows as its actor (the transfer's `actor.userId`, role null). */
export const ruleActorOf = (ruleId: number) => `auto-transfer-rule:${ruleId}`;

type Outcome =
  | { status: AutoTransferFiringStatus.SUCCEEDED; transferId: number }
  | { status: AutoTransferFiringStatus.REFUSED; refusalCode: AutoTransferRefusalCode; message: string }
  | { status: AutoTransferFiringStatus.SKIPPED; message: string };

/**
 * Turns PENDING firings into transfers. Per firing: (1) one transaction decides the amount (the rule
 * locked, the customer's balance and the month's spending read) and stores it with the firing; (2)
 * an ordinary TransfersService transfer, through the group commit, keyed by the crossing; (3) one
 * transaction records the outcome on the firing and the rule and writes the partner's notice to the
 * outbox. A process that dies between the steps leaves a lease that lapses; the next claim repeats
 * the transfer with the same key and amount, which replays the first. A refusal is final.
 */
export class AutoTransferWorker extends RowWorker<AutoTransferFiringEntity> {
  constructor(
    private readonly dependencies: {
      runner: TransactionRunner;
      transfers: TransfersService;
      outbox: OutboxService;
      logger: Logger;
      pollIntervalMs: number;
    },
  ) {
    // A claimed batch runs side by side, so its transfers share group commits.
    super({ ...dependencies, concurrency: CLAIM_BATCH_SIZE, drainFailureMessage: 'auto-transfer drain failed; will retry' });
  }

  protected claim(manager: EntityManager, { owner, now }: Lease): Promise<AutoTransferFiringEntity[]> {
    return claimLeasedRows(manager, AutoTransferFiringEntity, {
      where: { status: In([AutoTransferFiringStatus.PENDING, AutoTransferFiringStatus.TRANSFERRING]) },
      order: { id: 'ASC' },
      owner,
      leaseUntil: new Date(now.getTime() + LEASE_MS),
      now,
      take: CLAIM_BATCH_SIZE,
    });
  }

  protected process(firing: AutoTransferFiringEntity): Promise<void> {
    return this.run(firing);
  }

  protected override onRowFailure(error: unknown, firing: AutoTransferFiringEntity): void {
    this.dependencies.logger.error({ err: error, firingId: firing.id }, 'auto-transfer firing failed; its lease lapses and it runs again');
  }

  private async run(claimed: AutoTransferFiringEntity): Promise<void> {
    const firing = claimed.status === AutoTransferFiringStatus.TRANSFERRING ? claimed : await this.decide(claimed);
    if (!firing) return;
    let outcome: Outcome;
    try {
      const result = await this.dependencies.transfers.transfer({
        partnerAccountId: firing.partnerAccountId,
        customerAccountId: firing.customerAccountId,
        amountMicros: firing.amountMicros!,
        idempotencyKey: transferKeyOf(firing),
        note: noteOf(firing),
        actor: { userId: ruleActorOf(firing.ruleId), role: null },
      });
      outcome = { status: AutoTransferFiringStatus.SUCCEEDED, transferId: result.record!.id };
    } catch (error) {
      // An outage is not a refusal: the lease lapses and the same transfer is tried again.
      if (!(error instanceof DomainError) || error.code === ErrorCode.SERVICE_UNAVAILABLE) throw error;
      outcome = { status: AutoTransferFiringStatus.REFUSED, refusalCode: refusalCodeOf(error.code), message: error.message };
    }
    await this.dependencies.runner.transaction((manager) => this.finish(manager, firing, outcome));
  }

  /**
   * Decides the amount: enough to bring the customer's total balance (now, not at the crossing) to
   * the target, at most what the monthly cap leaves. Returns the firing ready to transfer, or null
   * when it ended here (skipped, or refused by the cap).
   */
  private async decide(firing: AutoTransferFiringEntity): Promise<AutoTransferFiringEntity | null> {
    return this.dependencies.runner.transaction(async (manager) => {
      const rule = await lockRule(manager, firing.ruleId);
      if (!rule) return this.finish(manager, firing, { status: AutoTransferFiringStatus.SKIPPED, message: 'The rule was removed.' });
      if (rule.status !== AutoTransferRuleStatus.ACTIVE) {
        return this.finish(manager, firing, { status: AutoTransferFiringStatus.SKIPPED, message: 'The rule is paused.' });
      }
      const decided = { thresholdMicros: rule.thresholdMicros, targetMicros: rule.targetMicros };
      const [customer] = await balancesWithin(manager, [rule.customerAccountId]);
      const neededMicros = rule.targetMicros - totalMicros(customer);
      if (neededMicros <= 0n) {
        return this.finish(manager, Object.assign(firing, decided), {
          status: AutoTransferFiringStatus.SKIPPED,
          message: 'The total balance was already at the target.',
        });
      }
      const now = new Date();
      const leftMicros = rule.monthlyCapMicros - (await monthSpentMicros(manager, [rule.id], now)).get(rule.id)!;
      if (leftMicros <= 0n) {
        return this.finish(manager, Object.assign(firing, decided), {
          status: AutoTransferFiringStatus.REFUSED,
          refusalCode: AutoTransferRefusalCode.MONTHLY_CAP_REACHED,
          message: `The rule already transferred its monthly cap of ${formatMicros(rule.monthlyCapMicros)} credits this month (UTC).`,
        });
      }
      const amountMicros = neededMicros < leftMicros ? neededMicros : leftMicros;
      const changes = { ...decided, amountMicros, status: AutoTransferFiringStatus.TRANSFERRING, decidedAt: now };
      const moved = await manager
        .createQueryBuilder()
        .update(AutoTransferFiringEntity)
        .set(changes)
        .where({ id: firing.id, leaseOwner: firing.leaseOwner!, status: AutoTransferFiringStatus.PENDING })
        .execute();
      return moved.affected === 1 ? Object.assign(firing, changes) : null;
    });
  }

  /**
   * Records how a firing ended, once: only the holder that moves it out of its open status writes the
   * rule's bookkeeping and the partner's notice. Returns null (nothing left to do).
   */
  private async finish(manager: EntityManager, firing: AutoTransferFiringEntity, outcome: Outcome): Promise<null> {
    const completedAt = new Date();
    const changes = {
      status: outcome.status,
      transferId: outcome.status === AutoTransferFiringStatus.SUCCEEDED ? outcome.transferId : null,
      refusalCode: outcome.status === AutoTransferFiringStatus.REFUSED ? outcome.refusalCode : null,
      message: outcome.status === AutoTransferFiringStatus.SUCCEEDED ? null : outcome.message.slice(0, 255),
      thresholdMicros: firing.thresholdMicros,
      targetMicros: firing.targetMicros,
      completedAt,
      leaseOwner: null,
      leaseUntil: null,
    };
    const ended = await manager.createQueryBuilder().update(AutoTransferFiringEntity).set(changes).where({ id: firing.id, status: firing.status }).execute();
    if (ended.affected !== 1) return null;
    Object.assign(firing, changes);
    if (outcome.status === AutoTransferFiringStatus.SKIPPED) return null;
    const ruleChanges =
      outcome.status === AutoTransferFiringStatus.REFUSED
        ? { lastFiredAt: completedAt, lastRefusalCode: outcome.refusalCode, lastRefusalAt: completedAt, refusalCount: () => 'refusalCount + 1' }
        : { lastFiredAt: completedAt };
    await manager.createQueryBuilder().update(AutoTransferRuleEntity).set(ruleChanges).where({ id: firing.ruleId }).execute();
    await this.dependencies.outbox.emit(manager, AutoTransferOutcome, [outcomeOf(firing, completedAt)]);
    return null;
  }
}

/** The rule, locked so that two firings of it decide against the month's spending one after the other. */
async function lockRule(manager: EntityManager, ruleId: number): Promise<AutoTransferRuleEntity | null> {
  const query = manager.createQueryBuilder(AutoTransferRuleEntity, 'rule').where('rule.id = :ruleId', { ruleId });
  // SQLite needs no lock: the TransactionRunner runs one unit of work at a time there.
  if (manager.connection.options.type !== 'better-sqlite3') query.setLock('pessimistic_write');
  return query.getOne();
}

/** Deterministic from the firing (a retry must send the same note, or its request hash would differ). */
function noteOf(firing: AutoTransferFiringEntity): string {
  return `Auto-transfer rule ${firing.ruleId}: total balance fell below ${formatMicros(firing.thresholdMicros!)}, topping up to ${formatMicros(firing.targetMicros!)}`;
}

function refusalCodeOf(code: ErrorCode): AutoTransferRefusalCode {
  if (code === ErrorCode.INSUFFICIENT_CREDITS) return AutoTransferRefusalCode.INSUFFICIENT_CREDITS;
  if (code === ErrorCode.ACCOUNT_NOT_ACTIVE) return AutoTransferRefusalCode.ACCOUNT_NOT_ACTIVE;
  if (code === ErrorCode.REVERSAL_HOLD) return AutoTransferRefusalCode.REVERSAL_HOLD;
  return AutoTransferRefusalCode.TRANSFER_REFUSED;
}
