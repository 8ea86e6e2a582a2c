import { forbidden } from '../common/domain-error';
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
