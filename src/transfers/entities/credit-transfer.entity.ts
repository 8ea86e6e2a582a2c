import { Column, Entity, Index } from 'typeorm';
import type { Role } from '../../auth/principal';
import { generatedIdColumn, idReferenceColumn, microsColumn, timestampColumn } from '../../database/columns';

/**
 * One partner → customer credit transfer. The money moved in its ledger transaction; this row keeps
 * what the ledger does not: the partner's own idempotency key (unique per partner), the hash of the
 * request that used it, the note and who made it (user and role), so a replay returns the first answer and reports can list
 * transfers per customer without parsing ledger references.
 */
@Entity('credit_transfer')
@Index('uq_transfer_partner_key', ['partnerAccountId', 'idempotencyKey'], { unique: true })
@Index('idx_transfer_partner_time', ['partnerAccountId', 'createdAt', 'id'])
@Index('idx_transfer_customer_time', ['customerAccountId', 'createdAt', 'id'])
export class CreditTransferEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  partnerAccountId!: string;

  @Column({ type: 'varchar', length: 40 })
  customerAccountId!: string;

  @Column(microsColumn())
  amountMicros!: bigint;

  @Column({ type: 'varchar', length: 255, nullable: true })
  note!: string | null;

  /**
   * The partner's key (at most 100 characters); a row of a transfer batch has `<batch key>/<row
   * index>`, which no client key can be (they never contain "/").
   */
  @Column({ type: 'varchar', length: 120 })
  idempotencyKey!: string;

  @Column({ type: 'varchar', length: 64 })
  requestHash!: string;

  /** The `sub` of the user who made the transfer; null for transfers recorded before actors were kept. */
  @Column({ type: 'varchar', length: 191, nullable: true })
  actorUserId!: string | null;

  /** That user's role in the partner account when it made the transfer. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  actorRole!: Role | null;

  @Index('uq_transfer_transaction', { unique: true })
  @Column(idReferenceColumn())
  transactionId!: number;

  @Column(timestampColumn())
  createdAt!: Date;
}
