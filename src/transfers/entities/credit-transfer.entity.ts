import { Entity, Index } from 'typeorm';
import { PartnerCustomerRecord } from './partner-customer-record';

/** One partner → customer credit transfer (its columns: `PartnerCustomerRecord`). */
@Entity('credit_transfer')
@Index('uq_transfer_partner_key', ['partnerAccountId', 'idempotencyKey'], { unique: true })
@Index('idx_transfer_partner_time', ['partnerAccountId', 'createdAt', 'id'])
@Index('idx_transfer_customer_time', ['customerAccountId', 'createdAt', 'id'])
@Index('uq_transfer_transaction', ['transactionId'], { unique: true })
export class CreditTransferEntity extends PartnerCustomerRecord {}
