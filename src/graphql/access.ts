import type { ResolverData } from 'type-graphql';
import { AccessPolicy, type AccountLookup, type Belonging } from '../auth/access-policy';
import type { Principal, Scope } from '../auth/principal';
import { invariant } from '../common/domain-error';
import type { GraphQLContext } from './context';
import type { Loaders } from './loaders';

/** One resolver call, as the auth checker sees it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ResolverCall<Services = any> = ResolverData<GraphQLContext<Services>>;

/**
 * One condition of `@Authorized(...)`: refuses by throwing (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND for
 * the admin), as the access policy decides. The checker has already required a principal.
 */
export type AccessRule = (call: ResolverCall, principal: Principal) => void | Promise<void>;

/** Which account a call's arguments name (e.g. `({ args }) => args.accountId`); "" or null names none. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AccountOfCall = (call: ResolverCall<any>) => string | null | undefined;

/** The thing a call's arguments name by id (a top-up, a webhook endpoint) and its account. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BelongingOfCall = (call: ResolverCall<any>) => Promise<Belonging>;

const accountLookup =
  (call: ResolverCall): AccountLookup =>
  (accountId) =>
    call.context.loaders.account.load(accountId);

/**
 * The conditions resolvers put in `@Authorized(...)`; each delegates to the AccessPolicy. A
 * resolver only says who may call it and which account its arguments name.
 */
