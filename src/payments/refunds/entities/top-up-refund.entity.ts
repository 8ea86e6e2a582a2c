import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { microsColumn, timestampColumn } from '../../../database/columns';
import type { PaymentCurrency, PaymentMethod } from '../../providers/payment-provider';
import { RefundStatus } from '../refund.enums';

/**
 * One refund of a paid top-up made by the platform (refundTopUp), through the provider that took the
 * money. Written with its REFUND posting, before the provider is asked, so that the provider's
 * idempotency key and its events can name it.
 */
@Entity('top_up_refund')
@Index('uq_top_up_refund_key', ['idempotencyKey'], { unique: true })
@Index('idx_top_up_refund_top_up', ['topUpId', 'createdAt'])
export class TopUpRefundEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  topUpId!: string;

  @Column({ type: 'varchar', length: 40 })
  accountId!: string;

  @Column({ type: 'varchar', length: 16 })
  method!: PaymentMethod;

  /** The admin's key: one refund per key, whatever top-up it names. */
  @Column({ type: 'varchar', length: 100 })
  idempotencyKey!: string;

  /** Hash of the request, to tell a retry from a reuse of the key for another refund. */
  @Column({ type: 'varchar', length: 64 })
  requestHash!: string;

  /** The credits taken back. */
  @Column(microsColumn())
  amountMicros!: bigint;

  /** The money returned, in the charge currency's minor units. */
  @Column(microsColumn())
  amountMinor!: bigint;

  @Column({ type: 'varchar', length: 3 })
  currency!: PaymentCurrency;

  /** The top-up's price of one credit, as its charge was computed from. */
  @Column({ type: 'varchar', length: 32 })
  creditPrice!: string;

  @Column({ type: 'varchar', length: 500 })
  reason!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: RefundStatus;

  /** The provider's id of the refund (Stripe `re_…`, PayPal's refund id, VNPay's transaction number); null until it answered. */
  @Column({ type: 'varchar', length: 191, nullable: true })
  providerReference!: string | null;

  /** The provider's words for a refusal: for the admin and the log. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  failureReason!: string | null;

  @Column(timestampColumn())
  createdAt!: Date;

  @Column(timestampColumn())
  updatedAt!: Date;

  /** When the provider confirmed or refused it. */
  @Column(timestampColumn({ nullable: true }))
  completedAt!: Date | null;
}
