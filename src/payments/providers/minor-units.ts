import type { PaymentCurrency } from './payment-provider';

/** Minor units per currency unit: USD has cents, VND has none. */
export const CURRENCY_DECIMALS: Readonly<Record<PaymentCurrency, number>> = { USD: 2, VND: 0 };

/**
 * Exact conversions between minor units (bigint) and the decimal strings some providers put on
 * the wire (PayPal's "10.00"). No floating point anywhere: a cent lost here is a cent lost.
 */
export function formatMinorUnits(amountMinor: bigint, fractionDigits: number): string {
  if (amountMinor < 0n) throw new RangeError('amounts sent to a payment provider are never negative');
  if (fractionDigits === 0) return amountMinor.toString();
  const scale = 10n ** BigInt(fractionDigits);
  const whole = amountMinor / scale;
  const fraction = (amountMinor % scale).toString().padStart(fractionDigits, '0');
  return `${whole}.${fraction}`;
}

const DECIMAL = /^(\d{1,20})(?:\.(\d+))?$/;

/** Parses "10.5" or "10.00" into minor units; refuses more fraction digits than the currency has. */
export function parseMinorUnits(text: string, fractionDigits: number): bigint {
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`"${text.slice(0, 40)}" is not a plain decimal amount`);
  const [, whole, fraction = ''] = match;
  if (fraction.length > fractionDigits) {
    throw new RangeError(`"${text}" has more than ${fractionDigits} decimal places`);
  }
  return BigInt(whole) * 10n ** BigInt(fractionDigits) + BigInt(fraction.padEnd(fractionDigits, '0') || '0');
}
