import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { microsColumn, timestampColumn } from '../../../database/columns';
import type { NextActionType, PaymentCurrency, PaymentMethod } from '../../providers/payment-provider';
import { TopUpOrigin, TopUpStatus } from '../top-up.enums';

/**
 * One purchase of credits. Created before the provider is called (so the provider's idempotency
 * key can derive from its id); the payment data the console needs is stored once the provider
 * answered. The charge and the rate are fixed at creation: provider events are checked against them.
 */
@Entity('top_up')
@Index('uq_top_up_account_key', ['accountId', 'idempotencyKey'], { unique: true })
@Index('idx_top_up_status_expiry', ['status', 'expiresAt'])
@Index('idx_top_up_provider_reference', ['method', 'providerReference'])
// Keyset pages of an account's top-ups, newest first (topUps): all of them, and per status.
@Index('idx_top_up_account_created_id', ['accountId', 'createdAt', 'id'])
@Index('idx_top_up_account_status_created_id', ['accountId', 'status', 'createdAt', 'id'])
export class TopUpEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  accountId!: string;

  @Column({ type: 'varchar', length: 100 })
  idempotencyKey!: string;

  /** Hash of the creating request, to tell a retry from a reuse of the key for other arguments. */
  @Column({ type: 'varchar', length: 64 })
  requestHash!: string;

  @Column({ type: 'varchar', length: 16 })
  method!: PaymentMethod;

  @Column({ type: 'varchar', length: 24 })
  status!: TopUpStatus;

  /** MANUAL (createTopUp) or AUTO_RECHARGE (the account's rule, charged off-session). */
  @Column({ type: 'varchar', length: 16, default: TopUpOrigin.MANUAL })
  origin!: TopUpOrigin;

  @Column(microsColumn())
  amountMicros!: bigint;

  @Column({ type: 'varchar', length: 3 })
  currency!: PaymentCurrency;

  /** What the buyer pays, in the currency's minor units (USD cents, VND dong). */
  @Column(microsColumn())
  chargeMinor!: bigint;

  /** The price of one credit in the currency, as the exact decimal string the charge was computed from. */
  @Column({ type: 'varchar', length: 32 })
  creditPrice!: string;

  /** Credits taken back by refunds and disputes made at the provider so far (TOP_UP_REVERSAL). */
  @Column(microsColumn({ default: 0 }))
  reversedMicros!: bigint;

  /** Credits taken back by the platform's own refunds (REFUND) that the provider has not refused. */
  @Column(microsColumn({ default: 0 }))
  refundedMicros!: bigint;

  /**
   * The money those refunds return, in the charge's minor units. Stripe's cumulative
   * `amount_refunded` counts it too: only the rest is a refund made at the provider to reverse.
   */
  @Column(microsColumn({ default: 0 }))
  refundedMinor!: bigint;

  @Column({ type: 'varchar', length: 2048 })
  returnUrl!: string;

  /** Stripe PaymentIntent id, PayPal order id or VNPay vnp_TxnRef; null until the provider answered. */
  @Column({ type: 'varchar', length: 191, nullable: true })
  providerReference!: string | null;

  /** Stripe: the PaymentIntent's client secret for Stripe.js. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  clientSecret!: string | null;

  /** What the buyer's browser does next, as the provider answered (a `NextActionType`); null until it answered. */
  @Column({ type: 'varchar', length: 24, nullable: true })
  nextActionType!: NextActionType | null;

  /** REDIRECT_TO_URL: the provider's page (PayPal's approval link, VNPay's signed payment URL, Stripe's redirect). */
  @Column({ type: 'text', nullable: true })
  nextActionUrl!: string | null;

  /** The English message of `failureCode` (older rows: the provider's text). Kept for the status payload. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  failureReason!: string | null;

  /** A `PaymentFailureCode` for FAILED, CANCELED and EXPIRED top-ups; the message is derived from it. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  failureCode!: string | null;

  @Column(timestampColumn())
  expiresAt!: Date;

  @Column(timestampColumn())
  createdAt!: Date;

  @Column(timestampColumn())
  updatedAt!: Date;

  @Column(timestampColumn({ nullable: true }))
  completedAt!: Date | null;
}
