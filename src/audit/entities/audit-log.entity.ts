import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, timestampColumn } from '../../database/columns';
import type { ActorKind, AuditAction } from '../audit.enums';

/**
 * One audit entry: who (actor), from where (address, request id), what (action, target, before and
 * after), on which account, why (reason). Written in the transaction of the change it records and
 * never changed: the application has no update or delete path, and on MariaDB triggers refuse both.
 */
@Entity('audit_log')
@Index('idx_audit_log_account', ['accountId', 'id'])
@Index('idx_audit_log_action', ['action', 'id'])
export class AuditLogEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column(timestampColumn())
  createdAt!: Date;

  @Column({ type: 'varchar', length: 16 })
  actorKind!: ActorKind;

  @Column({ type: 'varchar', length: 191 })
  actorSubject!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  actorRole!: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  actorAccountId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  apiKeyId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  address!: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  @Column({ type: 'varchar', length: 64 })
  action!: AuditAction;

  @Column({ type: 'varchar', length: 40 })
  targetType!: string;

  @Column({ type: 'varchar', length: 191 })
  targetId!: string;

  /** The account the change concerns; null for platform-wide changes. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  accountId!: string | null;

  /** JSON of the changed fields before the change; null when the target did not exist. */
  @Column({ type: 'text', nullable: true })
  before!: string | null;

  /** JSON of the changed fields after the change; null when the target was removed. */
  @Column({ type: 'text', nullable: true })
  after!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason!: string | null;
}
