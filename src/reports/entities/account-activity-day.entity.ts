import { Column, Entity, PrimaryColumn } from 'typeorm';
import { microsColumn } from '../../database/columns';
import { CreditMovementType } from '../../ledger/ledger.enums';

/**
 * The rollup's daily tier: the same sums as `account_activity_hour`, per UTC day instead of hour
 * (`bucketDay` = `bucketHour` div 24, see `buckets.ts`). `RollupWriter` writes both in the same
 * statement batch, so a day row is always the sum of its 24 hour rows. A report reads the whole
 * UTC days of its period here and only the hours at its two edges from the hourly table, so a
 * year's report reads at most 366 rows per account, type and service however busy the year was.
 */
@Entity('account_activity_day')
export class AccountActivityDayEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  accountId!: string;

  @PrimaryColumn({ type: 'varchar', length: 24 })
  movementType!: CreditMovementType;

  /** Whole days since the Unix epoch (UTC). */
  @PrimaryColumn({ type: 'int' })
  bucketDay!: number;

  /** As in the hourly table: the usage's service (`unknown` when none), '' for other types. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  service!: string;

  /** Sum of the movements' signed net amounts: positive in, negative out. */
  @Column(microsColumn())
  amountMicros!: bigint;

  @Column({ type: 'int' })
  movementCount!: number;
}
