/** Basis points in a whole: 10,000 bp = 100 %. */
const BASIS_POINTS = 10_000n;

/**
 * The tax included in an amount charged at `basisPoints` (tax-inclusive prices: the charge is what
 * the buyer paid, tax and all), rounded half up to the minor unit: `total × rate / (1 + rate)`.
 */
export function includedTaxMinor(totalMinor: bigint, basisPoints: number): bigint {
  if (basisPoints === 0) return 0n;
  const rate = BigInt(basisPoints);
  const denominator = BASIS_POINTS + rate;
  return (2n * totalMinor * rate + denominator) / (2n * denominator);
}

/** A tax rate as a person reads it, in percent: 1000 bp → "10", 750 bp → "7.5", 0 → "0". */
export function formatTaxRate(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const fraction = String(basisPoints % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/**
 * The part of a receipt's `wholeMinor` (its total, or its tax) that belongs to the first
 * `reversedMicros` of its `amountMicros` credits: the whole once every credit is reversed, else the
 * proportional share rounded up. A credit note carries `share(after) − share(before)`, so the notes
 * of one receipt add up to exactly its total when everything is given back, and a partial refund of
 * r minor units (whose credits were rounded down from r) maps back to r exactly.
 */
export function shareOfMinor(wholeMinor: bigint, reversedMicros: bigint, amountMicros: bigint): bigint {
  if (reversedMicros >= amountMicros) return wholeMinor;
  if (reversedMicros <= 0n) return 0n;
  return (reversedMicros * wholeMinor + amountMicros - 1n) / amountMicros;
}
