import { EntityManager } from 'typeorm';
import { invariant } from '../../common/domain-error';
import type { Logger } from '../../common/logger';
import { isUniqueViolation, type TransactionRunner } from '../../database/transaction-runner';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletFloor, WalletKind } from '../../ledger/ledger.enums';
import type { LedgerService } from '../../ledger/ledger.service';
import type { OutboxService } from '../../notifications/outbox.service';
import { PaymentEvent } from '../providers/payment-provider';
import type { CreditNotesService } from '../receipts/credit-notes.service';
import type { DebitNotesService } from '../receipts/debit-notes.service';
import { CreditNoteReason, DebitNoteReason } from '../receipts/receipt.enums';
import type { ReceiptsService } from '../receipts/receipts.service';
import { PaymentEventEntity } from './entities/payment-event.entity';
import { TopUpEntity } from './entities/top-up.entity';
import { decidePaymentEvent, type DisputeRecord, type PaymentEventDecision } from './payment-event-decision';
import { OPEN_TOP_UP_STATUSES, TopUpStatus } from './top-up.enums';
import { disputeKey, disputeWonKey } from './dispute-keys';
import { announceStatus, moveStatus } from './top-up-status';
import { lockedForUpdate } from '../../database/dialect';

/**
 * What one provider event did. The webhook routes turn it into the answer each provider expects
 * (VNPay's RspCode order follows the list: unknown, amount, already final, applied).
 */
export type EventResult =
  | { kind: 'UNKNOWN_TOP_UP' }
  | { kind: 'AMOUNT_MISMATCH'; topUp: TopUpEntity }
  | { kind: 'ALREADY_FINAL'; topUp: TopUpEntity }
  | { kind: 'DUPLICATE' }
  /** A refund for a top-up that is not paid yet: answer non-2xx so the provider redelivers it later. */
  | { kind: 'RETRY_LATER'; topUp: TopUpEntity }
  | { kind: 'IGNORED'; topUp: TopUpEntity }
  | { kind: 'APPLIED'; topUp: TopUpEntity; previousStatus: TopUpStatus };

/**
 * The one way a provider's word changes a top-up, whichever path it came by (Stripe webhook, PayPal
 * webhook or synchronous capture, VNPay IPN). In ONE database transaction: record the event id
 * (unique, so a redelivery is a no-op), move the top-up only from an open status (conditional
 * update), and post the ledger credit only when that move happened (ledger key `topup:<id>`), with
 * the purchase's receipt; a refund or dispute takes credits back with a credit note naming it, and a
 * dispute won gives them back with a debit note cancelling that credit note.
 * Only `PaymentLifecycle` calls it; what must happen at the provider after commit is done there.
 */
export class PaymentEventsService {
  constructor(
    private readonly dependencies: {
      runner: TransactionRunner;
      ledger: LedgerService;
      outbox: OutboxService;
      receipts: Pick<ReceiptsService, 'issueForPurchase'>;
      creditNotes: Pick<CreditNotesService, 'issue'>;
      debitNotes: Pick<DebitNotesService, 'cancel'>;
      logger: Logger;
    },
  ) {}

  async apply(event: PaymentEvent): Promise<EventResult> {
    const { runner, logger } = this.dependencies;
    let result: EventResult;
    try {
      result = await runner.transaction((manager) => this.applyInTransaction(manager, event));
    } catch (error) {
      if (isUniqueViolation(error)) return { kind: 'DUPLICATE' };
      throw error;
    }
    if (result.kind === 'AMOUNT_MISMATCH') {
      logger.error({ event: describe(event), topUpId: result.topUp.id }, 'payment event amount or currency differs from the top-up; nothing changed');
    }
    return result;
  }

  private async applyInTransaction(manager: EntityManager, event: PaymentEvent): Promise<EventResult> {
    const topUp = await this.lockTopUp(manager, event);
    if (!topUp) return { kind: 'UNKNOWN_TOP_UP' };
    const decision = decidePaymentEvent(topUp, event, await this.disputeRecord(manager, event, topUp));
    switch (decision.kind) {
      case 'AMOUNT_MISMATCH':
      case 'RETRY_LATER':
        return { kind: decision.kind, topUp };
      case 'NO_MOVE':
        if (decision.record === 'LATE_SUCCESS') {
          this.dependencies.logger.error(
            { event: describe(event), topUpId: topUp.id, status: topUp.status },
            'payment succeeded after the top-up became final: refund it by hand',
          );
        }
        if (decision.record) await this.record(manager, event, topUp, decision.record);
        return { kind: decision.answer, topUp };
      case 'MOVE':
        return this.applyMove(manager, event, topUp, decision);
      case 'REVERSE':
        return this.applyReversal(manager, event, topUp, decision);
      case 'REINSTATE':
        return this.applyReinstatement(manager, event, topUp, decision);
      default:
        return unreachable(decision);
    }
  }

