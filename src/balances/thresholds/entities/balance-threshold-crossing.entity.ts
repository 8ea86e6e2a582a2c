import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, idReferenceColumn, microsColumn, timestampColumn } from '../../../database/columns';

/**
 * A threshold crossed downward by one committed balance movement. The unique key on (the
 * BALANCE_CHANGED outbox event of the movement, the threshold) is what makes `balanceLow` exactly
 * once: a replayed or concurrently consumed event cannot insert a second row.
 */
@Entity('balance_threshold_crossing')
@Index('uq_balance_threshold_crossing_source', ['sourceEventId', 'thresholdMicros'], { unique: true })
@Index('idx_balance_threshold_crossing_account', ['accountId', 'id'])
export class BalanceThresholdCrossingEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  accountId!: string;

  @Column(microsColumn())
  thresholdMicros!: bigint;

  /** The outbox id of the BALANCE_CHANGED event of the movement that crossed. */
  @Column(idReferenceColumn())
  sourceEventId!: number;

  @Column(microsColumn())
  totalBeforeMicros!: bigint;

  @Column(microsColumn())
  totalAfterMicros!: bigint;

  @Column(timestampColumn())
  occurredAt!: Date;
}
