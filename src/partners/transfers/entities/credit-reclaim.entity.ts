import { Column, Entity, Index } from 'typeorm';
import { PartnerCustomerRecord } from './partner-customer-record';

/**
 * One reclaim: the partner took `amountMicros` of unused top-up credits back from its own customer
 * (its columns: `PartnerCustomerRecord`). Keys are unique per partner among reclaims, as transfers'
 * are among transfers.
 */
@Entity('credit_reclaim')
@Index('uq_reclaim_partner_key', ['partnerAccountId', 'idempotencyKey'], { unique: true })
@Index('idx_reclaim_partner_time', ['partnerAccountId', 'createdAt', 'id'])
@Index('idx_reclaim_customer_time', ['customerAccountId', 'createdAt', 'id'])
@Index('uq_reclaim_transaction', ['transactionId'], { unique: true })
export class CreditReclaimEntity extends PartnerCustomerRecord {
  @Column({ type: 'varchar', length: 100 })
  idempotencyKey!: string;
}
