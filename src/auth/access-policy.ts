import { DomainError, ErrorCode, forbidden, notFound } from '../common/domain-error';
import type { AccountEntity } from '../accounts/entities/account.entity';
import { canManageBilling, isAdmin, Principal, Scope } from './principal';

/**
 * Who may see and change what. A user sees its own account; a partner user also sees the accounts
 * of its own customers; the platform admin sees every account. Everything else is FORBIDDEN, and
 * an account that does not exist looks the same as one that is not yours (no enumeration).
 */
export const AccessPolicy = {
  requireAuthenticated(principal: Principal | null): Principal {
    if (!principal) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Send a bearer token in the Authorization header.');
    return principal;
  },

  requireAdmin(principal: Principal | null): Principal {
    const known = AccessPolicy.requireAuthenticated(principal);
    if (!isAdmin(known)) throw forbidden('Only the platform admin may do this.');
    return known;
  },

  requireScope(principal: Principal | null, scope: Scope): Principal {
    const known = AccessPolicy.requireAuthenticated(principal);
    if (!known.scopes.includes(scope)) throw forbidden(`This needs the "${scope}" scope.`);
    return known;
  },

  /** Returns the account when the principal may read it. */
  assertCanRead(principal: Principal | null, accountId: string, account: AccountEntity | null): AccountEntity {
    const known = AccessPolicy.requireAuthenticated(principal);
    if (isAdmin(known)) {
      if (!account) throw notFound(`Account ${accountId}`);
      return account;
    }
    if (account && isOwnOrManaged(known, account)) return account;
    throw forbidden('You may not see this account.');
  },

  /**
   * Something that belongs to an account (a top-up, a PayPal order), found by an id the caller
   * chose: visible when its account is. `owner` is null when nothing has that id. A missing one
   * and another account's one get the same FORBIDDEN with the same message (which does not echo
   * the id), so ids cannot be probed; only the admin, who may see everything anyway, learns
   * NOT_FOUND. `what` names the kind of thing: "top-up", "PayPal order".
   */
  assertCanReadBelonging(principal: Principal | null, what: string, owner: AccountEntity | null): void {
    const known = AccessPolicy.requireAuthenticated(principal);
    if (isAdmin(known)) {
      if (!owner) throw notFound(`The ${what}`);
      return;
    }
    if (owner && isOwnOrManaged(known, owner)) return;
    throw forbidden(`You may not see this ${what}.`);
  },

  /**
   * Reading billing information (legal and tax details): the admin, or an OWNER or BILLING_ADMIN of
   * the account or of its partner. A VIEWER sees balances and history, not the billing details.
   */
  assertCanReadBilling(principal: Principal | null, account: AccountEntity): void {
    const known = AccessPolicy.requireAuthenticated(principal);
    if (isAdmin(known)) return;
    if (!isOwnOrManaged(known, account)) throw forbidden('You may not see this account.');
    if (!canManageBilling(known)) throw forbidden('Only an OWNER or BILLING_ADMIN may see billing information.');
  },

  /** Billing information and purchases: an OWNER or BILLING_ADMIN of the account itself. */
  assertCanManageOwnBilling(principal: Principal | null, accountId: string): Principal {
    const known = AccessPolicy.requireAuthenticated(principal);
    if (known.accountId !== accountId) throw forbidden('You may only manage the billing of your own account.');
    if (!canManageBilling(known)) throw forbidden('Only an OWNER or BILLING_ADMIN may manage billing.');
    return known;
  },
};

/** The principal's own account, or (for a partner user) one of the partner's customers. */
function isOwnOrManaged(principal: Principal, account: AccountEntity): boolean {
  return account.id === principal.accountId || (account.partnerId !== null && account.partnerId === principal.accountId);
}
