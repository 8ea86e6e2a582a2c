export enum Role {
  OWNER = 'OWNER',
  BILLING_ADMIN = 'BILLING_ADMIN',
  VIEWER = 'VIEWER',
}

/** Scopes for machine principals (and the platform admin). */
export enum Scope {
  /** Platform admin: creates, activates and suspends accounts; grants promotional credits. */
  ADMIN = 'admin',
  /** The metering service: records usage. */
  USAGE_WRITE = 'usage:write',
}

/**
 * What an API key may do (SPEC §14). A key acts for its own account only, and only through the root
 * fields its scopes map to (src/auth/api-key-scopes.ts); everything else refuses it with FORBIDDEN
 * naming the scope it lacks.
 */
export enum ApiKeyScope {
  /** Read the account, its customers (a partner's) and who the caller is. */
  CUSTOMERS_READ = 'customers:read',
  /** Transfer and reclaim credits, and manage auto-transfer rules. */
  TRANSFERS_WRITE = 'transfers:write',
  /** Read the partner reports, in GraphQL and as CSV. */
  REPORTS_READ = 'reports:read',
  /** Manage webhook endpoints and balance thresholds, read deliveries, send test events. */
  WEBHOOKS_MANAGE = 'webhooks:manage',
  /** Read balances, credit history (also as CSV), promotional grants and top-ups. */
  USAGE_READ = 'usage:read',
}

/** The API key a principal authenticated with. */
export interface ApiKeyIdentity {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
}

export interface Principal {
  /** The user or service id (`sub`). */
  subject: string;
  /** The user's account; null for services and the platform admin. */
  accountId: string | null;
  role: Role | null;
  scopes: Scope[];
  /** Set when the caller sent an API key rather than a token: the key acts for `accountId` within its scopes. */
  apiKey?: ApiKeyIdentity | null;
}

/** A bearer token that passed verification. */
export interface VerifiedToken {
  principal: Principal;
  /** Milliseconds since the epoch, or null for a token without `exp`. */
  expiresAt: number | null;
}

export const isAdmin = (principal: Principal) => principal.scopes.includes(Scope.ADMIN);

/**
 * An OWNER or BILLING_ADMIN, or an API key: a key carries no role, and what it may do is bounded by
 * its scopes per root field (the auth checker's first rule) instead.
 */
export const canManageBilling = (principal: Pick<Principal, 'role' | 'apiKey'>) =>
  principal.role === Role.OWNER || principal.role === Role.BILLING_ADMIN || Boolean(principal.apiKey);

/** The `sub` an API key's principal carries, recorded as the actor of what it does (`apikey:<id>`). */
export const API_KEY_SUBJECT_PREFIX = 'apikey:';

/** The key id of an actor recorded as `apikey:<id>`, or null for a user or a service. */
export const apiKeyIdOfActor = (actor: string | null | undefined): string | null =>
  actor?.startsWith(API_KEY_SUBJECT_PREFIX) ? actor.slice(API_KEY_SUBJECT_PREFIX.length) : null;
