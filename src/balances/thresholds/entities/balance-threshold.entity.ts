import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, microsColumn, timestampColumn } from '../../../database/columns';
import { BalanceMeasure } from '../balance-measure';

/** One low-balance threshold of an account: crossing it downward raises `balanceLow`. */
@Entity('balance_threshold')
@Index('uq_balance_threshold_account_measure_amount', ['accountId', 'measure', 'thresholdMicros'], { unique: true })
export class BalanceThresholdEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  accountId!: string;

  /** What it watches: the total balance (top-up + promotional) or a partner's available credit. */
  @Column({ type: 'varchar', length: 24, default: BalanceMeasure.TOTAL })
  measure!: BalanceMeasure;

  /** Compared with the balance it watches. */
  @Column(microsColumn())
  thresholdMicros!: bigint;

  @Column(timestampColumn())
  createdAt!: Date;
}
