import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, idReferenceColumn, microsColumn, timestampColumn } from '../../../database/columns';
import { CreditMovementType } from '../../../ledger/ledger.enums';

/**
 * The credit-history projection: one row per ledger transaction and customer/partner account,
 * written in the same database transaction as the entries. It carries the account's balances
 * after the movement, so the balance at any moment is one index seek away.
 */
@Entity('account_movement')
@Index('idx_movement_account_time', ['accountId', 'occurredAt', 'id'])
@Index('idx_movement_account_type_time', ['accountId', 'type', 'occurredAt', 'id'])
@Index('uq_movement_transaction_account', ['transactionId', 'accountId'], { unique: true })
export class AccountMovementEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  accountId!: string;

  @Column(idReferenceColumn())
  transactionId!: number;

  @Column({ type: 'varchar', length: 24 })
  type!: CreditMovementType;

  /** Net change of the account's total balance: positive in, negative out. */
  @Column(microsColumn())
  amountMicros!: bigint;

  @Column(microsColumn())
  topUpBalanceAfterMicros!: bigint;

  @Column(microsColumn())
  promotionalBalanceAfterMicros!: bigint;

  @Column({ type: 'varchar', length: 40, nullable: true })
  counterpartyAccountId!: string | null;

  @Column({ type: 'varchar', length: 191, nullable: true })
  reference!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  description!: string | null;

  @Column(timestampColumn())
  occurredAt!: Date;
}
