import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, idReferenceColumn, microsColumn, timestampColumn } from '../../database/columns';
import type { CorrectableWallet, CorrectionKind } from '../corrections.enums';

/**
 * One correction by the platform admin: an adjustment, a grant voided, or a grant's expiry changed.
 * Written in the transaction of the change (with its ledger posting when credits moved, and its
 * audit entry); never changed. The credit history finds it by its ledger transaction.
 */
@Entity('credit_correction')
@Index('idx_correction_account', ['accountId', 'id'])
@Index('idx_correction_grant', ['grantId'])
@Index('uq_correction_transaction', ['transactionId'], { unique: true })
@Index('uq_correction_key', ['correctionKey'], { unique: true })
export class CreditCorrectionEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  kind!: CorrectionKind;

  @Column({ type: 'varchar', length: 40 })
  accountId!: string;

  /** The wallet that moved; null for an expiry change. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  wallet!: CorrectableWallet | null;

  /** Signed micro-credits the wallet moved by (0 for an expiry change). */
  @Column(microsColumn())
  amountMicros!: bigint;

  @Column(idReferenceColumn({ nullable: true }))
  grantId!: number | null;

  @Column(timestampColumn({ nullable: true }))
  previousExpiresAt!: Date | null;

  @Column(timestampColumn({ nullable: true }))
  newExpiresAt!: Date | null;

  @Column({ type: 'varchar', length: 255 })
  reason!: string;

  /**
   * What makes the correction happen once: `adjustment:<account>:<key>` (the admin's idempotency
   * key), `void:<grant id>`; null for an expiry change (setting the expiry it already has changes nothing).
   */
  @Column({ type: 'varchar', length: 191, nullable: true })
  correctionKey!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  requestHash!: string | null;

  /** The ledger transaction that moved the credits; null for an expiry change. */
  @Column(idReferenceColumn({ nullable: true }))
  transactionId!: number | null;

  @Column(timestampColumn())
  createdAt!: Date;
}
