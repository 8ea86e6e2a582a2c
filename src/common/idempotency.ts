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

export interface StoredOperation<T> {
  requestHash: string | null;
  result: T;
}

/**
 * Runs an operation at most once per key. A replay with the same request returns the first
 * result; the same key with a different request is refused. Racing first attempts are settled by
 * the database's unique index: the losers see `DuplicateOperationError` and read the winner's row.
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
}): Promise<T> {
  const replay = (existing: StoredOperation<T>): T => {
    if (existing.requestHash !== options.requestHash) {
      throw new DomainError(
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        'This idempotency key was already used for a different request. Use a new key for a new operation.',
      );
    }
    return existing.result;
  };
  if (options.lookFirst !== false) {
    const earlier = await options.findExisting();
    if (earlier) return replay(earlier);
  }
  try {
    return await options.execute();
  } catch (error) {
    if (!(error instanceof DuplicateOperationError)) throw error;
    const winner = await options.findExisting();
    if (!winner) throw error;
    return replay(winner);
  }
}
