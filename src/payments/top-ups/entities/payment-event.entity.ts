import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, timestampColumn } from '../../../database/columns';

/**
 * Every provider event that changed something (or was examined and found to change nothing), once:
 * the unique (provider, eventId) index is what makes a redelivered webhook a no-op. Written in the
 * same transaction as the status change and the ledger posting it causes.
 */
@Entity('payment_event')
@Index('uq_payment_event_provider_event', ['provider', 'eventId'], { unique: true })
@Index('idx_payment_event_top_up', ['topUpId', 'id'])
export class PaymentEventEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 16 })
  provider!: string;

  @Column({ type: 'varchar', length: 191 })
  eventId!: string;

  @Column({ type: 'varchar', length: 40 })
  topUpId!: string;

  @Column({ type: 'varchar', length: 24 })
  outcome!: string;

  /** What the event did: APPLIED, NO_CHANGE (top-up already final), LATE_SUCCESS (paid after final: refund by hand). */
  @Column({ type: 'varchar', length: 24 })
  result!: string;

  @Column(timestampColumn())
  receivedAt!: Date;
}
