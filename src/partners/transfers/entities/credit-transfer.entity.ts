import { Column, Entity, Index } from 'typeorm';
import { PartnerCustomerRecord } from './partner-customer-record';

/** One partner → customer credit transfer (its columns: `PartnerCustomerRecord`). */
@Entity('credit_transfer')
@Index('uq_transfer_partner_key', ['partnerAccountId', 'idempotencyKey'], { unique: true })
@Index('idx_transfer_partner_time', ['partnerAccountId', 'createdAt', 'id'])
@Index('idx_transfer_customer_time', ['customerAccountId', 'createdAt', 'id'])
@Index('uq_transfer_transaction', ['transactionId'], { unique: true })
export class CreditTransferEntity extends PartnerCustomerRecord {
  /**
   * The partner's key (at most 100 characters); a row of a transfer batch has `<batch key>/<row
   * index>`, which no client key can be (they never contain "/").
   */
  @Column({ type: 'varchar', length: 120 })
  idempotencyKey!: string;
}
