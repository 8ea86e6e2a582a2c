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
  /** A payment reversal left the account's top-up balance below zero: no credits leave it until it is back. */
  REVERSAL_HOLD = 'REVERSAL_HOLD',
  AMOUNT_BELOW_MINIMUM = 'AMOUNT_BELOW_MINIMUM',
  PAYMENT_METHOD_UNAVAILABLE = 'PAYMENT_METHOD_UNAVAILABLE',
  BILLING_INFO_REQUIRED = 'BILLING_INFO_REQUIRED',
  PARTNER_MANAGED_ACCOUNT = 'PARTNER_MANAGED_ACCOUNT',
  ACCOUNT_NOT_ACTIVE = 'ACCOUNT_NOT_ACTIVE',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  GRANT_NOT_ACTIVE = 'GRANT_NOT_ACTIVE',
  RATE_LIMITED = 'RATE_LIMITED',
  PAYMENT_PROVIDER_ERROR = 'PAYMENT_PROVIDER_ERROR',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** Codes GraphQL and Apollo themselves give for malformed requests (and the HTTP edge's BAD_REQUEST); stable, passed through. */
export const PROTOCOL_ERROR_CODES = [
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
] as const;

/**
 * Every `extensions.code` the API can answer with, and what it means: the one list, published in the
 * schema as the `ErrorCode` enum (a test checks that every code the source produces is here).
 */
export const ERROR_CODE_DESCRIPTIONS: Readonly<Record<ErrorCode | (typeof PROTOCOL_ERROR_CODES)[number], string>> = {
  UNAUTHENTICATED: 'No bearer token, or one that is invalid, expired or revoked (HTTP 401).',
  FORBIDDEN: 'The caller may not do this here (another account, a missing role, or an API key without the scope named in the message).',
  BAD_USER_INPUT: 'An argument is malformed or out of range; `extensions.field` names it when it can. Nothing changed.',
  NOT_FOUND: 'Nothing has that id (only the platform admin is told; others get FORBIDDEN, so ids cannot be probed).',
  INSUFFICIENT_CREDITS: 'The balance to spend from is too low; nothing moved.',
  REVERSAL_HOLD:
    'A refund or dispute at the payment provider took back credits the account had already spent, leaving its top-up balance below zero: no credits leave it (transfers, reclaims, auto-transfers) until it is back at zero or above.',
  AMOUNT_BELOW_MINIMUM: 'A top-up below TOPUP_MINIMUM_CREDITS.',
  PAYMENT_METHOD_UNAVAILABLE: 'That payment method is not offered to this account (region, or not configured).',
  BILLING_INFO_REQUIRED: 'Buying credits needs billing information first (updateBillingInfo).',
  PARTNER_MANAGED_ACCOUNT: "A partner's customer does not buy credits itself; its partner transfers them.",
  ACCOUNT_NOT_ACTIVE: 'The account (or the other side) is not ACTIVE.',
  IDEMPOTENCY_KEY_REUSED: 'The idempotency key was used before with different input; the first answer stands.',
  GRANT_NOT_ACTIVE: 'The promotional grant has nothing left to correct: it is used up, expired or voided. Nothing changed.',
  RATE_LIMITED: 'Too many requests for this caller (or IP); retry after `extensions.retryAfterSeconds` (HTTP 429).',
  PAYMENT_PROVIDER_ERROR: 'The payment provider refused or failed; `extensions.providerCode` says how. Nothing was charged unless the top-up says so.',
  SERVICE_UNAVAILABLE: 'The database (or another dependency) is unreachable for now; retry (HTTP 503).',
  INTERNAL_SERVER_ERROR: 'A bug on our side; it was logged with the request id. The message reveals nothing.',
  GRAPHQL_PARSE_FAILED: 'The operation is not valid GraphQL syntax.',
  GRAPHQL_VALIDATION_FAILED: 'The operation does not match the schema, or exceeds a limit (depth, aliases, cost, tokens).',
  BAD_REQUEST: 'The HTTP request itself is malformed (body, method, or a subscription sent over HTTP).',
  OPERATION_RESOLUTION_FAILURE: 'The operation name does not match an operation in the document.',
  PERSISTED_QUERY_NOT_FOUND: 'The persisted query hash is unknown: send the full query with it once.',
  PERSISTED_QUERY_NOT_SUPPORTED: 'Persisted queries are turned off.',
};

/**
 * An error refusing a client's request, made without a stack trace (see `withoutStackTrace`): the
 * base of `DomainError` and of the amounts' `MoneyFormatError`.
 */
export class Refusal extends Error {
  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

export class DomainError extends Refusal {
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

/**
 * Makes an error without capturing a stack trace. A refusal of a client's request (bad input, a
 * limit, a missing right) is an answer, not a fault: its stack is never shown or logged (a logged
 * refusal names its cause, which keeps its own), yet capturing one, and formatting it when GraphQL
 * wraps the error in another, was the largest single cost of a refused request under attack. Errors
 * of our own making (bugs, invariants, outages' causes) keep their stacks.
 */
export function withoutStackTrace<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Asserts an internal invariant; a failure is a bug, never a user's mistake. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Invariant violated: ${message}`);
}
