import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, idReferenceColumn, microsColumn, timestampColumn } from '../../database/columns';

/** One leg of a transaction on one wallet. Append-only: never updated, never deleted. */
@Entity('ledger_entry')
@Index('idx_ledger_entry_wallet', ['walletId', 'id'])
@Index('idx_ledger_entry_transaction', ['transactionId'])
export class LedgerEntryEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column(idReferenceColumn())
  transactionId!: number;

  @Column(idReferenceColumn())
  walletId!: number;

  @Column({ type: 'varchar', length: 40 })
  accountId!: string;

  /** Signed: positive credits the wallet, negative debits it. */
  @Column(microsColumn())
  amountMicros!: bigint;

  @Column(microsColumn())
  balanceAfterMicros!: bigint;

  @Column(timestampColumn())
  createdAt!: Date;
}
