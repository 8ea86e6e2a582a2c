import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, idReferenceColumn, timestampColumn } from '../../../database/columns';
import { WebhookDeliveryStatus, WebhookEventType } from '../webhook.enums';

/**
 * One event for one endpoint. Written when the outbox event is consumed, unique per (endpoint,
 * event), so a re-consumed event never makes a second delivery. The body is fixed here; every
 * attempt (and a manual redelivery) sends the same bytes with a fresh signature.
 */
@Entity('webhook_delivery')
@Index('uq_webhook_delivery_endpoint_event', ['endpointId', 'eventId'], { unique: true })
@Index('idx_webhook_delivery_due', ['status', 'nextAttemptAt'])
@Index('idx_webhook_delivery_endpoint', ['endpointId', 'id'])
export class WebhookDeliveryEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  endpointId!: string;

  /** The outbox event id; the envelope's id is `evt_<eventId>`. */
  @Column(idReferenceColumn())
  eventId!: number;

  @Column({ type: 'varchar', length: 40 })
  eventType!: WebhookEventType;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: WebhookDeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column(timestampColumn({ nullable: true }))
  nextAttemptAt!: Date | null;

  /** Retries stop once this much time has passed since it (reset by a manual redelivery). */
  @Column(timestampColumn({ nullable: true }))
  retryWindowStartedAt!: Date | null;

  @Column(timestampColumn({ nullable: true }))
  lastAttemptAt!: Date | null;

  @Column({ type: 'int', nullable: true })
  lastResponseCode!: number | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  lastError!: string | null;

  @Column(timestampColumn({ nullable: true }))
  deliveredAt!: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column(timestampColumn({ nullable: true }))
  leaseUntil!: Date | null;

  @Column(timestampColumn())
  createdAt!: Date;
}
