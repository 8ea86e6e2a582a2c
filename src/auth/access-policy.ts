import { DomainError, ErrorCode, forbidden, notFound } from '../common/domain-error';
import { canManageBilling, isAdmin, Principal, Role, Scope } from './principal';

/**
 * What the policy reads of an account (an AccountEntity has these fields). The policy names no
 * feature's types, so every folder may use it and it uses none of them.
 */
export interface AccountFacts {
  id: string;
  /** The managing partner's account; null for a direct customer or a partner. */
  partnerId: string | null;
  /** CUSTOMER, PARTNER or SYSTEM. */
  kind: string;
}

/** Finds an account by id for the checks that need one (the GraphQL request's loader, or a service). */
export type AccountLookup = (accountId: string) => Promise<AccountFacts | null>;

/** Something that belongs to an account, found by an id the caller chose. */
export interface Belonging {
  /** Names the kind of thing in a refusal: "top-up", "PayPal order". */
  what: string;
  /** The owning account; null when nothing has that id. */
  accountId: string | null;
}

const PARTNER_KIND = 'PARTNER';
const NOT_A_PARTNER = 'Reports are for the users of a partner account.';
const NOT_A_PARTNER_WITH_RULES = 'Only a partner has auto-transfer rules.';

/**
 * Who may see and change what. A user sees its own account; a partner user also sees the accounts
 * of its own customers; the platform admin sees every account. Everything else is FORBIDDEN, and
 * an account that does not exist looks the same as one that is not yours (no enumeration).
 *
 * The one place access is decided: the GraphQL auth checker (src/graphql/auth-checker.ts) and the
 * CSV routes call these, never a check of their own.
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

  /** A user of an account (not a service, not the admin); `refusal` says what only such a user may do. */
  requireAccountUser(principal: Principal | null, refusal: string): Principal & { accountId: string } {
    const known = AccessPolicy.requireAuthenticated(principal);
    if (!known.accountId) throw forbidden(refusal);
    return known as Principal & { accountId: string };
  },

  /** An OWNER or BILLING_ADMIN; `refusal` says what only they may do. */
  requireBillingManager(principal: Principal | null, refusal: string): Principal {
    const known = AccessPolicy.requireAuthenticated(principal);
    if (!canManageBilling(known)) throw forbidden(refusal);
    return known;
  },

  /** Returns the account when the principal may read it. */
  assertCanRead<Account extends AccountFacts>(principal: Principal | null, accountId: string, account: Account | null): Account {
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
  assertCanReadBelonging(principal: Principal | null, what: string, owner: AccountFacts | null): void {
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
  assertCanReadBilling(principal: Principal | null, account: AccountFacts): void {
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

  /**
   * API keys of an account: its own OWNER only (not a BILLING_ADMIN, not its partner, not the
   * platform admin, and never a key). Returns the principal.
   */
  assertAccountOwner(principal: Principal | null, accountId: string): Principal {
    const known = AccessPolicy.requireAuthenticated(principal);
    if (known.accountId !== accountId || known.role !== Role.OWNER) throw forbidden("Only the account's OWNER may manage its API keys.");
    return known;
  },

  /**
   * Who may configure an account's automation (balance thresholds, webhook endpoints): an OWNER or
   * BILLING_ADMIN of the account itself or of its partner. The account must already have passed
   * `assertCanRead`, which rules out every other account. The platform admin reads but does not
   * configure: these settings belong to the customer.
   */
  assertCanManageAutomation(principal: Principal): void {
    if (isAdmin(principal)) throw forbidden("The platform admin may read, not change, an account's automation settings.");
    if (!canManageBilling(principal)) throw forbidden('Only an OWNER or BILLING_ADMIN may change automation settings.');
  },

  /** Reading webhook endpoints and deliveries (URLs, response codes): the managers above and the admin. */
  assertCanReadAutomation(principal: Principal): void {
    if (isAdmin(principal)) return;
    AccessPolicy.assertCanManageAutomation(principal);
  },

  /**
   * A partner's auto-transfer rule for one of its customers (named by `customerAccountId`): the
   * partner's OWNER or BILLING_ADMIN. The customer's own users may not (the rule spends the
   * partner's credits); with `need: 'read'` the platform admin may too. An account that is not
   * visible is refused as by `readAccount`.
   */
  async autoTransferRule(principal: Principal | null, customerAccountId: string, lookup: AccountLookup, need: 'read' | 'manage'): Promise<void> {
    const known = AccessPolicy.requireAuthenticated(principal);
    const customer = AccessPolicy.assertCanRead(known, customerAccountId, await lookup(customerAccountId));
    if (need === 'read' && isAdmin(known)) return;
    if (customer.partnerId === null || customer.partnerId !== known.accountId) {
      throw forbidden("Only the customer's partner may manage its auto-transfer rule.");
    }
    if (!canManageBilling(known)) throw forbidden('Only an OWNER or BILLING_ADMIN may manage auto-transfer rules.');
  },

  /**
   * A partner's auto-transfer rules as a whole (their list; their outcomes): the partner's own OWNER
   * or BILLING_ADMIN, and, where `adminMayRead`, the platform admin. `partnerAccountId` null means
   * the principal's own account. Returns the partner's id.
   */
  async partnerAutoTransfers(
    principal: Principal | null,
    partnerAccountId: string | null,
    lookup: AccountLookup,
    options: { adminMayRead: boolean },
  ): Promise<string> {
    const known = AccessPolicy.requireAuthenticated(principal);
    const accountId = partnerAccountId ?? known.accountId;
    if (accountId === null) throw forbidden(NOT_A_PARTNER_WITH_RULES);
    const partner = AccessPolicy.assertCanRead(known, accountId, await lookup(accountId));
    if (isAdmin(known) && options.adminMayRead) return partner.id;
    if (partner.kind !== PARTNER_KIND || partner.id !== known.accountId) throw forbidden(NOT_A_PARTNER_WITH_RULES);
    if (!canManageBilling(known)) throw forbidden('Only an OWNER or BILLING_ADMIN may read auto-transfer rules.');
    return partner.id;
  },

  /**
   * The audit trail: the platform admin reads every entry (any account, or all); an account's OWNER
   * reads its own account's entries (accountId null or empty means its own). Everyone else: FORBIDDEN.
   */
  readAuditLog(principal: Principal | null, accountId: string | null): void {
    const known = AccessPolicy.requireAuthenticated(principal);
    if (isAdmin(known)) return;
    if (known.accountId === null || (accountId && accountId !== known.accountId)) throw forbidden('You may only read the audit trail of your own account.');
    if (known.role !== Role.OWNER) throw forbidden("Only the account's OWNER may read its audit trail.");
  },

  /** An account's managing partner is shown to the platform admin and to the partner itself; to others it is null. */
  canSeePartner(principal: Principal | null, partnerId: string): boolean {
    return principal !== null && (isAdmin(principal) || principal.accountId === partnerId);
  },

  /** Reads an account the principal may see (FORBIDDEN; NOT_FOUND for the admin). */
  async readAccount(principal: Principal | null, accountId: string, lookup: AccountLookup): Promise<void> {
    AccessPolicy.requireAuthenticated(principal);
    AccessPolicy.assertCanRead(principal, accountId, await lookup(accountId));
  },

  /**
   * Reads an account's data (balances, history): as `readAccount`, but without a lookup when it is
   * the principal's own account (the token already says so); the hot `balances` query relies on this.
   */
  async readAccountData(principal: Principal | null, accountId: string, lookup: AccountLookup): Promise<void> {
    const known = AccessPolicy.requireAuthenticated(principal);
    if (known.accountId === accountId) return;
    await AccessPolicy.readAccount(known, accountId, lookup);
  },

  /** Something an id names, visible when its account is (see `assertCanReadBelonging`); returns the owning account's id. */
  async readBelonging(principal: Principal | null, belonging: Belonging, lookup: AccountLookup): Promise<string> {
    AccessPolicy.requireAuthenticated(principal);
    const owner = belonging.accountId === null ? null : await lookup(belonging.accountId);
    AccessPolicy.assertCanReadBelonging(principal, belonging.what, owner);
    return belonging.accountId!;
  },

  /**
   * The partner reports: a user (any role) of a partner account, about the partner's own customers.
   * `customerAccountId` narrows a report to one of them: any other account, or one that does not
   * exist, is refused alike. Returns the partner's account id.
   */
  async readPartnerReports(principal: Principal | null, customerAccountId: string | null | undefined, lookup: AccountLookup): Promise<string> {
    const known = AccessPolicy.requireAccountUser(principal, NOT_A_PARTNER);
    const partner = await lookup(known.accountId);
    if (!partner || partner.kind !== PARTNER_KIND) throw forbidden(NOT_A_PARTNER);
    if (customerAccountId != null) {
      const customer = await lookup(customerAccountId);
      if (!customer || customer.partnerId !== partner.id) throw forbidden('That account is not one of your customers.');
    }
    return partner.id;
  },
};

/** The principal's own account, or (for a partner user) one of the partner's customers. */
function isOwnOrManaged(principal: Principal, account: AccountFacts): boolean {
  return account.id === principal.accountId || (account.partnerId !== null && account.partnerId === principal.accountId);
}
