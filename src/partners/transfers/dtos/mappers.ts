import type { Principal } from '../../../auth/principal';
import { toBalances } from '../../../balances/dtos/mappers';
import type { PartnerCustomerRecord } from '../entities/partner-customer-record';
import type { PartnerCustomerCommand, PartnerCustomerResult } from '../partner-customer-postings';
import type { PartnerCustomerPayloadFields, PartnerCustomerRecordFields } from './partner-customer.type';

/** The input fields of `transferCredits` and `reclaimCredits`. */
interface PartnerCustomerInput {
  customerAccountId: string;
  amount: bigint;
  idempotencyKey: string;
  note?: string | null;
  dryRun: boolean;
}

/**
 * A transfer or reclaim command from its caller, whom `@Authorized` has checked (a partner's OWNER
 * or BILLING_ADMIN): the partner is the caller's account, never the input's.
 */
export function toPartnerCustomerCommand(principal: Principal, input: PartnerCustomerInput): PartnerCustomerCommand {
  return {
    partnerAccountId: principal.accountId!,
    customerAccountId: input.customerAccountId,
    amountMicros: input.amount,
    idempotencyKey: input.idempotencyKey,
    note: input.note ?? null,
    actor: { userId: principal.subject, role: principal.role },
    dryRun: input.dryRun,
  };
}

/** The GraphQL fields of a transfer or a reclaim (`CreditTransfer`, `CreditReclaim`). */
export const toPartnerCustomerRecord = (record: PartnerCustomerRecord): PartnerCustomerRecordFields => ({
  id: String(record.id),
  partnerAccountId: record.partnerAccountId,
  customerAccountId: record.customerAccountId,
  amount: record.amountMicros,
  note: record.note,
  createdAt: record.createdAt,
});

/** The payload fields both kinds share: whether it was a dry run, and both balances after. */
export const toPartnerCustomerPayload = (result: Omit<PartnerCustomerResult<unknown>, 'record'>): PartnerCustomerPayloadFields => ({
  dryRun: result.dryRun,
  partnerBalances: toBalances(result.partnerBalancesAfter),
  customerBalances: toBalances(result.customerBalancesAfter),
});
