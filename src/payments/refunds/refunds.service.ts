import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../audit/actor';
import { AuditAction } from '../../audit/audit.enums';
import { recordAudit } from '../../audit/audit-recorder';
import { badInput, DomainError, ErrorCode, invariant, notFound } from '../../common/domain-error';
import { assertValidIdempotencyKey, executeOnce, hashRequest } from '../../common/idempotency';
import type { CreditNotesService } from '../receipts/credit-notes.service';
import type { DebitNotesService } from '../receipts/debit-notes.service';
import { CreditNoteReason, DebitNoteReason } from '../receipts/receipt.enums';
import type { Logger } from '../../common/logger';
import { formatMicros, positiveAmountProblem } from '../../common/money';
import { requiredText } from '../../common/validation';
import { lockedForUpdate } from '../../database/dialect';
import { isUniqueViolation, type TransactionRunner } from '../../database/transaction-runner';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletKind } from '../../ledger/ledger.enums';
import type { LedgerService } from '../../ledger/ledger.service';
import type { OutboxService } from '../../notifications/outbox.service';
import { PaymentGateways, PaymentMethod, RefundAnswer, RefundEvent, RefundGateway } from '../providers/payment-provider';
import { vnpayCreateDate } from '../providers/vnpay.gateway';
import { TopUpEntity } from '../top-ups/entities/top-up.entity';
import { chargeMinorForRefund } from '../top-ups/pricing';
import { isPaidStatus, paidStatusOf } from '../top-ups/top-up.enums';
import { announceStatus } from '../top-ups/top-up-status';
import { TopUpRefundEntity } from './entities/top-up-refund.entity';
import { RefundStatus } from './refund.enums';

export interface RefundCommand {
  topUpId: string;
  amountMicros: bigint;
  reason: string;
  idempotencyKey: string;
}

/** How many refunds of one top-up its `refunds` field lists. */
export const MAX_REFUNDS_SHOWN = 50;

/** What applying a provider's word about a refund did (the webhook routes log it). */
export type RefundEventResult = { kind: 'UNKNOWN_REFUND' } | { kind: 'NO_CHANGE' } | { kind: 'APPLIED'; status: RefundStatus };

/**
 * Refunds from the platform (refundTopUp): the credits leave at once, in one transaction with the
 * refund row, the top-up's refunded amount and the audit entry (a REFUND posting, which may not take
 * the top-up wallet below zero); then the provider that took the money is asked, with an
 * idempotency key derived from the refund's id. Its answer, synchronous or by webhook, moves the
 * refund to SUCCEEDED or FAILED; a refusal gives the credits back exactly once (a second REFUND
 * posting under its own ledger key).
 */
export class RefundsService {
  /** Provider calls under way in this process, by refund id: concurrent retries share one. */
  private readonly submitting = new Map<string, Promise<TopUpRefundEntity>>();

  constructor(
    private readonly dependencies: {
      runner: TransactionRunner;
      ledger: LedgerService;
      outbox: OutboxService;
      gateways: PaymentGateways;
      logger: Logger;
      creditNotes: Pick<CreditNotesService, 'issue'>;
      debitNotes: Pick<DebitNotesService, 'cancel'>;
    },
  ) {}

  async refund(command: RefundCommand, actor: Actor): Promise<TopUpRefundEntity> {
    const problem = positiveAmountProblem(command.amountMicros);
    if (problem) throw badInput(`amount: ${problem}.`, { field: 'amount' });
    assertValidIdempotencyKey(command.idempotencyKey);
    const reason = requiredText('reason', command.reason, { max: 500 });
    const requestHash = hashRequest({ topUpId: command.topUpId, amountMicros: command.amountMicros, reason });
    const refund = await executeOnce({
      requestHash,
      findExisting: async () => {
        const existing = await this.findByKey(command.idempotencyKey);
        return existing && { requestHash: existing.requestHash, result: existing };
      },
      execute: () => this.dependencies.runner.transaction((manager) => this.takeCredits(manager, { ...command, reason }, requestHash, actor)),
      isRaceLost: isUniqueViolation,
      keyReusedMessage: 'This idempotency key was already used for another refund. Use a new key for a new refund.',
    });
    // A first attempt, or a retry of one whose provider call got no answer (a timeout, a crash):
    // ask the provider. Its idempotency key derives from the refund, so it refunds once either way.
    return refund.status === RefundStatus.PENDING && refund.providerReference === null ? this.submitOnce(refund) : refund;
  }

