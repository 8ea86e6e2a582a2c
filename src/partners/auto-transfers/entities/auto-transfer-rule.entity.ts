import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, microsColumn, timestampColumn } from '../../../database/columns';
import { AutoTransferRefusalCode, AutoTransferRuleStatus } from '../auto-transfer.enums';

/**
 * A partner's standing order for one of its customers: when the customer's total balance falls
 * below `thresholdMicros`, transfer enough to bring it to `targetMicros`, at most `monthlyCapMicros`
 * per calendar month (UTC). One rule per customer; setting it again replaces the numbers and keeps
 * the id, so the month's spending still counts against the cap.
 */
@Entity('auto_transfer_rule')
@Index('uq_auto_transfer_rule_customer', ['customerAccountId'], { unique: true })
@Index('idx_auto_transfer_rule_partner', ['partnerAccountId', 'id'])
export class AutoTransferRuleEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  partnerAccountId!: string;

  @Column({ type: 'varchar', length: 40 })
  customerAccountId!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: AutoTransferRuleStatus;

  /** X: a movement that takes the total balance from X or above to below X fires the rule. */
  @Column(microsColumn())
  thresholdMicros!: bigint;

  /** Y: the total balance a transfer aims for. */
  @Column(microsColumn())
  targetMicros!: bigint;

  /** Z: what the rule may transfer per calendar month (UTC). */
  @Column(microsColumn())
  monthlyCapMicros!: bigint;

  /** When a firing of this rule last finished (any outcome). */
  @Column(timestampColumn({ nullable: true }))
  lastFiredAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  refusalCount!: number;

  @Column({ type: 'varchar', length: 32, nullable: true })
  lastRefusalCode!: AutoTransferRefusalCode | null;

  @Column(timestampColumn({ nullable: true }))
  lastRefusalAt!: Date | null;

  @Column(timestampColumn())
  createdAt!: Date;

  @Column(timestampColumn())
  updatedAt!: Date;
}
