import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, microsColumn } from '../../database/columns';
import { WalletKind } from '../ledger.enums';

@Entity('wallet')
@Index('uq_wallet_account_kind', ['accountId', 'kind'], { unique: true })
export class WalletEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  accountId!: string;

  @Column({ type: 'varchar', length: 24 })
  kind!: WalletKind;

  /** Always equal to the sum of this wallet's ledger entries. */
  @Column(microsColumn({ default: 0 }))
  balanceMicros!: bigint;
}
