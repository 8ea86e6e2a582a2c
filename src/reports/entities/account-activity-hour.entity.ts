import { Column, Entity, PrimaryColumn } from 'typeorm';
import { microsColumn } from '../../database/columns';
import { CreditMovementType } from '../../ledger/ledger.enums';

/**
 * The reports' rollup: per account, movement type, service and UTC hour, the summed net amount
 * and the number of movements. Written by `RollupWriter` in the same database transaction as the
 * ledger entries, so a report reads at most one row per hour of its period instead of every entry.
 *
 * The primary key leads with (accountId, movementType, bucketHour) so one report query is one
 * index range per account and type, whatever the activity inside the period.
 */
@Entity('account_activity_hour')
export class AccountActivityHourEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  accountId!: string;

  @PrimaryColumn({ type: 'varchar', length: 24 })
  movementType!: CreditMovementType;

  /**
   * Whole hours since the Unix epoch (UTC). An integer rather than a datetime, so the upsert and
   * the range conditions are plain integer SQL on both databases, with no date formatting.
   */
  @PrimaryColumn({ type: 'int' })
  bucketHour!: number;

  /** The consuming service for USAGE (`unknown` when the posting named none); '' for other types. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  service!: string;

  /** Sum of the movements' signed net amounts: positive in, negative out. */
  @Column(microsColumn())
  amountMicros!: bigint;

  @Column({ type: 'int' })
  movementCount!: number;
}
