import type { PartnerCustomerRecord } from '../entities/partner-customer-record';

/** The GraphQL fields of a transfer or a reclaim (`CreditTransfer`, `CreditReclaim`). */
export const toPartnerCustomerRecord = (record: PartnerCustomerRecord) => ({
  id: String(record.id),
  partnerAccountId: record.partnerAccountId,
  customerAccountId: record.customerAccountId,
  amount: record.amountMicros,
  note: record.note,
  createdAt: record.createdAt,
});
