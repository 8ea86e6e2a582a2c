import { MICROS_PER_CREDIT } from '../../src/common/money';
import { chargeMinorFor, chargeMinorForRefund, creditsForRefund, formatMinor, parseCreditPrice } from '../../src/payments/top-ups/pricing';

describe('credit prices', () => {
  it('parse exact decimal strings, keeping the text shown to the buyer', () => {
    expect(parseCreditPrice('USD', ' 1.00 ')).toEqual({ currency: 'USD', text: '1.00', units: 100n, scale: 2 });
    expect(parseCreditPrice('VND', '26000')).toEqual({ currency: 'VND', text: '26000', units: 26000n, scale: 0 });
  });

  it.each(['0', '0.00', '-1', '1e3', '1,00', '', 'abc', '1.1234567890123'])('refuse %p', (text) => {
    expect(() => parseCreditPrice('USD', text)).toThrow();
  });
});

describe('charges', () => {
  const usd = parseCreditPrice('USD', '1.00');
  const vnd = parseCreditPrice('VND', '26000');

  it('are exact for whole credits', () => {
    expect(chargeMinorFor(10n * MICROS_PER_CREDIT, usd)).toBe(1000n);
    expect(chargeMinorFor(10n * MICROS_PER_CREDIT, vnd)).toBe(260000n);
  });

  it('round up to the next minor unit, never selling below the rate', () => {
    expect(chargeMinorFor(1n, usd)).toBe(1n); // a millionth of a credit still costs a cent
    expect(chargeMinorFor(10_005_000n, usd)).toBe(1001n); // 10.005 credits → $10.01
    expect(chargeMinorFor(10_010_000n, usd)).toBe(1001n); // exact
    expect(chargeMinorFor(1n, vnd)).toBe(1n);
    expect(chargeMinorFor(1_500_000n, parseCreditPrice('USD', '0.333'))).toBe(50n); // 0.4995 → 50 cents
  });

  it('refuse a non-positive amount', () => {
    expect(() => chargeMinorFor(0n, usd)).toThrow(/Invariant/);
  });

  it('format as the currency writes them', () => {
    expect(formatMinor(1050n, 'USD')).toBe('10.50');
    expect(formatMinor(5n, 'USD')).toBe('0.05');
    expect(formatMinor(260000n, 'VND')).toBe('260000');
  });
});

describe('credits taken back by a refund', () => {
  const topUp = { chargeMinor: 1001n, amountMicros: 10_005_000n };

  it('are the refunded share of the credits, rounded down', () => {
    expect(creditsForRefund(500n, topUp)).toBe(4_997_502n);
    expect(creditsForRefund(1n, topUp)).toBe(9_995n);
  });

  it('are all the credits for the whole charge or more', () => {
    expect(creditsForRefund(1001n, topUp)).toBe(10_005_000n);
    expect(creditsForRefund(5000n, topUp)).toBe(10_005_000n);
  });
});

describe('money a platform refund returns', () => {
  // 10.005 credits bought for 10.01 USD (the charge rounded up).
  const topUp = { chargeMinor: 1001n, amountMicros: 10_005_000n, reversedMicros: 0n, refundedMicros: 0n, refundedMinor: 0n };

  it('is the same share of the charge as of the credits, rounded down', () => {
    expect(chargeMinorForRefund(5_000_000n, topUp)).toBe(500n);
    expect(chargeMinorForRefund(9_995n, topUp)).toBe(0n);
  });

  it('is all that is left of the charge for the last credits, so refunds in parts add up to the charge', () => {
    expect(chargeMinorForRefund(10_005_000n, topUp)).toBe(1001n);
    const afterFirst = { ...topUp, refundedMicros: 3_333_333n, refundedMinor: chargeMinorForRefund(3_333_333n, topUp) };
    expect(afterFirst.refundedMinor).toBe(333n);
    expect(chargeMinorForRefund(6_671_667n, afterFirst)).toBe(668n);
  });

  it('keeps the proportional share when a reversal at the provider took credits first', () => {
    const reversed = { ...topUp, reversedMicros: 5_002_500n };
    expect(chargeMinorForRefund(5_002_500n, reversed)).toBe(500n);
  });
});
