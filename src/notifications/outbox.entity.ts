import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, timestampColumn } from '../database/columns';

/**
 * A notification written in the same transaction as the change it announces and published after
 * commit. A process claims rows with a lease, so a crash between claim and publish only delays.
 */
@Entity('outbox_event')
@Index('idx_outbox_pending', ['publishedAt', 'id'])
export class OutboxEventEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  topic!: string;

  @Column({ type: 'text' })
  payload!: string;

  @Column(timestampColumn())
  createdAt!: Date;

  @Column({ type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column(timestampColumn({ nullable: true }))
  leaseUntil!: Date | null;

  @Column(timestampColumn({ nullable: true }))
  publishedAt!: Date | null;
}
