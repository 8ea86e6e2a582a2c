import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { microsColumn, timestampColumn } from '../../database/columns';

/** One leg of a transaction on one wallet. Append-only: never updated, never deleted. */
@Entity('ledger_entry')
@Index('idx_ledger_entry_wallet', ['walletId', 'id'])
@Index('idx_ledger_entry_transaction', ['transactionId'])
export class LedgerEntryEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  transactionId!: number;

  @Column({ type: 'int' })
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