  /** A verified provider event about one of our refunds (its metadata named it). */
  async applyProviderEvent(event: RefundEvent): Promise<RefundEventResult> {
    const refund = await this.dependencies.runner.read((manager) => manager.findOneBy(TopUpRefundEntity, { id: event.refundId.slice(0, 40) }));
    if (!refund || refund.method !== event.provider) return { kind: 'UNKNOWN_REFUND' };
    return this.applyAnswer(refund, event);
  }

  findById(id: string): Promise<TopUpRefundEntity | null> {
    return this.dependencies.runner.read((manager) => manager.findOneBy(TopUpRefundEntity, { id }));
  }

  /** The refunds of a top-up, oldest first (at most `MAX_REFUNDS_SHOWN`). */
  refundsOf(topUpId: string): Promise<TopUpRefundEntity[]> {
    return this.dependencies.runner.read((manager) =>
      manager.find(TopUpRefundEntity, { where: { topUpId }, order: { createdAt: 'ASC', id: 'ASC' }, take: MAX_REFUNDS_SHOWN }),
    );
  }

  /** In one transaction: the refund row, the top-up's refunded amount and status, the REFUND posting, the notification and the audit entry. */
  private async takeCredits(manager: EntityManager, command: RefundCommand, requestHash: string, actor: Actor): Promise<TopUpRefundEntity> {
    const topUp = await lockedForUpdate(manager.createQueryBuilder(TopUpEntity, 'topUp').where({ id: command.topUpId })).getOne();
    if (!topUp) throw notFound(`Top-up ${command.topUpId}`);
    if (!isPaidStatus(topUp.status))
      throw badInput(`This top-up is ${topUp.status}: only a paid top-up can be refunded.`, { field: 'topUpId', status: topUp.status });
    this.gatewayOrThrow(topUp.method);
    invariant(topUp.providerReference, `paid top-up ${topUp.id} has a provider reference`);
    const refundableMicros = topUp.amountMicros - topUp.reversedMicros - topUp.refundedMicros;
    if (command.amountMicros > refundableMicros) {
      throw badInput(`At most ${formatMicros(refundableMicros)} credits of this purchase are left to refund.`, {
        field: 'amount',
        refundableAmount: formatMicros(refundableMicros),
      });
    }
    const amountMinor = chargeMinorForRefund(command.amountMicros, topUp);
    if (amountMinor <= 0n) throw badInput('This amount is too small to return any money; refund more credits.', { field: 'amount' });
    const now = new Date();
    const refund = manager.create(TopUpRefundEntity, {
      id: randomUUID(),
      topUpId: topUp.id,
      accountId: topUp.accountId,
      method: topUp.method,
      idempotencyKey: command.idempotencyKey,
      requestHash,
      amountMicros: command.amountMicros,
      amountMinor,
      currency: topUp.currency,
      creditPrice: topUp.creditPrice,
      reason: command.reason,
      status: RefundStatus.PENDING,
      providerReference: null,
      failureReason: null,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    });
    // The unique key refuses a concurrent first attempt with the same key here (it then reads the winner's row).
    await manager.insert(TopUpRefundEntity, refund);
    await this.changeRefunded(manager, topUp, { micros: command.amountMicros, minor: amountMinor, now });
    const posting = await this.dependencies.ledger.post(manager, {
      type: LedgerTransactionType.REFUND,
      idempotencyKey: refundKey(refund),
      requestHash,
      reference: `topup:${topUp.id}`,
      description: `Refund via ${topUp.method}`,
      legs: [
        // ZERO floor: never more than the account's top-up balance at this moment, however usage and transfers race it.
        { accountId: topUp.accountId, walletKind: WalletKind.TOPUP, amountMicros: -command.amountMicros },
        { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PAYMENT_CLEARING, amountMicros: command.amountMicros },
      ],
    });
    await announceStatus(manager, this.dependencies.outbox, topUp, posting.balances.get(topUp.accountId));
    await recordAudit(manager, actor, {
      action: AuditAction.PURCHASE_REFUNDED,
      targetType: 'TOP_UP_REFUND',
      targetId: refund.id,
      accountId: topUp.accountId,
      after: { topUpId: topUp.id, amountMicros: command.amountMicros, amountMinor, currency: topUp.currency, status: refund.status },
      reason: command.reason,
    });
    return refund;
  }

