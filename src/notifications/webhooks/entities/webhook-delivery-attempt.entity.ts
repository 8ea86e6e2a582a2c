import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, idReferenceColumn, timestampColumn } from '../../../database/columns';

/** One HTTP attempt of a delivery: the delivery log. */
@Entity('webhook_delivery_attempt')
@Index('idx_webhook_delivery_attempt_delivery', ['deliveryId', 'id'])
export class WebhookDeliveryAttemptEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column(idReferenceColumn())
  deliveryId!: number;

  @Column(timestampColumn())
  attemptedAt!: Date;

  /** The receiver's HTTP status; null when no answer came (refused destination, timeout, network). */
  @Column({ type: 'int', nullable: true })
  responseCode!: number | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  error!: string | null;

  @Column({ type: 'int' })
  durationMs!: number;

  @Column({ type: 'boolean' })
  succeeded!: boolean;
}
