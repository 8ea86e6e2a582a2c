import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '../../../database/columns';
import { WebhookEndpointStatus } from '../webhook.enums';

/**
 * An account's webhook receiver. The signing secrets are stored as they are: signing needs the
 * secret itself (an HMAC key cannot be hashed like a password). They are returned once, when made.
 */
@Entity('webhook_endpoint')
@Index('idx_webhook_endpoint_account', ['accountId', 'createdAt'])
export class WebhookEndpointEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  accountId!: string;

  @Column({ type: 'varchar', length: 2048 })
  url!: string;

  /** Comma-separated WebhookEventType names. */
  @Column({ type: 'varchar', length: 512 })
  events!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: WebhookEndpointStatus;

  @Column({ type: 'varchar', length: 100 })
  secret!: string;

  /** The secret before the last rotation; deliveries carry its signature too until it expires. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  previousSecret!: string | null;

  @Column(timestampColumn({ nullable: true }))
  previousSecretExpiresAt!: Date | null;

  /** Failed attempts since the last success, over all of its deliveries. */
  @Column({ type: 'int', default: 0 })
  consecutiveFailures!: number;

  /** The first failed attempt since the last success. */
  @Column(timestampColumn({ nullable: true }))
  failingSince!: Date | null;

  @Column(timestampColumn({ nullable: true }))
  disabledAt!: Date | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  disabledReason!: string | null;

  @Column(timestampColumn())
  createdAt!: Date;

  @Column(timestampColumn())
  updatedAt!: Date;
}
