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

export interface Principal {
  /** The user or service id (`sub`). */
  subject: string;
  /** The user's account; null for services and the platform admin. */
  accountId: string | null;
  role: Role | null;
  scopes: Scope[];
}

/** A bearer token that passed verification. */
export interface VerifiedToken {
  principal: Principal;
  /** Milliseconds since the epoch, or null for a token without `exp`. */
  expiresAt: number | null;
}

export const isAdmin = (principal: Principal) => principal.scopes.includes(Scope.ADMIN);

export const canManageBilling = (principal: Pick<Principal, 'role'>) => principal.role === Role.OWNER || principal.role === Role.BILLING_ADMIN;
