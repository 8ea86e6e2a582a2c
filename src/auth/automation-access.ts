import { forbidden } from '../common/domain-error';
import { AccountKind } from '../accounts/account.enums';
import type { AccountEntity } from '../accounts/entities/account.entity';
import { canManageBilling, isAdmin, Principal } from './principal';

/**
 * Who may configure an account's automation (balance thresholds, webhook endpoints): an OWNER or
 * BILLING_ADMIN of the account itself or of its partner. The account must already have passed
 * `AccessPolicy.assertCanRead`, which rules out every other account. The platform admin reads but
 * does not configure: these settings belong to the customer.
 */
export function assertCanManageAutomation(principal: Principal, account: AccountEntity): void {
  if (isAdmin(principal)) throw forbidden("The platform admin may read, not change, an account's automation settings.");
  if (!canManageBilling(principal)) throw forbidden('Only an OWNER or BILLING_ADMIN may change automation settings.');
  void account;
}

/** Reading webhook endpoints and deliveries (URLs, response codes): the managers above and the admin. */
export function assertCanReadAutomation(principal: Principal, account: AccountEntity): void {
  if (isAdmin(principal)) return;
  assertCanManageAutomation(principal, account);
}

/**
 * A partner's auto-transfer rule for one of its customers: the partner's OWNER or BILLING_ADMIN.
 * The customer's own users may not (the rule spends the partner's credits). `customer` must already
 * have passed `AccessPolicy.assertCanRead`.
 */
export function assertCanManageAutoTransferRule(principal: Principal, customer: AccountEntity): void {
  if (customer.partnerId === null || customer.partnerId !== principal.accountId) {
    throw forbidden("Only the customer's partner may manage its auto-transfer rule.");
  }
  if (!canManageBilling(principal)) throw forbidden('Only an OWNER or BILLING_ADMIN may manage auto-transfer rules.');
}

/** Reading that rule: the same people, and the platform admin. */
export function assertCanReadAutoTransferRule(principal: Principal, customer: AccountEntity): void {
  if (isAdmin(principal)) return;
  assertCanManageAutoTransferRule(principal, customer);
}

/** A partner's rules as a whole (their list, their outcomes): its own OWNER or BILLING_ADMIN; the admin reads outcomes. */
export function assertCanReadPartnerAutoTransfers(principal: Principal, partner: AccountEntity, options: { adminMayRead: boolean }): void {
  if (isAdmin(principal) && options.adminMayRead) return;
  if (partner.kind !== AccountKind.PARTNER || partner.id !== principal.accountId) throw forbidden('Only a partner has auto-transfer rules.');
  if (!canManageBilling(principal)) throw forbidden('Only an OWNER or BILLING_ADMIN may read auto-transfer rules.');
}