  /** Moves the open top-up by a conditional update; credits it when it SUCCEEDED. */
  private async applyMove(
    manager: EntityManager,
    event: PaymentEvent,
    topUp: TopUpEntity,
    decision: Extract<PaymentEventDecision, { kind: 'MOVE' }>,
  ): Promise<EventResult> {
    const previousStatus = topUp.status;
    // A move to REQUIRES_ACTION or SUCCEEDED clears the code a failed attempt left (failureCode null).
    const moved = await moveStatus(manager, topUp, {
      from: decision.to === TopUpStatus.REQUIRES_ACTION ? [TopUpStatus.PENDING] : OPEN_TOP_UP_STATUSES,
      to: decision.to,
      now: new Date(),
      failureCode: decision.failureCode,
    });
    invariant(moved, 'the locked open top-up moves');
    await this.record(manager, event, topUp, 'APPLIED');
    if (decision.failureCode) {
      // The provider's own words stay in the log; the buyer sees the code's message.
      this.dependencies.logger.info(
        { event: describe(event), providerReason: event.reason ?? null, failureCode: topUp.failureCode, topUpId: topUp.id },
        'top-up did not succeed',
      );
    }
    const balances = decision.to === TopUpStatus.SUCCEEDED ? await this.postCredit(manager, topUp) : undefined;
    if (decision.to === TopUpStatus.SUCCEEDED) {
      // An off-session charge's webhook can arrive before the charge's answer stored the intent id on the top-up.
      await this.dependencies.receipts.issueForPurchase(manager, { ...topUp, providerReference: topUp.providerReference ?? event.providerReference });
    }
    await announceStatus(manager, this.dependencies.outbox, topUp, balances);
    return { kind: 'APPLIED', topUp, previousStatus };
  }

  /** Takes back the refunded or disputed share of the credits, once per provider event. */
  private async applyReversal(
    manager: EntityManager,
    event: PaymentEvent,
    topUp: TopUpEntity,
    { reversalMicros, reversedMicros, status }: Extract<PaymentEventDecision, { kind: 'REVERSE' }>,
  ): Promise<EventResult> {
    await this.record(manager, event, topUp, 'APPLIED');
    const previousStatus = topUp.status;
    await setReversed(manager, topUp, { reversedMicros, status });
    // A dispute takes once whichever of its events comes first; a refund once per provider event.
    const idempotencyKey = event.disputeReference ? disputeKey(event.provider, event.disputeReference) : `topup-reversal:${event.provider}:${event.eventId}`;
    const posting = await this.dependencies.ledger.post(manager, {
      type: LedgerTransactionType.TOP_UP_REVERSAL,
      idempotencyKey,
      reference: `topup:${topUp.id}`,
      description: event.outcome === 'DISPUTED' ? `Payment disputed (${event.provider})` : `Payment refunded (${event.provider})`,
      legs: [
        // The credits may already be spent: the top-up balance may go negative (the account is then depleted and on reversal hold).
        { accountId: topUp.accountId, walletKind: WalletKind.TOPUP, amountMicros: -reversalMicros, floor: WalletFloor.NONE },
        { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PAYMENT_CLEARING, amountMicros: reversalMicros },
      ],
    });
    await this.dependencies.creditNotes.issue(manager, {
      topUpId: topUp.id,
      amountMicros: reversalMicros,
      reason: event.outcome === 'DISPUTED' ? CreditNoteReason.DISPUTE : CreditNoteReason.PROVIDER_REFUND,
      sourceKey: idempotencyKey,
    });
    await announceStatus(manager, this.dependencies.outbox, topUp, posting.balances.get(topUp.accountId));
    return { kind: 'APPLIED', topUp, previousStatus };
  }

  /** Gives back what a dispute's reversal took (the dispute was won), once per dispute, cancelling its credit note. */
  private async applyReinstatement(
    manager: EntityManager,
    event: PaymentEvent,
    topUp: TopUpEntity,
    { reinstatedMicros, reversedMicros, status }: Extract<PaymentEventDecision, { kind: 'REINSTATE' }>,
  ): Promise<EventResult> {
    invariant(event.disputeReference, 'a dispute won names its dispute');
    await this.record(manager, event, topUp, 'APPLIED');
    const previousStatus = topUp.status;
    await setReversed(manager, topUp, { reversedMicros, status });
    const idempotencyKey = disputeWonKey(event.provider, event.disputeReference);
    const posting = await this.dependencies.ledger.post(manager, {
      type: LedgerTransactionType.DISPUTE_WON,
      idempotencyKey,
      reference: `topup:${topUp.id}`,
      description: `Dispute won (${event.provider})`,
      legs: [
        { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PAYMENT_CLEARING, amountMicros: -reinstatedMicros },
        { accountId: topUp.accountId, walletKind: WalletKind.TOPUP, amountMicros: reinstatedMicros },
      ],
    });
    await this.dependencies.debitNotes.cancel(manager, {
      creditNoteSourceKey: disputeKey(event.provider, event.disputeReference),
      amountMicros: reinstatedMicros,
      reason: DebitNoteReason.DISPUTE_WON,
      sourceKey: idempotencyKey,
    });
    await announceStatus(manager, this.dependencies.outbox, topUp, posting.balances.get(topUp.accountId));
    return { kind: 'APPLIED', topUp, previousStatus };
  }

