import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, idReferenceColumn, microsColumn, timestampColumn } from '../../../database/columns';
import type { PaymentCurrency } from '../../providers/payment-provider';
import type { DebitNoteReason } from '../receipt.enums';

/**
 * One debit note: a credit note cancelled, the money it gave back returned to the seller (a dispute
 * won, a refund that failed after it succeeded). Written in the transaction that gives the credits
 * back, for exactly the credit note's credits and money, unique per credit note (so it is cancelled
 * once, however many copies of the provider's word arrive) and per give-back posting; numbered in
 * its own series like the other documents, and never changed afterwards.
 */
@Entity('debit_note')
@Index('uq_debit_note_credit_note', ['creditNoteId'], { unique: true })
@Index('uq_debit_note_source', ['sourceKey'], { unique: true })
@Index('uq_debit_note_number', ['series', 'year', 'sequence'], { unique: true })
@Index('idx_debit_note_receipt', ['receiptId', 'id'])
@Index('idx_debit_note_numbering', ['sequence', 'id'])
export class DebitNoteEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  accountId!: string;

  /** The credit note it cancels. */
  @Column(idReferenceColumn())
  creditNoteId!: number;

  /** The receipt both notes name. */
  @Column(idReferenceColumn())
  receiptId!: number;

  @Column({ type: 'varchar', length: 40 })
  topUpId!: string;

  /** The ledger key of the posting that gave the credits back. */
  @Column({ type: 'varchar', length: 191 })
  sourceKey!: string;

  @Column({ type: 'varchar', length: 24 })
  reason!: DebitNoteReason;

  /** DEBIT_NOTE_NUMBER_PREFIX when it was issued. */
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

  /** Credits given back to the account: the credit note's. */
  @Column(microsColumn())
  amountMicros!: bigint;

  @Column({ type: 'varchar', length: 3 })
  currency!: PaymentCurrency;

  /** Money returned to the seller, in the currency's minor units (tax included): the credit note's. */
  @Column(microsColumn())
  totalMinor!: bigint;

  @Column(microsColumn())
  taxMinor!: bigint;

  @Column({ type: 'int' })
  taxBasisPoints!: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column(timestampColumn({ nullable: true }))
  leaseUntil!: Date | null;
}
