import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { microsColumn, timestampColumn } from '../../database/columns';
import { AccountKind, AccountStatus } from '../account.enums';

@Entity('account')
@Index('idx_account_partner_name', ['partnerId', 'name', 'id'])
export class AccountEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: AccountKind;

  @Column({ type: 'varchar', length: 16 })
  status!: AccountStatus;

  /** ISO 3166-1 alpha-2 country code; `VN` opens VNPay and PayPal. */
  @Column({ type: 'varchar', length: 2 })
  region!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** The partner that manages this customer, or null for a direct customer. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  partnerId!: string | null;

  /**
   * Set when the top-up balance is below what the account may owe (zero, or minus a partner's
   * credit limit): usage overdrew it, a claw-back took spent credits, or a lowered limit left it
   * owing more. Cleared when credits (or a higher limit) bring it back.
   */
  @Column({ type: 'boolean', default: false })
  depleted!: boolean;

  /**
   * Set when a payment reversal (a refund or dispute at the provider) leaves the top-up balance
   * below zero; cleared when the balance is back at zero or above. While it is set, no credits
   * leave the account (reversal-hold.projection.ts).
   */
  @Column({ type: 'boolean', default: false })
  reversalHold!: boolean;

  /**
   * A partner's credit limit: how far below zero its top-up wallet may go through transfers, bulk
   * transfers and auto-transfers (never through anything else). 0 for every other account.
   */
  @Column(microsColumn({ default: 0 }))
  creditLimitMicros!: bigint;

  @Column(timestampColumn())
  createdAt!: Date;

  @Column(timestampColumn())
  updatedAt!: Date;
}
