import { BalanceCache } from '../../src/balances/balance-cache';

const balances = (accountId: string, topUpMicros: bigint) => ({ accountId, topUpMicros, promotionalMicros: 0n });

describe('balance cache', () => {
  it('keeps what a read found until its time is up', () => {
    let now = 1_000;
    const cache = new BalanceCache(500, () => now);
    cache.remember(cache.beginRead(), [balances('a', 5n)]);
    expect(cache.get('a')).toEqual(balances('a', 5n));
    now = 1_499;
    expect(cache.get('a')).toEqual(balances('a', 5n));
    now = 1_500;
    expect(cache.get('a')).toBeUndefined();
  });

  it('forgets the accounts a commit touched, and only those', () => {
    const cache = new BalanceCache(60_000);
    cache.remember(cache.beginRead(), [balances('a', 5n), balances('b', 7n)]);
    cache.invalidate(['a']);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toEqual(balances('b', 7n));
  });

  it('does not keep the answer of a read that a commit overtook', () => {
    const cache = new BalanceCache(60_000);
    // The read asks the database, a posting commits and invalidates, then the (older) answer arrives.
    const generation = cache.beginRead();
    cache.invalidate(['a']);
    cache.remember(generation, [balances('a', 5n)]);
    expect(cache.get('a')).toBeUndefined();
    // A read that began after the commit is kept.
    cache.remember(cache.beginRead(), [balances('a', 6n)]);
    expect(cache.get('a')).toEqual(balances('a', 6n));
  });

  it('keeps nothing when turned off', () => {
    const cache = new BalanceCache(0);
    expect(cache.enabled).toBe(false);
    cache.remember(cache.beginRead(), [balances('a', 5n)]);
    expect(cache.get('a')).toBeUndefined();
  });
});
