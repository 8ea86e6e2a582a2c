import { EntityManager, In } from 'typeorm';
import { invariant } from '../../common/domain-error';
import type { Logger } from '../../common/logger';
import type { ReceiptsConfig } from '../../config';
import type { TransactionRunner } from '../../database/transaction-runner';
import { calendarYear } from './document-number';
import { CreditNoteEntity } from './entities/credit-note.entity';
import { ReceiptEntity } from './entities/receipt.entity';
import type { CreditNoteReason } from './receipt.enums';
import { type Numbering, whenNumbered } from './numbered-reads';
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
   * credits given back so far, minus what earlier notes gave back (so the notes of a receipt add up
   * to its total exactly once every credit is back), tax likewise. Returns null for a purchase with
   * no receipt (one paid before receipts existed): there is nothing to credit.
   */
  async issue(manager: EntityManager, request: CreditNoteRequest): Promise<CreditNoteEntity | null> {
    invariant(request.amountMicros > 0n, 'a credit note gives back a positive amount');
    const receipt = await manager.findOneBy(ReceiptEntity, { topUpId: request.topUpId });
    if (!receipt) return null;
    const before = await creditedMicros(manager, receipt.id);
    const after = before + request.amountMicros;
    invariant(after <= receipt.amountMicros, `credit notes give back at most the receipt's credits (${after} of ${receipt.amountMicros})`);
    const share = (wholeMinor: bigint) => shareOfMinor(wholeMinor, after, receipt.amountMicros) - shareOfMinor(wholeMinor, before, receipt.amountMicros);
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
      totalMinor: share(receipt.totalMinor),
      taxMinor: share(receipt.taxMinor),
      taxBasisPoints: receipt.taxBasisPoints,
      leaseOwner: null,
      leaseUntil: null,
    });
    await manager.insert(CreditNoteEntity, note);
    this.dependencies.runner.afterCommit(manager, this.kickNumbering);
    return note;
  }

  private readonly kickNumbering = () => this.dependencies.numbering.kick();

  /** The credit notes of these receipts, oldest first. */
  async findByReceiptIds(receiptIds: readonly number[]): Promise<CreditNoteEntity[]> {
    if (receiptIds.length === 0) return [];
    const { runner, numbering, logger } = this.dependencies;
    const notes = await runner.read((manager) => manager.find(CreditNoteEntity, { where: { receiptId: In([...receiptIds]) }, order: { id: 'ASC' } }));
    return whenNumbered(notes, { numbering, logger, reread: (ids) => runner.read((manager) => manager.findBy(CreditNoteEntity, { id: In(ids) })) });
  }
}

/** Credits the receipt's earlier credit notes gave back. */
async function creditedMicros(manager: EntityManager, receiptId: number): Promise<bigint> {
  const row = await manager
    .createQueryBuilder(CreditNoteEntity, 'note')
    .select('COALESCE(SUM(note.amountMicros), 0)', 'total')
    .where('note.receiptId = :receiptId', { receiptId })
    .getRawOne<{ total: string | number }>();
  return BigInt(row?.total ?? 0);
}
