import { EntityManager, In } from 'typeorm';
import { invariant } from '../../common/domain-error';
import type { Logger } from '../../common/logger';
import type { ReceiptsConfig } from '../../config';
import type { TransactionRunner } from '../../database/transaction-runner';
import { calendarYear } from './document-number';
import { CreditNoteEntity } from './entities/credit-note.entity';
import { DebitNoteEntity } from './entities/debit-note.entity';
import { ReceiptEntity } from './entities/receipt.entity';
import type { CreditNoteReason } from './receipt.enums';
import { type Numbering, readNumbered, readNumberedByIds } from './numbered-reads';
import { shareOfMinor } from './tax';

/** What gives a purchase's money back, as the transaction that takes its credits back knows it. */
export interface CreditNoteRequest {
  /** The purchase (top-up) whose receipt the note names. */
  topUpId: string;
  /** Credits this reversal takes back (positive). */
  amountMicros: bigint;
  reason: CreditNoteReason;
  /** The ledger idempotency key of the posting that takes them back: one credit note per posting. */
  sourceKey: string;
}

/**
 * Credit notes: the one way any path that gives a purchase's money back (a provider's refund or
 * dispute today, a platform refund) documents it. `issue` runs inside that path's transaction, with
 * the top-up's row locked by the caller, so two reversals of one purchase are documented one after
 * the other. Numbered in their own series by the numbering worker, like receipts.
 */
export class CreditNotesService {
  constructor(
    private readonly dependencies: {
      runner: TransactionRunner;
      config: ReceiptsConfig;
      numbering: Numbering;
      logger: Logger;
    },
  ) {}

  /**
   * Issues the credit note of one reversal: the money is the receipt's total times the share of its
   * credits given back so far, minus the money the standing notes gave back (so the notes of a
   * receipt add up to its total exactly once every credit is back), tax likewise. A note a debit note
   * cancelled no longer stands: its credits and money count as not given back. Returns null for a
   * purchase with no receipt (one paid before receipts existed and not back-filled yet): there is
   * nothing to credit.
   */
  async issue(manager: EntityManager, request: CreditNoteRequest): Promise<CreditNoteEntity | null> {
    invariant(request.amountMicros > 0n, 'a credit note gives back a positive amount');
    const receipt = await manager.findOneBy(ReceiptEntity, { topUpId: request.topUpId });
    if (!receipt) return null;
    const before = await standingCredit(manager, receipt.id);
    const after = before.micros + request.amountMicros;
    invariant(after <= receipt.amountMicros, `credit notes give back at most the receipt's credits (${after} of ${receipt.amountMicros})`);
    // Never below zero: cancelled notes can leave the standing money a rounding unit above the share.
    const share = (wholeMinor: bigint, givenMinor: bigint) => {
      const owed = shareOfMinor(wholeMinor, after, receipt.amountMicros) - givenMinor;
      return owed > 0n ? owed : 0n;
    };
    const issuedAt = new Date();
    const note = manager.create(CreditNoteEntity, {
      accountId: receipt.accountId,
      receiptId: receipt.id,
      topUpId: receipt.topUpId,
      sourceKey: request.sourceKey,
      reason: request.reason,
      series: this.dependencies.config.creditNotePrefix,
      year: calendarYear(issuedAt, this.dependencies.config.timeZone),
      sequence: null,
      numberedAt: null,
      issuedAt,
      amountMicros: request.amountMicros,
      currency: receipt.currency,
      totalMinor: share(receipt.totalMinor, before.totalMinor),
      taxMinor: share(receipt.taxMinor, before.taxMinor),
      taxBasisPoints: receipt.taxBasisPoints,
      leaseOwner: null,
      leaseUntil: null,
    });
    await manager.insert(CreditNoteEntity, note);
    this.dependencies.runner.afterCommit(manager, this.kickNumbering);
    return note;
  }

  private readonly kickNumbering = () => this.dependencies.numbering.kick();

  async findById(id: string): Promise<CreditNoteEntity | null> {
    const [note] = await this.findByIds([id]);
    return note ?? null;
  }

  /** Credit notes by id (as GraphQL and the PDF route carry them). */
  async findByIds(ids: readonly string[]): Promise<CreditNoteEntity[]> {
    return readNumberedByIds(CreditNoteEntity, ids, this.dependencies);
  }

  /** The credit notes of these receipts, oldest first. */
  async findByReceiptIds(receiptIds: readonly number[]): Promise<CreditNoteEntity[]> {
    if (receiptIds.length === 0) return [];
    return this.read((manager) => manager.find(CreditNoteEntity, { where: { receiptId: In([...receiptIds]) }, order: { id: 'ASC' } }));
  }

  private read(read: (manager: EntityManager) => Promise<CreditNoteEntity[]>): Promise<CreditNoteEntity[]> {
    return readNumbered(CreditNoteEntity, read, this.dependencies);
  }
}

/**
 * What the receipt's standing credit notes gave back: the sums of its credit notes less the sums of
 * the debit notes that cancelled some of them (each cancels one note for exactly its amounts).
 */
async function standingCredit(manager: EntityManager, receiptId: number): Promise<{ micros: bigint; totalMinor: bigint; taxMinor: bigint }> {
  const sums = async (entity: typeof CreditNoteEntity | typeof DebitNoteEntity) => {
    const row = await manager
      .createQueryBuilder(entity, 'note')
      .select('COALESCE(SUM(note.amountMicros), 0)', 'micros')
      .addSelect('COALESCE(SUM(note.totalMinor), 0)', 'totalMinor')
      .addSelect('COALESCE(SUM(note.taxMinor), 0)', 'taxMinor')
      .where('note.receiptId = :receiptId', { receiptId })
      .getRawOne<Record<'micros' | 'totalMinor' | 'taxMinor', string | number>>();
    return { micros: BigInt(row?.micros ?? 0), totalMinor: BigInt(row?.totalMinor ?? 0), taxMinor: BigInt(row?.taxMinor ?? 0) };
  };
  const [credited, cancelled] = [await sums(CreditNoteEntity), await sums(DebitNoteEntity)];
  return {
    micros: credited.micros - cancelled.micros,
    totalMinor: credited.totalMinor - cancelled.totalMinor,
    taxMinor: credited.taxMinor - cancelled.taxMinor,
  };
}