export const Access = {
  /** Any valid token. */
  AUTHENTICATED: (() => undefined) as AccessRule,

  ADMIN: ((_call, principal) => void AccessPolicy.requireAdmin(principal)) as AccessRule,

  scope:
    (scope: Scope): AccessRule =>
    (_call, principal) =>
      void AccessPolicy.requireScope(principal, scope),

  /** A user of an account (any role); `refusal` says what only such a user may do. */
  accountUser:
    (refusal: string): AccessRule =>
    (_call, principal) =>
      void AccessPolicy.requireAccountUser(principal, refusal),

  /** An OWNER or BILLING_ADMIN; `refusal` says what only they may do. */
  billingManager:
    (refusal: string): AccessRule =>
    (_call, principal) =>
      void AccessPolicy.requireBillingManager(principal, refusal),

  /** The named account, which must exist and be visible (FORBIDDEN; NOT_FOUND for the admin). */
  readAccount:
    (accountOf: AccountOfCall): AccessRule =>
    (call, principal) =>
      AccessPolicy.readAccount(principal, accountOf(call) ?? '', accountLookup(call)),

  /** The named account's data (balances, history): the principal's own account needs no lookup. */
  readAccountData:
    (accountOf: AccountOfCall): AccessRule =>
    (call, principal) =>
      AccessPolicy.readAccountData(principal, accountOf(call) ?? '', accountLookup(call)),

  /** Billing and purchases of the named account: an OWNER or BILLING_ADMIN of that account itself. */
  manageOwnBilling:
    (accountOf: AccountOfCall): AccessRule =>
    (_call, principal) =>
      void AccessPolicy.assertCanManageOwnBilling(principal, accountOf(_call) ?? ''),

  /** The named account's own OWNER (API keys). */
  accountOwner:
    (accountOf: AccountOfCall): AccessRule =>
    (call, principal) =>
      void AccessPolicy.assertAccountOwner(principal, accountOf(call) ?? ''),

  /**
   * The OWNER of the account a thing named by id belongs to (an API key); an unknown id is refused
   * like another account's (FORBIDDEN, the same message), so ids cannot be probed.
   */
  ownBelonging:
    (belongingOf: BelongingOfCall): AccessRule =>
    async (call, principal) => {
      const belonging = await belongingOf(call);
      AccessPolicy.assertAccountOwner(principal, belonging.accountId ?? '\u0000');
    },

  /** Billing information of the Account a field is on (the root). */
  READ_BILLING_OF_ROOT: ((call, principal) => AccessPolicy.assertCanReadBilling(principal, call.root)) as AccessRule,

  /** Reading an account's automation (webhook endpoints): its managers and the admin. */
  readAutomation:
    (accountOf: AccountOfCall): AccessRule =>
    async (call, principal) => {
      await AccessPolicy.readAccount(principal, accountOf(call) ?? '', accountLookup(call));
      AccessPolicy.assertCanReadAutomation(principal);
    },

  /** Changing an account's automation (thresholds, webhook endpoints): its OWNER or BILLING_ADMIN, or its partner's. */
  manageAutomation:
    (accountOf: AccountOfCall): AccessRule =>
    async (call, principal) => {
      await AccessPolicy.readAccount(principal, accountOf(call) ?? '', accountLookup(call));
      AccessPolicy.assertCanManageAutomation(principal);
    },

  /** A thing named by id, visible when its account is; an unknown id is refused like another account's. */
  readBelonging:
    (belongingOf: BelongingOfCall): AccessRule =>
    async (call, principal) =>
      void (await AccessPolicy.readBelonging(principal, await belongingOf(call), accountLookup(call))),

  /** A thing named by id whose account's billing the principal manages (a top-up to cancel or capture). */
  payBelonging:
    (belongingOf: BelongingOfCall): AccessRule =>
    async (call, principal) => {
      const accountId = await AccessPolicy.readBelonging(principal, await belongingOf(call), accountLookup(call));
      AccessPolicy.assertCanManageOwnBilling(principal, accountId);
    },

  /** The automation of the account a thing named by id belongs to (a webhook endpoint). */
  readBelongingAutomation:
    (belongingOf: BelongingOfCall): AccessRule =>
    async (call, principal) => {
      await AccessPolicy.readBelonging(principal, await belongingOf(call), accountLookup(call));
      AccessPolicy.assertCanReadAutomation(principal);
    },

  manageBelongingAutomation:
    (belongingOf: BelongingOfCall): AccessRule =>
    async (call, principal) => {
      await AccessPolicy.readBelonging(principal, await belongingOf(call), accountLookup(call));
      AccessPolicy.assertCanManageAutomation(principal);
    },

  /** A partner's auto-transfer rule for the customer an argument names (see AccessPolicy.autoTransferRule). */
  autoTransferRule:
    (customerOf: AccountOfCall, need: 'read' | 'manage'): AccessRule =>
    (call, principal) =>
      AccessPolicy.autoTransferRule(principal, customerOf(call) ?? '', accountLookup(call), need),

  /** A partner's auto-transfer rules as a whole; `partnerOf` null means the caller's own partner account. */
  partnerAutoTransfers:
    (partnerOf: AccountOfCall | null, options: { adminMayRead: boolean }): AccessRule =>
    async (call, principal) =>
      void (await AccessPolicy.partnerAutoTransfers(principal, partnerOf ? (partnerOf(call) ?? '') : null, accountLookup(call), options)),

  /** The audit trail: the platform admin, or the OWNER of the named (default: own) account. */
  readAuditLog:
    (accountOf: AccountOfCall): AccessRule =>
    (call, principal) =>
      void AccessPolicy.readAuditLog(principal, accountOf(call) ?? null),

  /** The partner reports, optionally narrowed to the customer an argument names. */
  partnerReports:
    (customerOf: AccountOfCall): AccessRule =>
    async (call, principal) =>
      void (await AccessPolicy.readPartnerReports(principal, customerOf(call), accountLookup(call))),
};

/** The usual "which account": an argument holding an account id. */
export const argument =
  (name: string): AccountOfCall =>
  ({ args }) =>
    args[name] as string | null | undefined;

/** An optional account-id argument that defaults to the caller's own account. */
export const argumentOrOwnAccount =
  (read: (args: ResolverCall['args']) => string | null | undefined): AccountOfCall =>
  ({ args, context }) =>
    read(args) ?? context.principal?.accountId ?? '';

/** The account row the accounts module's loader returns (graphql/ names no feature's types). */
export type CheckedAccount = NonNullable<Awaited<ReturnType<Loaders['account']['load']>>>;

/**
 * The account a rule above has loaded and let through (`readAccount`, `readAutomation`,
 * `manageAutomation`), from the request's loader: no second lookup. Its `id` is the stored one.
 */
export async function checkedAccount(context: GraphQLContext, accountId: string): Promise<CheckedAccount> {
  const account = await context.loaders.account.load(accountId);
  invariant(account, `the auth checker let account ${accountId} through`);
  return account;
}
