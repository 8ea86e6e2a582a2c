import { DomainError, ErrorCode } from '../common/domain-error';

/**
 * What went wrong with the database, in the one place both the transaction runner (what may run
 * again) and the error mapper (what the client is told) read it.
 *
 * - `lock-conflict`: InnoDB chose this transaction as a deadlock victim, a lock wait timed out, or
 *   a snapshot read conflicted. The server has rolled the transaction back; it may run again whole.
 * - `connection`: the database cannot be reached (refused, reset, lost, timed out, shutting down),
 *   or no pooled connection became free in time. The client is told SERVICE_UNAVAILABLE.
 * - `other`: a bug or a constraint; never retried here.
 */
export type DatabaseFailureKind = 'lock-conflict' | 'connection' | 'other';

const LOCK_CONFLICT_ERRNOS = new Set([
  1213, // ER_LOCK_DEADLOCK
  1205, // ER_LOCK_WAIT_TIMEOUT
  1020, // ER_CHECKREAD: record changed since last read (innodb_snapshot_isolation)
]);

const POOL_ACQUIRE_TIMEOUT_CODE = 'DATABASE_POOL_ACQUIRE_TIMEOUT';

/** Socket-level and mysql2 protocol codes meaning "the connection is gone or never came". */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_CON_COUNT_ERROR',
  POOL_ACQUIRE_TIMEOUT_CODE,
]);

const CONNECTION_ERRNOS = new Set([
  1040, // ER_CON_COUNT_ERROR: too many connections
  1053, // ER_SERVER_SHUTDOWN: the server is shutting down
  1927, // ER_CONNECTION_KILLED (MariaDB)
  2002, // CR_CONNECTION_ERROR
  2003, // CR_CONN_HOST_ERROR
  2006, // CR_SERVER_GONE_ERROR
  2013, // CR_SERVER_LOST
]);

/** mysql2 reports a command on a dead connection with these messages and no code. */
const CONNECTION_MESSAGES = [
  /connection is (?:in )?closed/i,
  /can't add new command when connection is in closed state/i,
  /connection lost/i,
  /pool is closed/i,
];

interface DriverErrorShape {
  code?: unknown;
  errno?: unknown;
  fatal?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
}

/** TypeORM wraps the driver's error in `driverError`; a pool timeout may carry a `cause`. */
function layers(error: unknown): DriverErrorShape[] {
  const found: DriverErrorShape[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    found.push(current as DriverErrorShape);
    const shape = current as DriverErrorShape;
    current = shape.driverError ?? shape.cause;
  }
  return found;
}

export function classifyDatabaseError(error: unknown): DatabaseFailureKind {
  for (const layer of layers(error)) {
    if (typeof layer.errno === 'number' && LOCK_CONFLICT_ERRNOS.has(layer.errno)) return 'lock-conflict';
    if (typeof layer.code === 'string' && CONNECTION_CODES.has(layer.code)) return 'connection';
    if (typeof layer.errno === 'number' && CONNECTION_ERRNOS.has(layer.errno)) return 'connection';
    // mysql2 marks every error that killed the connection as fatal.
    if (layer.fatal === true) return 'connection';
    if (typeof layer.message === 'string' && CONNECTION_MESSAGES.some((pattern) => pattern.test(layer.message as string))) return 'connection';
  }
  return 'other';
}

export const isLockConflict = (error: unknown) => classifyDatabaseError(error) === 'lock-conflict';
export const isConnectionFailure = (error: unknown) => classifyDatabaseError(error) === 'connection';

/**
 * The database cannot be reached (also behind the SERVICE_UNAVAILABLE it became): an outage. A
 * pooled connection that did not become free in time is not one: the database answers, this
 * process is busy, and each such wait is worth its own log line.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  return isConnectionFailure(error) && !layers(error).some((layer) => layer.code === POOL_ACQUIRE_TIMEOUT_CODE);
}

/**
 * The refusal a client sees while the database is unreachable. `retryable` tells it to send the
 * same request again (with the same idempotency key for a mutation) after a short wait.
 */
export function serviceUnavailable(cause?: unknown): DomainError {
  const error = new DomainError(
    ErrorCode.SERVICE_UNAVAILABLE,
    'The service is temporarily unavailable (its database cannot be reached). Retry shortly; a mutation with the same idempotency key is applied at most once.',
    { retryable: true },
  );
  if (cause !== undefined) (error as { cause?: unknown }).cause = cause;
  return error;
}

/** No pooled connection became free within DATABASE_ACQUIRE_TIMEOUT_MS. */
export class PoolAcquireTimeoutError extends Error {
  readonly code = POOL_ACQUIRE_TIMEOUT_CODE;
  constructor(waitedMs: number) {
    super(`no database connection became free within ${waitedMs} ms`);
    this.name = 'PoolAcquireTimeoutError';
  }
}
