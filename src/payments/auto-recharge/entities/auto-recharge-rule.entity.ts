import { Column, Entity, PrimaryColumn } from 'typeorm';
import { idReferenceColumn, microsColumn, timestampColumn } from '../../../database/columns';
import { AutoRechargeStatus } from '../auto-recharge.enums';

/**
 * An account's auto-recharge rule (at most one): below `thresholdMicros` of total balance, buy
 * `amountMicros`, or enough to reach `targetBalanceMicros` (exactly one of the two is set), with the
 * saved card, at most `monthlyCapMicros` a calendar month (UTC).
 */
@Entity('auto_recharge_rule')
export class AutoRechargeRuleEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  accountId!: string;

  @Column(microsColumn())
  thresholdMicros!: bigint;

  @Column(microsColumn({ nullable: true }))
  amountMicros!: bigint | null;

  @Column(microsColumn({ nullable: true }))
  targetBalanceMicros!: bigint | null;

  @Column(microsColumn())
  monthlyCapMicros!: bigint;

  /** A `saved_payment_method` of the account. */
  @Column(idReferenceColumn())
  paymentMethodId!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: AutoRechargeStatus;

  /** Why the rule was DISABLED (a code: `TOO_MANY_FAILURES`). */
  @Column({ type: 'varchar', length: 40, nullable: true })
  disabledReason!: string | null;

  /** Off-session charges in a row that did not go through (declined, or waiting for 3-D Secure). */
  @Column({ type: 'int', default: 0 })
  consecutiveFailures!: number;

  /** The token subject that last set the rule. */
  @Column({ type: 'varchar', length: 191 })
  updatedBy!: string;

  @Column(timestampColumn())
  createdAt!: Date;

  @Column(timestampColumn())
  updatedAt!: Date;
}
