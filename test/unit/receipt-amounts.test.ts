import { calendarYear, documentNumber } from '../../src/payments/receipts/document-number';
import { formatTaxRate, includedTaxMinor, shareOfMinor } from '../../src/payments/receipts/tax';
import { creditsForRefund } from '../../src/payments/top-ups/pricing';

describe('receipt amounts', () => {
  it('splits the tax out of a tax-inclusive charge, rounding half up to the minor unit', () => {
    // 260,000 VND at 10 %: 260000 × 10 / 110 = 23636.36… → 23636.
    expect(includedTaxMinor(260_000n, 1000)).toBe(23_636n);
    // 1,100 cents at 10 %: exactly 100.
    expect(includedTaxMinor(1_100n, 1000)).toBe(100n);
    // 1,050 cents at 5 %: 50.
    expect(includedTaxMinor(1_050n, 500)).toBe(50n);
    // 3 cents at 50 %: 1 exactly; 1 cent at 50 %: 0.333… → 0; 5 dong at 25 %: 1 exactly; 9 dong at 12.5 %: 1 exactly.
    expect(includedTaxMinor(3n, 5000)).toBe(1n);
    expect(includedTaxMinor(1n, 5000)).toBe(0n);
    expect(includedTaxMinor(5n, 2500)).toBe(1n);
    expect(includedTaxMinor(9n, 1250)).toBe(1n);
    // Half a minor unit rounds up: 3 at 20 % holds 0.5 → 1; 9 at 20 % holds 1.5 → 2.
    expect(includedTaxMinor(3n, 2000)).toBe(1n);
    expect(includedTaxMinor(9n, 2000)).toBe(2n);
    expect(includedTaxMinor(0n, 1000)).toBe(0n);
    expect(includedTaxMinor(260_000n, 0)).toBe(0n);
  });

  it('prints a rate in percent without trailing zeros', () => {
    expect([0, 1000, 750, 1250, 5, 9999].map(formatTaxRate)).toEqual(['0', '10', '7.5', '12.5', '0.05', '99.99']);
  });

  it('gives a refund of r minor units back as exactly r on the credit note, and the whole once every credit is back', () => {
    const topUp = { chargeMinor: 2_550n, amountMicros: 25_500_000n };
    for (const refundedMinor of [1n, 7n, 1_000n, 1_549n, 2_549n]) {
      const credits = creditsForRefund(refundedMinor, topUp);
      expect(shareOfMinor(topUp.chargeMinor, credits, topUp.amountMicros)).toBe(refundedMinor);
    }
    const vnd = { chargeMinor: 6_500_000n, amountMicros: 250_000_000n };
    for (const refundedMinor of [1n, 25_999n, 26_000n, 3_333_333n]) {
      expect(shareOfMinor(vnd.chargeMinor, creditsForRefund(refundedMinor, vnd), vnd.amountMicros)).toBe(refundedMinor);
    }
    expect(shareOfMinor(2_550n, 25_500_000n, 25_500_000n)).toBe(2_550n);
    expect(shareOfMinor(2_550n, 0n, 25_500_000n)).toBe(0n);
  });

  it('numbers documents <series>-<year>-<sequence>, at least six digits, and none before numbering', () => {
    expect(documentNumber({ series: 'RC', year: 2026, sequence: 42 })).toBe('RC-2026-000042');
    expect(documentNumber({ series: 'CN', year: 2027, sequence: 1_234_567 })).toBe('CN-2027-1234567');
    expect(documentNumber({ series: 'RC', year: 2026, sequence: null })).toBeNull();
  });

  it("takes the calendar year in the receipts' time zone", () => {
    const newYearInHanoi = new Date('2026-12-31T17:30:00Z'); // 00:30 on 1 January 2027 at UTC+7
    expect(calendarYear(newYearInHanoi, 'Asia/Ho_Chi_Minh')).toBe(2027);
    expect(calendarYear(newYearInHanoi, 'UTC')).toBe(2026);
  });
});
