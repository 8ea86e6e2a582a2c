import type { EntityManager } from 'typeorm';
import type { Logger } from '../../common/logger';
import { claimDueRows } from '../../database/lease-claim';
import { type Lease, retryDelayMs, RowWorker } from '../../database/leased-worker';
import type { TransactionRunner } from '../../database/transaction-runner';
import { TopUpEntity } from '../top-ups/entities/top-up.entity';
import type { PaymentLifecycle } from '../top-ups/payment-lifecycle';
import { AutoRechargeAttemptStatus } from './auto-recharge.enums';
import { AutoRechargeAttemptEntity } from './entities/auto-recharge-attempt.entity';
import { SavedPaymentMethodsService } from './saved-payment-methods.service';

const CLAIM_BATCH_SIZE = 20;
/** Longer than the slowest charge (the SDK's timeout times its retries), so a live charge is never claimed twice. */
const LEASE_MS = 120_000;
const RETRY_BASE_DELAY_MS = 5_000;
const RETRY_MAX_DELAY_MS = 600_000;

/**
 * Charges fired recharges off-session, after the firing committed. A process claims DUE attempts
 * with a lease (a conditional update only one process wins), like the outbox and the webhook
 * deliveries, so a process that dies mid-charge leaves the attempt to the next one. The charge's
 * Stripe idempotency key derives from the top-up id, so a second charge of one top-up gets Stripe's
 * first answer back instead of charging twice. A provider error leaves the attempt DUE with a
 * backoff; the top-up's lifetime bounds the retries (an expired top-up is settled as FAILED).
 */
export class AutoRechargeChargeWorker extends RowWorker<AutoRechargeAttemptEntity> {
  constructor(
    private readonly dependencies: {
      runner: TransactionRunner;
      payments: Pick<PaymentLifecycle, 'chargeOffSession'>;
      logger: Logger;
      pollIntervalMs: number;
    },
  ) {
    // One charge at a time; a charge that throws ends the round (the others wait for their leases).
    super({ ...dependencies, concurrency: 1, drainFailureMessage: 'auto-recharge charge drain failed; will retry' });
  }

  protected claim(manager: EntityManager, { owner, now }: Lease): Promise<AutoRechargeAttemptEntity[]> {
    const leaseUntil = new Date(now.getTime() + LEASE_MS);
    return claimDueRows(manager, AutoRechargeAttemptEntity, { status: AutoRechargeAttemptStatus.DUE, owner, leaseUntil, now, take: CLAIM_BATCH_SIZE });
  }

  protected process(attempt: AutoRechargeAttemptEntity): Promise<void> {
    return this.charge(attempt);
  }

  private async charge(attempt: AutoRechargeAttemptEntity): Promise<void> {
    const { runner, payments, logger } = this.dependencies;
    try {
      const { topUp, card } = await runner.read(async (manager) => ({
        topUp: await manager.findOneByOrFail(TopUpEntity, { id: attempt.topUpId! }),
        card: await SavedPaymentMethodsService.cardOf(manager, attempt.accountId, attempt.paymentMethodId),
      }));
      if (!card) {
        // The card is gone: the top-up stays unpaid and expires, which settles the attempt as FAILED.
        logger.warn({ attemptId: attempt.id, accountId: attempt.accountId }, 'auto-recharge card not found; the top-up will expire');
      } else {
        await payments.chargeOffSession(topUp, { customerReference: card.customerReference, paymentMethodReference: card.paymentMethod.providerReference });
      }
      await this.release(attempt, { status: AutoRechargeAttemptStatus.CHARGED, nextAttemptAt: null });
    } catch (error) {
      const delayMs = retryDelayMs(attempt.chargeAttempts + 1, { baseMs: RETRY_BASE_DELAY_MS, maxMs: RETRY_MAX_DELAY_MS, jitter: false });
      logger.warn({ err: error, attemptId: attempt.id, topUpId: attempt.topUpId, retryInMs: delayMs }, 'auto-recharge charge failed; it will be retried');
      await this.release(attempt, { nextAttemptAt: new Date(Date.now() + delayMs) });
    }
  }

  /** Ends this process's claim; a settlement that already moved the attempt on is kept. */
  private async release(attempt: AutoRechargeAttemptEntity, change: Partial<AutoRechargeAttemptEntity>): Promise<void> {
    await this.dependencies.runner.transaction((manager) =>
      manager.update(
        AutoRechargeAttemptEntity,
        { id: attempt.id, status: AutoRechargeAttemptStatus.DUE, leaseOwner: attempt.leaseOwner! },
        { ...change, chargeAttempts: attempt.chargeAttempts + 1, leaseOwner: null, leaseUntil: null, updatedAt: new Date() },
      ),
    );
  }
}
