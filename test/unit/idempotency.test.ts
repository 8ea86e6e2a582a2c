import { DomainError, ErrorCode } from '../../src/common/domain-error';
import {
  assertValidIdempotencyKey,
  DuplicateOperationError,
  executeOnce,
  executeOnceEach,
  hashRequest,
  IdempotencyKeyReusedError,
  StoredOperation,
} from '../../src/common/idempotency';

describe('request hashes', () => {
  it('ignore key order and undefined fields', () => {
    expect(hashRequest({ a: 1, b: { c: 2n, d: undefined } })).toBe(hashRequest({ b: { c: 2n }, a: 1 }));
  });

  it('tell different arguments apart, including bigints, dates and nulls', () => {
    const base = { amountMicros: 1n, expiresAt: new Date('2030-01-01T00:00:00Z'), reason: 'x', note: null };
    const hashes = new Set([
      hashRequest(base),
      hashRequest({ ...base, amountMicros: 2n }),
      hashRequest({ ...base, expiresAt: new Date('2030-01-01T00:00:00.001Z') }),
      hashRequest({ ...base, reason: 'y' }),
      hashRequest({ ...base, note: 'z' }),
      hashRequest({ ...base, amountMicros: '1' }),
    ]);
    expect(hashes.size).toBe(5); // a bigint and its decimal string are the same request
    expect(hashRequest([1, 2])).not.toBe(hashRequest([2, 1]));
  });
});

describe('idempotency keys', () => {
  it.each(['12345678', 'f47ac10b-58cc-4372-a567-0e02b2c3d479', 'order.42:retry_1', 'k'.repeat(100)])('accepts %p', (key) => {
    expect(() => assertValidIdempotencyKey(key)).not.toThrow();
  });

  it.each(['', 'short', 'k'.repeat(101), 'has space 123', 'semi;colon123', 'ünïcode-key'])('refuses %p with BAD_USER_INPUT', (key) => {
    expect(() => assertValidIdempotencyKey(key)).toThrow(expect.objectContaining({ code: ErrorCode.BAD_USER_INPUT }));
  });
});

describe('executeOnce', () => {
  /** A one-row store standing in for a table with a unique key. */
  function store<T>() {
    let row: StoredOperation<T> | null = null;
    return {
      find: async () => row,
      save: (value: StoredOperation<T>) => {
        if (row) throw new DuplicateOperationError('key');
        row = value;
      },
    };
  }

  it('runs the operation the first time and returns the first result on a replay', async () => {
    const table = store<string>();
    let runs = 0;
    const run = (requestHash: string) =>
      executeOnce({
        requestHash,
        findExisting: table.find,
        execute: async () => {
          runs++;
          table.save({ requestHash, result: `result ${runs}` });
          return `result ${runs}`;
        },
      });
    expect(await run('h1')).toBe('result 1');
    expect(await run('h1')).toBe('result 1');
    expect(runs).toBe(1);
  });

  it('refuses the same key with a different request', async () => {
    const table = store<string>();
    table.save({ requestHash: 'h1', result: 'first' });
    await expect(executeOnce({ requestHash: 'h2', findExisting: table.find, execute: async () => 'second' })).rejects.toMatchObject({
      code: ErrorCode.IDEMPOTENCY_KEY_REUSED,
    });
  });

  it('returns the winner of a race to the loser that hit the unique key', async () => {
    const table = store<string>();
    let found = 0;
    const result = await executeOnce({
      requestHash: 'h1',
      // The first look finds nothing; by the time the insert fails, the winner's row is there.
      findExisting: async () => (found++ === 0 ? null : table.find()),
      execute: async () => {
        table.save({ requestHash: 'h1', result: 'winner' });
        table.save({ requestHash: 'h1', result: 'loser' });
        return 'loser';
      },
    });
    expect(result).toBe('winner');
  });

  it('passes other failures through untouched', async () => {
    const failure = new DomainError(ErrorCode.INSUFFICIENT_CREDITS, 'too low');
    await expect(
      executeOnce({
        requestHash: 'h',
        findExisting: async () => null,
        execute: async () => {
          throw failure;
        },
      }),
    ).rejects.toBe(failure);
  });

  it('rethrows the duplicate when the winner cannot be found', async () => {
    await expect(
      executeOnce({
        requestHash: 'h',
        findExisting: async () => null,
        execute: async () => {
          throw new DuplicateOperationError('k');
        },
      }),
    ).rejects.toBeInstanceOf(DuplicateOperationError);
  });
});

