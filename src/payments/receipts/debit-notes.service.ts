import { EntityManager, In } from 'typeorm';
import { invariant } from '../../common/domain-error';
import type { Logger } from '../../common/logger';
import type { ReceiptsConfig } from '../../config';
import type { TransactionRunner } from '../../database/transaction-runner';
import { calendarYear } from './document-number';
import { CreditNoteEntity } from './entities/credit-note.entity';
import { DebitNoteEntity } from './entities/debit-note.entity';
import type { DebitNoteReason } from './receipt.enums';
import { type Numbering, readNumbered, readNumberedByIds } from './numbered-reads';

/** What cancels a credit note, as the transaction that gives its credits back knows it. */
export interface DebitNoteRequest {
  /** The ledger key of the posting that took the credits back: the credit note's `sourceKey`. */
  creditNoteSourceKey: string;
  /** Credits this give-back returns to the account: exactly what the credit note's posting took. */
  amountMicros: bigint;
  reason: DebitNoteReason;
  /** The ledger key of the posting that gives them back: one debit note per posting. */
  sourceKey: string;
}

/**
 * Debit notes: the one way any path that undoes a documented reversal (a dispute won, a platform
 * refund that failed after its provider confirmed it) documents the money returning to the seller.
 * A debit note cancels one credit note, for exactly its credits and money, names it and its receipt,
 * and is numbered in its own series. `cancel` runs inside that path's transaction, with the top-up's
 * row locked by the caller (as `CreditNotesService.issue` does).
 */
export class DebitNotesService {
  constructor(
    private readonly dependencies: {
      runner: TransactionRunner;
      config: ReceiptsConfig;
      numbering: Numbering;
      logger: Logger;
    },
  ) {}

  /**
   * Cancels the credit note the reversal's posting issued. Null when it issued none (a purchase
   * without a receipt, a refund the provider never confirmed): nothing was documented, so nothing is
   * cancelled. A credit note already cancelled answers its debit note (the unique index holds the
   * rule; this read keeps a repeated call from tripping it).
   */
  async cancel(manager: EntityManager, request: DebitNoteRequest): Promise<DebitNoteEntity | null> {
    const note = await manager.findOneBy(CreditNoteEntity, { sourceKey: request.creditNoteSourceKey });
    if (!note) return null;
    invariant(
      request.amountMicros === note.amountMicros,
      `a debit note gives back what its credit note took (${request.amountMicros} of ${note.amountMicros})`,
    );
    const existing = await manager.findOneBy(DebitNoteEntity, { creditNoteId: note.id });
    if (existing) return existing;
    const { config, runner } = this.dependencies;
    const issuedAt = new Date();
    const debitNote = manager.create(DebitNoteEntity, {
      accountId: note.accountId,
      creditNoteId: note.id,
      receiptId: note.receiptId,
      topUpId: note.topUpId,
      sourceKey: request.sourceKey,
      reason: request.reason,
      series: config.debitNotePrefix,
      year: calendarYear(issuedAt, config.timeZone),
      sequence: null,
      numberedAt: null,
      issuedAt,
      amountMicros: note.amountMicros,
      currency: note.currency,
      totalMinor: note.totalMinor,
      taxMinor: note.taxMinor,
      taxBasisPoints: note.taxBasisPoints,
      leaseOwner: null,
      leaseUntil: null,
    });
    await manager.insert(DebitNoteEntity, debitNote);
    runner.afterCommit(manager, this.kickNumbering);
    return debitNote;
  }

  private readonly kickNumbering = () => this.dependencies.numbering.kick();

  async findById(id: string): Promise<DebitNoteEntity | null> {
    const [note] = await this.findByIds([id]);
    return note ?? null;
  }

  /** Debit notes by id (as GraphQL and the PDF route carry them). */
  async findByIds(ids: readonly string[]): Promise<DebitNoteEntity[]> {
    return readNumberedByIds(DebitNoteEntity, ids, this.dependencies);
  }

  /** The debit notes of these receipts, oldest first. */
  async findByReceiptIds(receiptIds: readonly number[]): Promise<DebitNoteEntity[]> {
    if (receiptIds.length === 0) return [];
    return this.read((manager) => manager.find(DebitNoteEntity, { where: { receiptId: In([...receiptIds]) }, order: { id: 'ASC' } }));
  }

  /** The debit notes that cancelled these credit notes (at most one each). */
  async findByCreditNoteIds(creditNoteIds: readonly number[]): Promise<DebitNoteEntity[]> {
    if (creditNoteIds.length === 0) return [];
    return this.read((manager) => manager.findBy(DebitNoteEntity, { creditNoteId: In([...creditNoteIds]) }));
  }

  private read(read: (manager: EntityManager) => Promise<DebitNoteEntity[]>): Promise<DebitNoteEntity[]> {
    return readNumbered(DebitNoteEntity, read, this.dependencies);
  }
}
