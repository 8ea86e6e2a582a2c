import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, idReferenceColumn, microsColumn, timestampColumn } from '../../database/columns';

/**
 * One applied metering event: what the ledger transaction does not say — the service, when the
 * consumption happened (not when it was recorded), and how it split between promotional and top-up
 * credits. Reports group usage per customer, service and day from here.
 */
@Entity('usage_event')
@Index('uq_usage_event_id', ['eventId'], { unique: true })
@Index('idx_usage_account_time', ['accountId', 'occurredAt', 'id'])
export class UsageEventEntity {
  @Column(generatedIdColumn())
  id!: number;

  /** The metering service's id of the event; applied once. */
  @Column({ type: 'varchar', length: 100 })
  eventId!: string;

  @Column({ type: 'varchar', length: 40 })
  accountId!: string;

  @Column({ type: 'varchar', length: 64 })
  service!: string;

  @Column(microsColumn())
  amountMicros!: bigint;

  @Column(microsColumn())
  promotionalMicros!: bigint;

  @Column(microsColumn())
  topUpMicros!: bigint;

  @Column(timestampColumn())
  occurredAt!: Date;

  @Index('uq_usage_event_transaction', { unique: true })
  @Column(idReferenceColumn())
  transactionId!: number;

  @Column(timestampColumn())
  recordedAt!: Date;
}