describe('executeOnce with a writer that meets the unique key itself', () => {
  const uniqueViolation = Object.assign(new Error('duplicate'), { code: 'ER_DUP_ENTRY' });
  const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === 'ER_DUP_ENTRY';

  it('takes the winner when the database refuses the insert', async () => {
    let found = 0;
    const result = await executeOnce({
      requestHash: 'h1',
      findExisting: async () => (found++ === 0 ? null : { requestHash: 'h1', result: 'winner' }),
      execute: async () => {
        throw uniqueViolation;
      },
      isRaceLost: isUniqueViolation,
    });
    expect(result).toBe('winner');
  });

  it('refuses a winner with a different request, with the message it was given', async () => {
    const refusal = executeOnce({
      requestHash: 'h2',
      findExisting: async () => ({ requestHash: 'h1', result: 'first' }),
      execute: async () => 'second',
      keyReusedMessage: 'This key was used for a different top-up.',
    });
    await expect(refusal).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    await expect(refusal).rejects.toMatchObject({ code: ErrorCode.IDEMPOTENCY_KEY_REUSED, message: 'This key was used for a different top-up.' });
  });

  it('does not take a unique violation for a lost race unless told to', async () => {
    await expect(
      executeOnce({
        requestHash: 'h1',
        findExisting: async () => null,
        execute: async () => {
          throw uniqueViolation;
        },
      }),
    ).rejects.toBe(uniqueViolation);
  });
});

describe('executeOnceEach', () => {
  /** A table of stored operations keyed by idempotency key, counting its reads. */
  function table(rows: Record<string, StoredOperation<string>>) {
    const stored = new Map(Object.entries(rows));
    const reads: string[][] = [];
    return {
      stored,
      reads,
      find: async (keys: string[]) => {
        reads.push(keys);
        return new Map(keys.filter((key) => stored.has(key)).map((key) => [key, stored.get(key)!]));
      },
    };
  }

  it('runs the fresh operations together and answers stored ones from one read', async () => {
    const store = table({ a: { requestHash: 'ha', result: 'stored a' }, b: { requestHash: 'old', result: 'stored b' } });
    const executed: string[][] = [];
    const outcomes = await executeOnceEach({
      operations: [
        { key: 'a', requestHash: 'ha' },
        { key: 'b', requestHash: 'hb' },
        { key: 'c', requestHash: 'hc' },
        { key: 'd', requestHash: 'hd' },
      ],
      findExisting: store.find,
      execute: async (fresh) => {
        executed.push(fresh.map(({ key }) => key));
        return fresh.map(({ key }) => `ran ${key}`);
      },
      keyReusedMessage: ({ key }) => `key ${key} was used for other data`,
    });
    expect(executed).toEqual([['c', 'd']]);
    expect(store.reads).toEqual([['a', 'b', 'c', 'd']]);
    expect(outcomes[0]).toEqual({ kind: 'REPLAY', stored: 'stored a' });
    expect(outcomes[1]).toMatchObject({ kind: 'KEY_REUSED', error: { code: ErrorCode.IDEMPOTENCY_KEY_REUSED, message: 'key b was used for other data' } });
    expect(outcomes.slice(2)).toEqual([
      { kind: 'FIRST', result: 'ran c' },
      { kind: 'FIRST', result: 'ran d' },
    ]);
  });

  it('reads back, in one more read, the operations a concurrent request stored first', async () => {
    const store = table({});
    const outcomes = await executeOnceEach({
      operations: [
        { key: 'a', requestHash: 'ha' },
        { key: 'b', requestHash: 'hb' },
        { key: 'c', requestHash: 'hc' },
      ],
      findExisting: store.find,
      execute: async (fresh) => {
        // Between the read and the write, another request stored a (same data) and c (other data).
        store.stored.set('a', { requestHash: 'ha', result: 'theirs a' });
        store.stored.set('c', { requestHash: 'other', result: 'theirs c' });
        return fresh.map(({ key }) => (key === 'b' ? 'ran b' : new DuplicateOperationError(key)));
      },
    });
    expect(store.reads).toEqual([
      ['a', 'b', 'c'],
      ['a', 'c'],
    ]);
    expect(outcomes[0]).toEqual({ kind: 'REPLAY', stored: 'theirs a' });
    expect(outcomes[1]).toEqual({ kind: 'FIRST', result: 'ran b' });
    expect(outcomes[2]).toMatchObject({ kind: 'KEY_REUSED' });
  });

  it('runs nothing when every operation is stored', async () => {
    const store = table({ a: { requestHash: 'ha', result: 'stored a' } });
    const execute = jest.fn();
    const outcomes = await executeOnceEach({ operations: [{ key: 'a', requestHash: 'ha' }], findExisting: store.find, execute });
    expect(execute).not.toHaveBeenCalled();
    expect(outcomes).toEqual([{ kind: 'REPLAY', stored: 'stored a' }]);
  });
});
