/**
 * Every refusal the product can give, each a stable `extensions.code` (SPEC section 8).
 * Domain services throw `DomainError`; the GraphQL and HTTP edges translate it once.
 */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  INSUFFICIENT_CREDITS = 'INSUFFICIENT_CREDITS',
  AMOUNT_BELOW_MINIMUM = 'AMOUNT_BELOW_MINIMUM',
  PAYMENT_METHOD_UNAVAILABLE = 'PAYMENT_METHOD_UNAVAILABLE',
  BILLING_INFO_REQUIRED = 'BILLING_INFO_REQUIRED',
  PARTNER_MANAGED_ACCOUNT = 'PARTNER_MANAGED_ACCOUNT',
  ACCOUNT_NOT_ACTIVE = 'ACCOUNT_NOT_ACTIVE',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  RATE_LIMITED = 'RATE_LIMITED',
  PAYMENT_PROVIDER_ERROR = 'PAYMENT_PROVIDER_ERROR',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  /**
   * GraphQL copies an original error's `extensions` onto the GraphQLError it wraps it in, so the
   * code survives paths that never reach the error formatter (e.g. a refused subscription).
   */
  get extensions(): Record<string, unknown> {
    return { ...this.details, code: this.code };
  }
}

export const badInput = (message: string, details?: Record<string, unknown>) => new DomainError(ErrorCode.BAD_USER_INPUT, message, details);
export const forbidden = (message = 'You are not allowed to do this on this account.') => new DomainError(ErrorCode.FORBIDDEN, message);
export const notFound = (what: string) => new DomainError(ErrorCode.NOT_FOUND, `${what} was not found.`);

/** Asserts an internal invariant; a failure is a bug, never a user's mistake. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Invariant violated: ${message}`);
}
