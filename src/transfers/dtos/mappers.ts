import { AccessPolicy } from '../../auth/access-policy';
import { canManageBilling, type Principal } from '../../auth/principal';
import { forbidden } from '../../common/domain-error';
import { toBalances } from '../../ledger/dtos/mappers';
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
 * A transfer or reclaim command from the caller: a partner user who is an OWNER or BILLING_ADMIN
 * (FORBIDDEN otherwise, before any work). The partner is the caller's account, never the input's.
 */
export function toPartnerCustomerCommand(principal: Principal | null, input: PartnerCustomerInput, action: string): PartnerCustomerCommand {
  const known = AccessPolicy.requireAuthenticated(principal);
  if (!known.accountId) throw forbidden(`Only a partner user can ${action}.`);
  if (!canManageBilling(known)) throw forbidden(`Only an OWNER or BILLING_ADMIN may ${action}.`);
  return {
    partnerAccountId: known.accountId,
    customerAccountId: input.customerAccountId,
    amountMicros: input.amount,
    idempotencyKey: input.idempotencyKey,
    note: input.note ?? null,
    actor: { userId: known.subject, role: known.role },
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
