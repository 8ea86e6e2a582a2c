import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, idReferenceColumn, microsColumn, timestampColumn } from '../../../database/columns';
import { BalanceMeasure } from '../balance-measure';

/**
 * A threshold crossed downward by one committed balance movement (or, for a partner's available
 * credit, a lowered credit limit). The unique key on (the outbox event of the movement or of the
 * limit change, the measure, the threshold) is what makes `balanceLow` exactly once: a replayed or
 * concurrently consumed event cannot insert a second row.
 */
@Entity('balance_threshold_crossing')
@Index('uq_balance_threshold_crossing_source_measure', ['sourceEventId', 'measure', 'thresholdMicros'], { unique: true })
@Index('idx_balance_threshold_crossing_account', ['accountId', 'id'])
export class BalanceThresholdCrossingEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  accountId!: string;

  @Column({ type: 'varchar', length: 24, default: BalanceMeasure.TOTAL })
  measure!: BalanceMeasure;

  @Column(microsColumn())
  thresholdMicros!: bigint;

  /** The outbox id of the BALANCE_CHANGED event of the movement that crossed (CREDIT_LIMIT_CHANGED for a lowered limit). */
  @Column(idReferenceColumn())
  sourceEventId!: number;

  /** The watched balance before the crossing (the total for TOTAL, the available credit for AVAILABLE_TO_TRANSFER). */
  @Column(microsColumn())
  totalBeforeMicros!: bigint;

  /** The watched balance after it. */
  @Column(microsColumn())
  totalAfterMicros!: bigint;

  @Column(timestampColumn())
  occurredAt!: Date;
}
