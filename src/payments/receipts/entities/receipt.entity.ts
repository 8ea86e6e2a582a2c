import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, microsColumn, timestampColumn } from '../../../database/columns';
import type { PaymentCurrency, PaymentMethod } from '../../providers/payment-provider';

/**
 * One receipt: the document of one successful purchase, written in the transaction that credits it
 * (unique per top-up, so a webhook storm or a replay writes it once) and never changed afterwards,
 * except that the numbering worker gives it its number once, after that transaction committed.
 * Everything it prints is copied onto it: the buyer's billing information, the line, the tax and the
 * seller as they were at the purchase, so a later change of any of them alters no receipt.
 */
@Entity('receipt')
@Index('uq_receipt_top_up', ['topUpId'], { unique: true })
@Index('uq_receipt_number', ['series', 'year', 'sequence'], { unique: true })
// Keyset pages of an account's receipts, newest first (receipts).
@Index('idx_receipt_account_issued_id', ['accountId', 'issuedAt', 'id'])
// The numbering worker's claim: unnumbered receipts in id order.
@Index('idx_receipt_numbering', ['sequence', 'id'])
export class ReceiptEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  accountId!: string;

  @Column({ type: 'varchar', length: 40 })
  topUpId!: string;

  /** The number's prefix (RECEIPT_NUMBER_PREFIX when it was issued). */
  @Column({ type: 'varchar', length: 16 })
  series!: string;

  /** The calendar year of `issuedAt` in RECEIPT_TIME_ZONE: the number's year. */
  @Column({ type: 'int' })
  year!: number;

  /** Its place in the series' year, from 1, without gaps; null until the numbering worker numbers it. */
  @Column({ type: 'int', nullable: true })
  sequence!: number | null;

  @Column(timestampColumn({ nullable: true }))
  numberedAt!: Date | null;

  /** When the receipt was written: the purchase's success, or the back-fill for a purchase paid before receipts existed. */
  @Column(timestampColumn())
  issuedAt!: Date;

  /** When the purchase succeeded (the crediting transaction); `issuedAt` too, but for a back-filled receipt. */
  @Column(timestampColumn())
  paidAt!: Date;

  @Column({ type: 'varchar', length: 16 })
  method!: PaymentMethod;

  /** MANUAL or AUTO_RECHARGE, as the top-up's origin. */
  @Column({ type: 'varchar', length: 16 })
  origin!: string;

  /** Stripe PaymentIntent id, PayPal order id or VNPay vnp_TxnRef. */
  @Column({ type: 'varchar', length: 191, nullable: true })
  providerReference!: string | null;

  // The buyer's billing information at the purchase (null only for an account that had none).
  @Column({ type: 'varchar', length: 16, nullable: true })
  billingEntityType!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  billingLegalName!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  billingTaxCode!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  billingAddressLine1!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  billingAddressLine2!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  billingCity!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  billingPostalCode!: string | null;

  @Column({ type: 'varchar', length: 2, nullable: true })
  billingCountry!: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  billingInvoiceEmail!: string | null;

  // The line: credits bought at a unit price, what was charged and the tax included in it.
  @Column(microsColumn())
  amountMicros!: bigint;

  /** The price of one credit in the currency, the exact decimal string the charge was computed from. */
  @Column({ type: 'varchar', length: 32 })
  creditPrice!: string;

  @Column({ type: 'varchar', length: 3 })
  currency!: PaymentCurrency;

  /** What the buyer paid, in the currency's minor units (tax included). */
  @Column(microsColumn())
  totalMinor!: bigint;

  /** The tax included in `totalMinor`, minor units. */
  @Column(microsColumn())
  taxMinor!: bigint;

  /** The tax rate in basis points (10 % = 1000); 0 where none is configured for the billing country. */
  @Column({ type: 'int' })
  taxBasisPoints!: number;

  // The seller (RECEIPT_ISSUER_* when it was issued).
  @Column({ type: 'varchar', length: 200 })
  issuerName!: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  issuerAddress!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  issuerTaxCode!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column(timestampColumn({ nullable: true }))
  leaseUntil!: Date | null;
}