  private submitOnce(refund: TopUpRefundEntity): Promise<TopUpRefundEntity> {
    const running = this.submitting.get(refund.id);
    if (running) return running;
    const submission = this.submit(refund).finally(() => this.submitting.delete(refund.id));
    this.submitting.set(refund.id, submission);
    return submission;
  }

  /** Asks the provider; its answer is applied like its events. An unknown outcome keeps the refund PENDING for a retry with the same key. */
  private async submit(refund: TopUpRefundEntity): Promise<TopUpRefundEntity> {
    const gateway = this.gatewayOrThrow(refund.method);
    const topUp = await this.topUpOf(refund);
    invariant(topUp.providerReference, `paid top-up ${topUp.id} has a provider reference`);
    let answer: RefundAnswer;
    try {
      answer = await gateway.refund({
        refundId: refund.id,
        topUpId: topUp.id,
        paymentReference: topUp.providerReference,
        amountMinor: refund.amountMinor,
        currency: refund.currency,
        wholeCharge: refund.amountMinor === topUp.chargeMinor,
        paymentStartedAt: vnpayCreateDate(topUp),
      });
    } catch (error) {
      this.dependencies.logger.warn({ err: error, refundId: refund.id, topUpId: topUp.id }, 'refund request got no answer from the provider');
      throw new DomainError(
        ErrorCode.PAYMENT_PROVIDER_ERROR,
        `${refund.method} did not answer the refund request; its credits stay taken. Retry refundTopUp with the same idempotency key.`,
        { provider: refund.method, refundId: refund.id },
      );
    }
    await this.applyAnswer(refund, answer);
    return (await this.findById(refund.id))!;
  }

  /**
   * The provider's word about a refund, in one transaction (the top-up locked first, then the
   * refund, like every path that changes both): PENDING → SUCCEEDED; PENDING or SUCCEEDED → FAILED,
   * which gives the credits back. A repeated or older word changes nothing.
   */
  private async applyAnswer(refund: Pick<TopUpRefundEntity, 'id' | 'topUpId'>, answer: RefundAnswer): Promise<RefundEventResult> {
    return this.dependencies.runner.transaction(async (manager) => {
      const topUp = await lockedForUpdate(manager.createQueryBuilder(TopUpEntity, 'topUp').where({ id: refund.topUpId })).getOneOrFail();
      const current = await lockedForUpdate(manager.createQueryBuilder(TopUpRefundEntity, 'refund').where({ id: refund.id })).getOneOrFail();
      const now = new Date();
      const reference = current.providerReference ?? answer.providerRefundReference;
      const next = nextStatus(current.status, answer.outcome);
      if (!next) {
        if (reference !== current.providerReference)
          await manager.update(TopUpRefundEntity, { id: current.id }, { providerReference: reference, updatedAt: now });
        return { kind: 'NO_CHANGE' };
      }
      const failureReason = next === RefundStatus.FAILED ? (answer.reason ?? 'refused by the provider').slice(0, 255) : null;
      const { affected } = await manager
        .createQueryBuilder()
        .update(TopUpRefundEntity)
        .set({ status: next, providerReference: reference, failureReason, updatedAt: now, completedAt: now })
        .where('id = :id AND status = :status', { id: current.id, status: current.status })
        .execute();
      invariant(affected === 1, 'the locked refund takes the provider answer');
      Object.assign(current, { status: next, providerReference: reference, failureReason, updatedAt: now, completedAt: now });
      if (next === RefundStatus.FAILED) await this.giveCreditsBack(manager, topUp, current);
      else await this.issueCreditNote(manager, current);
      return { kind: 'APPLIED', status: next };
    });
  }

