import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, idReferenceColumn, timestampColumn } from '../../../database/columns';
import { AutoRechargeAttemptStatus } from '../auto-recharge.enums';

/**
 * What one downward crossing of an account's auto-recharge threshold did. Unique on the crossing
 * (the BALANCE_CHANGED outbox event of the movement that crossed), so a re-consumed event or two
 * processes consuming it at once fire at most once. A fired attempt names its top-up and is
 * charged off-session by a worker that claims it with a lease (`DUE` until the charge was asked).
 */
@Entity('auto_recharge_attempt')
@Index('uq_auto_recharge_attempt_source', ['sourceEventId'], { unique: true })
@Index('uq_auto_recharge_attempt_top_up', ['topUpId'], { unique: true })
@Index('idx_auto_recharge_attempt_due', ['status', 'nextAttemptAt'])
@Index('idx_auto_recharge_attempt_account', ['accountId', 'id'])
export class AutoRechargeAttemptEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  accountId!: string;

  /** The outbox id of the BALANCE_CHANGED event whose movement crossed the threshold. */
  @Column(idReferenceColumn())
  sourceEventId!: number;

  /** The top-up it created; null when the crossing was skipped. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  topUpId!: string | null;

  /** The saved card the rule named when it fired. */
  @Column(idReferenceColumn())
  paymentMethodId!: number;

  @Column({ type: 'varchar', length: 24 })
  status!: AutoRechargeAttemptStatus;

  /** SKIPPED: why (`MONTHLY_CAP_REACHED`, `TOP_UP_OPEN`, or the code a top-up was refused with). */
  @Column({ type: 'varchar', length: 40, nullable: true })
  skipReason!: string | null;

  /** How many times the off-session charge was asked (retried after a provider error). */
  @Column({ type: 'int', default: 0 })
  chargeAttempts!: number;

  @Column(timestampColumn({ nullable: true }))
  nextAttemptAt!: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column(timestampColumn({ nullable: true }))
  leaseUntil!: Date | null;

  @Column(timestampColumn())
  createdAt!: Date;

  @Column(timestampColumn())
  updatedAt!: Date;
}
