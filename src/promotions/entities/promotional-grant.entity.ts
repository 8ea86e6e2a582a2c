import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, idReferenceColumn, microsColumn, timestampColumn } from '../../database/columns';

/**
 * One promotional grant. The account's PROMOTIONAL wallet always equals the sum of its grants'
 * `remainingMicros`; usage draws them down soonest expiry first.
 */
@Entity('promotional_grant')
@Index('idx_grant_account_expiry', ['accountId', 'expiresAt'])
@Index('idx_grant_expiry', ['expiresAt'])
@Index('idx_grant_account_id', ['accountId', 'id'])
// A grant's credit-history row finds its grant by the ledger transaction (the history rows' source).
@Index('idx_grant_transaction', ['transactionId'])
export class PromotionalGrantEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  accountId!: string;

  @Column(idReferenceColumn())
  transactionId!: number;

  @Column(microsColumn())
  amountMicros!: bigint;

  @Column(microsColumn())
  remainingMicros!: bigint;

  /**
   * What expiry took out of the grant (0 while it has not expired, and for a grant used up before
   * its expiry); tells an EXPIRED grant from a USED_UP one in the grants list.
   */
  @Column(microsColumn({ default: 0 }))
  expiredMicros!: bigint;

  /** What the platform admin voided (0 unless VOIDED): the remainder at the moment of the void. */
  @Column(microsColumn({ default: 0 }))
  voidedMicros!: bigint;

  @Column(timestampColumn({ nullable: true }))
  expiresAt!: Date | null;

  @Column({ type: 'varchar', length: 255 })
  reason!: string;

  @Column(timestampColumn())
  createdAt!: Date;
}
