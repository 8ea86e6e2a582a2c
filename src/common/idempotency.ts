import { createHash } from 'node:crypto';
import { DomainError, ErrorCode, badInput } from './domain-error';

/** Raised inside a transaction when the business event it records was already stored. */
export class DuplicateOperationError extends Error {
  constructor(readonly idempotencyKey: string) {
    super(`operation ${idempotencyKey} already exists`);
  }
}

/** A stable SHA-256 of a request's arguments (keys sorted; bigints as strings). */
export function hashRequest(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex');
}

function stableStringify(value: unknown): string {
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${stableStringify(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const KEY_PATTERN = /^[A-Za-z0-9._:-]{8,100}$/;

/** Client-chosen keys: 8 to 100 characters of letters, digits and `._:-` (a UUID fits). */
export function assertValidIdempotencyKey(key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw badInput('idempotencyKey must be 8 to 100 characters of letters, digits, ".", "_", ":" or "-" (a UUID works).', {
      field: 'idempotencyKey',
    });
  }
}

/** The same key with a different request: refused, the first operation stands. */
export class IdempotencyKeyReusedError extends DomainError {
  constructor(message = 'This idempotency key was already used for a different request. Use a new key for a new operation.') {
    super(ErrorCode.IDEMPOTENCY_KEY_REUSED, message);
  }
}

export interface StoredOperation<T> {
  requestHash: string | null;
  result: T;
}

/**
 * How a first attempt that lost a race shows: by default only `DuplicateOperationError`; a writer
 * whose insert meets the unique key itself passes the database's test (`isUniqueViolation`).
 */
type RaceLost = (error: unknown) => boolean;
const isDuplicateOperation: RaceLost = (error) => error instanceof DuplicateOperationError;

/** The stored result when `requestHash` is the one it was stored with; otherwise the refusal. */
function replayOf<T>(existing: StoredOperation<T>, requestHash: string, keyReusedMessage?: string): T {
  if (existing.requestHash !== requestHash) throw new IdempotencyKeyReusedError(keyReusedMessage);
  return existing.result;
}

/**
 * Runs an operation at most once per key. A replay with the same request returns the first
 * result; the same key with a different request is refused (`IdempotencyKeyReusedError`). Racing
 * first attempts are settled by the database's unique index: the losers fail with an error
 * `isRaceLost` recognises (by default `DuplicateOperationError`) and read the winner's row.
 */
export async function executeOnce<T>(options: {
  requestHash: string;
  findExisting: () => Promise<StoredOperation<T> | null>;
  execute: () => Promise<T>;
  /**
   * False when `execute` itself refuses a stored key with `DuplicateOperationError` before doing
   * anything else (a set-based batch reads all its keys in one statement): the replay is then
   * looked up only for those, not before every first attempt.
   */
  lookFirst?: boolean;
  isRaceLost?: RaceLost;
  /** The refusal's message, when the generic one does not name the operation well enough. */
  keyReusedMessage?: string;
}): Promise<T> {
  const { requestHash, keyReusedMessage } = options;
  if (options.lookFirst !== false) {
    const earlier = await options.findExisting();
    if (earlier) return replayOf(earlier, requestHash, keyReusedMessage);
  }
  try {
    return await options.execute();
  } catch (error) {
    if (!(options.isRaceLost ?? isDuplicateOperation)(error)) throw error;
    const winner = await options.findExisting();
    if (!winner) throw error;
    return replayOf(winner, requestHash, keyReusedMessage);
  }
}

/** One operation of a batch: what `executeOnceEach` answered for it. */
export type OnceOutcome<T, S> =
  | { kind: 'FIRST'; result: T }
  /** The key was stored with the same request: the stored result (by an earlier call, or a concurrent one). */
  | { kind: 'REPLAY'; stored: S }
  | { kind: 'KEY_REUSED'; error: IdempotencyKeyReusedError };

/**
 * The batch form of `executeOnce`, set-wise: the stored keys of the whole batch are read in one
 * call before anything runs, the rest run together in one `execute`, and the operations `execute`
 * answers with `DuplicateOperationError` (a concurrent request stored their key between the read
 * and the write) are read back in one more call. Each operation's outcome stands alone: one reused
 * key never holds back the others. `operations` must not repeat a key.
 */
export async function executeOnceEach<O extends { key: string; requestHash: string }, T, S>(options: {
  operations: readonly O[];
  /** The stored operations among `keys`, by key. */
  findExisting: (keys: string[]) => Promise<Map<string, StoredOperation<S>>>;
  /** Runs the operations not stored yet; answers one result per operation, in order. */
  execute: (fresh: O[]) => Promise<(T | DuplicateOperationError)[]>;
  keyReusedMessage?: (operation: O) => string;
}): Promise<OnceOutcome<T, S>[]> {
  const { operations, findExisting, keyReusedMessage } = options;
  const outcomes: OnceOutcome<T, S>[] = new Array(operations.length);
  const replay = (index: number, existing: StoredOperation<S>): void => {
    const operation = operations[index];
    outcomes[index] =
      existing.requestHash === operation.requestHash
        ? { kind: 'REPLAY', stored: existing.result }
        : { kind: 'KEY_REUSED', error: new IdempotencyKeyReusedError(keyReusedMessage?.(operation)) };
  };

  const earlier = operations.length === 0 ? new Map<string, StoredOperation<S>>() : await findExisting(operations.map(({ key }) => key));
  const fresh: number[] = [];
  for (const [index, { key }] of operations.entries()) {
    const existing = earlier.get(key);
    if (existing) replay(index, existing);
    else fresh.push(index);
  }
  if (fresh.length === 0) return outcomes;

  const results = await options.execute(fresh.map((index) => operations[index]));
  const raced: number[] = [];
  for (const [position, index] of fresh.entries()) {
    const result = results[position];
    if (result instanceof DuplicateOperationError) raced.push(index);
    else outcomes[index] = { kind: 'FIRST', result };
  }
  if (raced.length > 0) {
    const winners = await findExisting(raced.map((index) => operations[index].key));
    for (const index of raced) {
      const winner = winners.get(operations[index].key);
      if (!winner) throw results[fresh.indexOf(index)] as DuplicateOperationError;
      replay(index, winner);
    }
  }
  return outcomes;
}
