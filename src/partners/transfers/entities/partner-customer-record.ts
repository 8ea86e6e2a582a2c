import { Column } from 'typeorm';
import type { Role } from '../../../auth/principal';
import { generatedIdColumn, idReferenceColumn, microsColumn, timestampColumn } from '../../../database/columns';

/**
 * The columns a partner ↔ own-customer movement keeps beside its ledger transaction: the partner's
 * own idempotency key (unique per partner and kind), the hash of the request that used it, the note
 * and who made it (user and role), so a replay returns the first answer and reports can list the
 * movements per customer without parsing ledger references. Each kind is its own table
 * (`credit_transfer`, `credit_reclaim`) with these columns; the direction is the table's.
 */
export abstract class PartnerCustomerRecord {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  partnerAccountId!: string;

  @Column({ type: 'varchar', length: 40 })
  customerAccountId!: string;

  /** What moved, positive; which way is the kind's (a transfer pays the customer, a reclaim the partner). */
  @Column(microsColumn())
  amountMicros!: bigint;

  @Column({ type: 'varchar', length: 255, nullable: true })
  note!: string | null;

  /** The partner's key; each table sets its length (a transfer batch's rows carry longer derived keys). */
  abstract idempotencyKey: string;

  @Column({ type: 'varchar', length: 64 })
  requestHash!: string;

  /** The `sub` of the partner user who made it; null for transfers recorded before actors were kept. */
  @Column({ type: 'varchar', length: 191, nullable: true })
  actorUserId!: string | null;

  /** That user's role in the partner account when it made it. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  actorRole!: Role | null;

  @Column(idReferenceColumn())
  transactionId!: number;

  @Column(timestampColumn())
  createdAt!: Date;
}
