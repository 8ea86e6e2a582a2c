import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, idReferenceColumn, microsColumn, timestampColumn } from '../../../database/columns';
import type { PaymentCurrency } from '../../providers/payment-provider';
import type { CreditNoteReason } from '../receipt.enums';

/**
 * One credit note: money of a receipt given back (a refund, a dispute), written in the transaction
 * that takes the credits back, unique on that posting's ledger key (so a replayed webhook writes
 * none), numbered in its own series like a receipt, and never changed afterwards.
 */
@Entity('credit_note')
@Index('uq_credit_note_source', ['sourceKey'], { unique: true })
@Index('uq_credit_note_number', ['series', 'year', 'sequence'], { unique: true })
@Index('idx_credit_note_receipt', ['receiptId', 'id'])
@Index('idx_credit_note_numbering', ['sequence', 'id'])
export class CreditNoteEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  accountId!: string;

  /** The receipt whose money it gives back. */
  @Column(idReferenceColumn())
  receiptId!: number;

  @Column({ type: 'varchar', length: 40 })
  topUpId!: string;

  /** The ledger key of the posting that took the credits back: one credit note per posting. */
  @Column({ type: 'varchar', length: 191 })
  sourceKey!: string;

  @Column({ type: 'varchar', length: 24 })
  reason!: CreditNoteReason;

  /** CREDIT_NOTE_NUMBER_PREFIX when it was issued. */
  @Column({ type: 'varchar', length: 16 })
  series!: string;

  @Column({ type: 'int' })
  year!: number;

  @Column({ type: 'int', nullable: true })
  sequence!: number | null;

  @Column(timestampColumn({ nullable: true }))
  numberedAt!: Date | null;

  @Column(timestampColumn())
  issuedAt!: Date;

  /** Credits taken back. */
  @Column(microsColumn())
  amountMicros!: bigint;

  @Column({ type: 'varchar', length: 3 })
  currency!: PaymentCurrency;

  /** Money given back, in the receipt's currency's minor units (tax included). */
  @Column(microsColumn())
  totalMinor!: bigint;

  /** The share of the receipt's tax it gives back. */
  @Column(microsColumn())
  taxMinor!: bigint;

  @Column({ type: 'int' })
  taxBasisPoints!: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column(timestampColumn({ nullable: true }))
  leaseUntil!: Date | null;
}