  /**
   * The provider refused: the credits the refund took come back to the top-up wallet, once (ledger key
   * `refund-returned:<id>`). A refund that had succeeded had its credit note: a debit note cancels it.
   */
  private async giveCreditsBack(manager: EntityManager, topUp: TopUpEntity, refund: TopUpRefundEntity): Promise<void> {
    this.dependencies.logger.warn(
      { refundId: refund.id, topUpId: topUp.id, reason: refund.failureReason },
      'the provider refused a refund; its credits are given back',
    );
    await this.changeRefunded(manager, topUp, { micros: -refund.amountMicros, minor: -refund.amountMinor, now: refund.updatedAt });
    const idempotencyKey = `refund-returned:${refund.id}`;
    const posting = await this.dependencies.ledger.post(manager, {
      type: LedgerTransactionType.REFUND,
      idempotencyKey,
      reference: `topup:${topUp.id}`,
      description: `Refund refused by ${refund.method}: credits returned`,
      legs: [
        { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PAYMENT_CLEARING, amountMicros: -refund.amountMicros },
        { accountId: topUp.accountId, walletKind: WalletKind.TOPUP, amountMicros: refund.amountMicros },
      ],
    });
    await this.dependencies.debitNotes.cancel(manager, {
      creditNoteSourceKey: refundKey(refund),
      amountMicros: refund.amountMicros,
      reason: DebitNoteReason.REFUND_FAILED,
      sourceKey: idempotencyKey,
    });
    await announceStatus(manager, this.dependencies.outbox, topUp, posting.balances.get(topUp.accountId));
  }

  /** The provider confirmed the refund: its credit note, naming the top-up's receipt, in this transaction. */
  private async issueCreditNote(manager: EntityManager, refund: TopUpRefundEntity): Promise<void> {
    await this.dependencies.creditNotes.issue(manager, {
      topUpId: refund.topUpId,
      amountMicros: refund.amountMicros,
      reason: CreditNoteReason.REFUND,
      sourceKey: refundKey(refund),
    });
  }

  /** Moves the locked top-up's refunded amounts by `change` and its status with them (a conditional update on the previous amount). */
  private async changeRefunded(manager: EntityManager, topUp: TopUpEntity, change: { micros: bigint; minor: bigint; now: Date }): Promise<void> {
    const refundedMicros = topUp.refundedMicros + change.micros;
    const refundedMinor = topUp.refundedMinor + change.minor;
    invariant(refundedMicros >= 0n && refundedMinor >= 0n, 'a top-up never has a negative refunded amount');
    const status = paidStatusOf({ ...topUp, refundedMicros });
    const { affected } = await manager
      .createQueryBuilder()
      .update(TopUpEntity)
      .set({ refundedMicros, refundedMinor, status, updatedAt: change.now })
      .where('id = :id AND refundedMicros = :previous', { id: topUp.id, previous: topUp.refundedMicros.toString() })
      .execute();
    invariant(affected === 1, 'the locked top-up takes the refund');
    Object.assign(topUp, { refundedMicros, refundedMinor, status, updatedAt: change.now });
  }

  private gatewayOrThrow(method: PaymentMethod): RefundGateway {
    const { stripe, paypal, vnpay } = this.dependencies.gateways;
    const gateway = { [PaymentMethod.STRIPE]: stripe, [PaymentMethod.PAYPAL]: paypal, [PaymentMethod.VNPAY]: vnpay }[method];
    if (!gateway) {
      throw new DomainError(ErrorCode.PAYMENT_METHOD_UNAVAILABLE, `Refunds through ${method} are not available on this server.`, { method });
    }
    return gateway;
  }

  private findByKey(idempotencyKey: string): Promise<TopUpRefundEntity | null> {
    return this.dependencies.runner.read((manager) => manager.findOneBy(TopUpRefundEntity, { idempotencyKey }));
  }

  private topUpOf(refund: Pick<TopUpRefundEntity, 'topUpId'>): Promise<TopUpEntity> {
    return this.dependencies.runner.read((manager) => manager.findOneByOrFail(TopUpEntity, { id: refund.topUpId }));
  }
}

/** The ledger key of the posting that takes a refund's credits, and of its credit note. */
const refundKey = (refund: Pick<TopUpRefundEntity, 'id'>) => `refund:${refund.id}`;

/** The give-back key of a refund's key (a credit note's `sourceKey`): its credits returned after the provider refused; null for a key that is no refund's. */
export const refundReturnedKeyOf = (key: string): string | null => (key.startsWith('refund:') ? `refund-returned:${key.slice('refund:'.length)}` : null);

/** Where a refund goes on the provider's word; null when it stays (a repeat, or an older word after a newer one). */
function nextStatus(current: RefundStatus, outcome: RefundAnswer['outcome']): RefundStatus | null {
  if (current === RefundStatus.FAILED) return null;
  if (outcome === 'FAILED') return RefundStatus.FAILED;
  if (outcome === 'SUCCEEDED' && current === RefundStatus.PENDING) return RefundStatus.SUCCEEDED;
  return null;
}
