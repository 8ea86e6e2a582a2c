import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, idReferenceColumn, microsColumn, timestampColumn } from '../../../database/columns';
import { AutoTransferFiringStatus, AutoTransferRefusalCode } from '../auto-transfer.enums';

/**
 * One downward crossing of a rule's threshold and what came of it. Written by the outbox consumer
 * in the transaction that marks the crossing's BALANCE_CHANGED event published, unique on (rule,
 * event): a re-consumed event, or two processes consuming it at once, cannot make a second firing.
 * The transfer's idempotency key derives from the same pair, so re-running a firing after a crash
 * replays its transfer instead of making another.
 */
@Entity('auto_transfer_firing')
@Index('uq_auto_transfer_firing_source', ['ruleId', 'sourceEventId'], { unique: true })
@Index('idx_auto_transfer_firing_rule', ['ruleId', 'id'])
@Index('idx_auto_transfer_firing_due', ['status', 'id'])
export class AutoTransferFiringEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column(idReferenceColumn())
  ruleId!: number;

  @Column({ type: 'varchar', length: 40 })
  partnerAccountId!: string;

  @Column({ type: 'varchar', length: 40 })
  customerAccountId!: string;

  /** The outbox id of the customer's BALANCE_CHANGED event whose movement crossed. */
  @Column(idReferenceColumn())
  sourceEventId!: number;

  /** The customer's total balance right after the crossing movement. */
  @Column(microsColumn())
  totalAfterMicros!: bigint;

  @Column(timestampColumn())
  crossedAt!: Date;

  @Column({ type: 'varchar', length: 16 })
  status!: AutoTransferFiringStatus;

  /** The rule's numbers when the amount was decided (the transfer's note names them). */
  @Column(microsColumn({ nullable: true }))
  thresholdMicros!: bigint | null;

  @Column(microsColumn({ nullable: true }))
  targetMicros!: bigint | null;

  /** The amount decided (TRANSFERRING, SUCCEEDED, and a REFUSED transfer); null otherwise. */
  @Column(microsColumn({ nullable: true }))
  amountMicros!: bigint | null;

  @Column(idReferenceColumn({ nullable: true }))
  transferId!: number | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  refusalCode!: AutoTransferRefusalCode | null;

  /** Why it was refused or skipped, for a person. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  message!: string | null;

  @Column(timestampColumn({ nullable: true }))
  decidedAt!: Date | null;

  @Column(timestampColumn({ nullable: true }))
  completedAt!: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column(timestampColumn({ nullable: true }))
  leaseUntil!: Date | null;

  @Column(timestampColumn())
  createdAt!: Date;
}
