import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, timestampColumn } from '../../database/columns';
import { LedgerTransactionType } from '../ledger.enums';

@Entity('ledger_transaction')
export class LedgerTransactionEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 24 })
  type!: LedgerTransactionType;

  /**
   * Names the business event the transaction records (`topup:<id>`, `usage:<eventId>`, ...).
   * Unique, so the same event can never be posted twice, whatever races or replays.
   */
  @Index('uq_ledger_transaction_key', { unique: true })
  @Column({ type: 'varchar', length: 191 })
  idempotencyKey!: string;

  /** Hash of the request that created it, to tell a replay from a reuse of the key. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  requestHash!: string | null;

  @Column({ type: 'varchar', length: 191, nullable: true })
  reference!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  description!: string | null;

  @Column(timestampColumn())
  createdAt!: Date;
}
