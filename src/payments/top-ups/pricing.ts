import { invariant } from '../../common/domain-error';
import { type ExactDecimal, MICROS_PER_CREDIT, parsePositiveDecimal } from '../../common/money';
import { CURRENCY_DECIMALS } from '../providers/minor-units';
import type { PaymentCurrency } from '../providers/payment-provider';

export { CURRENCY_DECIMALS };

/**
 * A price as an exact decimal: `units / 10^scale` of the currency per credit; `text` is the
 * configured decimal string, kept as shown to the buyer ("1.00", "26000").
 */
export interface CreditPrice extends ExactDecimal {
  currency: PaymentCurrency;
}

/** Parses a configured price of one credit ("1.00" USD, "26000" VND); throws on anything not exact. */
export function parseCreditPrice(currency: PaymentCurrency, text: string): CreditPrice {
  return { currency, ...parsePositiveDecimal(text) };
}

/**
 * The charge for an amount of credits, in the currency's minor units, ROUNDED UP to the next minor
 * unit: the buyer pays at most one cent (or one dong) more than the exact price, never less, so the
 * platform never sells credits below the configured rate. Pure integer arithmetic:
 *   chargeMinor = ceil(amountMicros × units × 10^decimals / (10^6 × 10^scale)).
 */
export function chargeMinorFor(amountMicros: bigint, price: CreditPrice): bigint {
  invariant(amountMicros > 0n, 'a charge is for a positive amount');
  const numerator = amountMicros * price.units * 10n ** BigInt(CURRENCY_DECIMALS[price.currency]);
  const denominator = MICROS_PER_CREDIT * 10n ** BigInt(price.scale);
  return (numerator + denominator - 1n) / denominator;
}

/** Formats minor units as the currency's decimal string: 1050n USD → "10.50", 260000n VND → "260000". */
export function formatMinor(amountMinor: bigint, currency: PaymentCurrency): string {
  const decimals = CURRENCY_DECIMALS[currency];
  if (decimals === 0) return amountMinor.toString();
  const divisor = 10n ** BigInt(decimals);
  return `${amountMinor / divisor}.${(amountMinor % divisor).toString().padStart(decimals, '0')}`;
}

/**
 * The credits a partial refund takes back: the same share of the credits as of the charge, rounded
 * down to the micro-credit (the full charge always maps to the full amount).
 */
export function creditsForRefund(refundedMinor: bigint, topUp: { chargeMinor: bigint; amountMicros: bigint }): bigint {
  if (refundedMinor >= topUp.chargeMinor) return topUp.amountMicros;
  return (refundedMinor * topUp.amountMicros) / topUp.chargeMinor;
}

/**
 * The money a platform refund of `refundMicros` credits returns: the same share of the charge as of
 * the credits, rounded down to the minor unit, so that refunds never add up to more than was paid.
 * The refund that takes the last credits (with no provider-side reversal before it) returns all that
 * is left of the charge, so a purchase refunded in parts returns exactly what was paid.
 */
export function chargeMinorForRefund(
  refundMicros: bigint,
  topUp: { chargeMinor: bigint; amountMicros: bigint; reversedMicros: bigint; refundedMicros: bigint; refundedMinor: bigint },
): bigint {
  const leftMicros = topUp.amountMicros - topUp.reversedMicros - topUp.refundedMicros;
  if (refundMicros === leftMicros && topUp.reversedMicros === 0n) return topUp.chargeMinor - topUp.refundedMinor;
  return (refundMicros * topUp.chargeMinor) / topUp.amountMicros;
}
