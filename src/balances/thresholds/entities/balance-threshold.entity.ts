import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, microsColumn, timestampColumn } from '../../../database/columns';

/** One low-balance threshold of an account: crossing it downward raises `balanceLow`. */
@Entity('balance_threshold')
@Index('uq_balance_threshold_account_amount', ['accountId', 'thresholdMicros'], { unique: true })
export class BalanceThresholdEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  accountId!: string;

  /** Compared with the total balance (top-up + promotional). */
  @Column(microsColumn())
  thresholdMicros!: bigint;

  @Column(timestampColumn())
  createdAt!: Date;
}
