import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, timestampColumn } from '../../../database/columns';

/**
 * A card saved for off-session use, recorded when Stripe reports its SetupIntent succeeded (a
 * verified `setup_intent.succeeded`). Only what a console shows is kept: brand, last four digits,
 * expiry; the card itself stays at Stripe. Unique on the PaymentMethod, so a redelivered event
 * records nothing new.
 */
@Entity('saved_payment_method')
@Index('uq_saved_payment_method_reference', ['providerReference'], { unique: true })
@Index('idx_saved_payment_method_account', ['accountId', 'id'])
export class SavedPaymentMethodEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  accountId!: string;

  /** Stripe's `pm_…`. */
  @Column({ type: 'varchar', length: 191 })
  providerReference!: string;

  /** The SetupIntent that saved it (`seti_…`). */
  @Column({ type: 'varchar', length: 191 })
  setupIntentId!: string;

  @Column({ type: 'varchar', length: 32 })
  brand!: string;

  @Column({ type: 'varchar', length: 4 })
  last4!: string;

  @Column({ type: 'int' })
  expMonth!: number;

  @Column({ type: 'int' })
  expYear!: number;

  @Column(timestampColumn())
  createdAt!: Date;
}
