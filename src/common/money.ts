import { Refusal } from './domain-error';

/**
 * Credits are exact decimals with six places. In code they are always `bigint` micro-credits;
 * the decimal string exists only at the edges (GraphQL scalar, CSV, configuration).
 */
export const MICROS_PER_CREDIT = 1_000_000n;
export const CREDIT_SCALE = 6;

/**
 * The largest amount one operation may move: one billion credits. Every stored balance stays
 * far inside 2^53 micro-credits, so better-sqlite3's JS numbers stay exact.
 */
export const MAX_AMOUNT_MICROS = 1_000_000_000n * MICROS_PER_CREDIT;

/**
 * The whole grammar of a credits string: an optional minus, 1–30 ASCII digits, and optionally a
 * dot followed by at least one ASCII digit. `[0-9]` rather than `\d` keeps it ASCII-only on
 * purpose, and the anchors leave no room for whitespace of any kind (a non-breaking space pasted
 * from a spreadsheet is refused, not trimmed).
 */
const DECIMAL_PATTERN = /^(-?)([0-9]{1,30})(?:\.([0-9]+))?$/;

/** A malformed amount: a refusal of the client's input, so it captures no stack trace. */
export class MoneyFormatError extends Refusal {}

/**
 * Parses a decimal string of credits ("12.5", "0.000001") into micro-credits. Refuses anything
 * that is not a plain decimal: surrounding or inner whitespace, non-ASCII digits, exponents, NaN,
 * `.5` or `5.`, more than six decimals, or more than 30 digits. Leading zeros are allowed
 * ("007.25" is 7.25): they cannot change the value.
 */
export function parseCreditsToMicros(text: string): bigint {
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) {
    throw new MoneyFormatError(`"${truncateForMessage(text)}" is not a decimal number of credits`);
  }
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > CREDIT_SCALE) {
    throw new MoneyFormatError(`credits have at most ${CREDIT_SCALE} decimal places`);
  }
  const micros = BigInt(whole) * MICROS_PER_CREDIT + BigInt(fraction.padEnd(CREDIT_SCALE, '0'));
  return sign === '-' ? -micros : micros;
}

/** Formats micro-credits at full scale: 1500000n → "1.500000", -1n → "-0.000001". */
export function formatMicros(micros: bigint): string {
  // One bigint-to-string conversion and two slices: every Credits field of every answer comes
  // through here, and bigint division is far dearer than cutting the decimal digits.
  const negative = micros < 0n;
  const digits = (negative ? -micros : micros).toString().padStart(CREDIT_SCALE + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -CREDIT_SCALE)}.${digits.slice(-CREDIT_SCALE)}`;
}

/** Checks that an amount to be moved is positive and not absurd; returns the refusal reason. */
export function positiveAmountProblem(micros: bigint): string | null {
  if (micros <= 0n) return 'the amount must be greater than zero';
  if (micros > MAX_AMOUNT_MICROS) return `the amount must not exceed ${formatMicros(MAX_AMOUNT_MICROS)} credits`;
  return null;
}

/** Renders a bigint as an SQL integer literal; safe because a bigint prints only digits and '-'. */
export function sqlInteger(value: bigint): string {
  if (typeof value !== 'bigint') throw new TypeError('sqlInteger takes a bigint');
  return value.toString();
}

function truncateForMessage(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** An exact positive decimal as `units / 10^scale` ("1.00" is 100 / 10^2), with the text as given. */
export interface ExactDecimal {
  text: string;
  units: bigint;
  scale: number;
}

const POSITIVE_DECIMAL = /^(\d{1,12})(?:\.(\d{1,12}))?$/;

/** Parses a plain positive decimal ("1.00", "26000"), e.g. a configured price; throws on anything not exact. */
export function parsePositiveDecimal(text: string): ExactDecimal {
  const match = POSITIVE_DECIMAL.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a plain positive decimal number`);
  const fraction = match[2] ?? '';
  const units = BigInt(match[1] + fraction);
  if (units <= 0n) throw new Error('the price must be greater than zero');
  return { text: text.trim(), units, scale: fraction.length };
}
