import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '../../../database/columns';

/** The Stripe Customer an account's saved cards are attached to: one per account, made on first use. */
@Entity('stripe_customer')
@Index('uq_stripe_customer_reference', ['customerReference'], { unique: true })
export class StripeCustomerEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  accountId!: string;

  /** `cus_…` */
  @Column({ type: 'varchar', length: 191 })
  customerReference!: string;

  @Column(timestampColumn())
  createdAt!: Date;
}