  /**
   * What the ledger holds about the event's dispute, read under the top-up's lock: what its reversal
   * took and whether a win gave it back (one key each), and for a win whose reversal is not found,
   * whether any dispute withdrawal of the top-up was recorded. Null for other events.
   */
  private async disputeRecord(manager: EntityManager, event: PaymentEvent, topUp: TopUpEntity): Promise<DisputeRecord | null> {
    if (!event.disputeReference || (event.outcome !== 'DISPUTED' && event.outcome !== 'DISPUTE_WON')) return null;
    const { ledger } = this.dependencies;
    const takenMicros = await ledger.netOfAccountByKey(manager, disputeKey(event.provider, event.disputeReference), topUp.accountId);
    if (event.outcome === 'DISPUTED') return { takenMicros, givenBack: false, withdrawalRecorded: false };
    const givenBack = (await ledger.findTransactionByKey(manager, disputeWonKey(event.provider, event.disputeReference))) !== null;
    const withdrawalRecorded = takenMicros === null && (await manager.existsBy(PaymentEventEntity, { topUpId: topUp.id, outcome: 'DISPUTED' }));
    return { takenMicros, givenBack, withdrawalRecorded };
  }

  private async postCredit(manager: EntityManager, topUp: TopUpEntity) {
    const posting = await this.dependencies.ledger.post(manager, {
      type: LedgerTransactionType.TOP_UP,
      idempotencyKey: `topup:${topUp.id}`,
      reference: `topup:${topUp.id}`,
      description: `Top-up via ${topUp.method}`,
      legs: [
        { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PAYMENT_CLEARING, amountMicros: -topUp.amountMicros },
        { accountId: topUp.accountId, walletKind: WalletKind.TOPUP, amountMicros: topUp.amountMicros },
      ],
    });
    return posting.balances.get(topUp.accountId);
  }

  /** The unique (provider, eventId) row; a second delivery fails here and the transaction rolls back. */
  private async record(manager: EntityManager, event: PaymentEvent, topUp: TopUpEntity, result: string): Promise<void> {
    await manager.insert(PaymentEventEntity, {
      provider: event.provider,
      eventId: event.eventId.slice(0, 191),
      topUpId: topUp.id,
      outcome: event.outcome,
      result,
      receivedAt: new Date(),
    });
  }

  /**
   * Finds the event's top-up and, on MySQL, locks its row for the rest of the transaction, so all
   * events about one top-up are decided one after another. (SQLite runs one transaction at a time.)
   */
  private async lockTopUp(manager: EntityManager, event: PaymentEvent): Promise<TopUpEntity | null> {
    const where =
      event.topUpId && event.topUpId.length <= 40
        ? { id: event.topUpId }
        : event.providerReference && event.providerReference.length <= 191
          ? { method: event.provider, providerReference: event.providerReference }
          : null;
    if (!where) return null;
    const topUp = await lockedForUpdate(manager.createQueryBuilder(TopUpEntity, 'topUp').where(where)).getOne();
    if (!topUp || topUp.method !== event.provider) return null;
    return topUp;
  }
}

/** Moves the locked top-up's reversed amount (and status), conditionally on the amount it was read with. */
async function setReversed(manager: EntityManager, topUp: TopUpEntity, change: { reversedMicros: bigint; status: TopUpStatus }): Promise<void> {
  const now = new Date();
  const { affected } = await manager
    .createQueryBuilder()
    .update(TopUpEntity)
    .set({ ...change, updatedAt: now })
    .where('id = :id AND reversedMicros = :previous', { id: topUp.id, previous: topUp.reversedMicros.toString() })
    .execute();
  invariant(affected === 1, 'the locked top-up takes the change of its reversed amount');
  Object.assign(topUp, change, { updatedAt: now });
}

function unreachable(decision: never): never {
  throw new Error(`Invariant violated: an unknown payment-event decision ${(decision as { kind: string }).kind}`);
}

function describe(event: PaymentEvent) {
  return {
    provider: event.provider,
    eventId: event.eventId,
    outcome: event.outcome,
    amountMinor: event.amountMinor?.toString() ?? null,
    currency: event.currency,
  };
}
