// Amounts as the API sends them, exact decimal strings (Credits "1500.500000", a charge "260000"
// VND or "10.50" USD), formatted without ever passing through a float: Intl.NumberFormat formats a
// numeric string exactly (ECMA-402 v3).
export type Language = 'en' | 'vi';

const LOCALES: Record<Language, string> = { en: 'en-US', vi: 'vi-VN' };

export const localeOf = (language: Language): string => LOCALES[language];

/** Decimals each currency is charged in (ISO 4217 minor units): the dong has none. */
const CURRENCY_DECIMALS: Record<string, number> = { VND: 0, USD: 2, EUR: 2, JPY: 0 };

/** Credits with the decimals they have (up to the API's six), grouped as the language groups them. */
export function formatCredits(value: string, language: Language): string {
  return new Intl.NumberFormat(localeOf(language), { maximumFractionDigits: 6 }).format(value as Intl.StringNumericLiteral);
}

/** A charge in its currency: VND without decimals, USD with two. */
export function formatMoney(charge: { amount: string; currency: string }, language: Language): string {
  const digits = CURRENCY_DECIMALS[charge.currency.toUpperCase()] ?? 2;
  return new Intl.NumberFormat(localeOf(language), {
    style: 'currency',
    currency: charge.currency.toUpperCase(),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(charge.amount as Intl.StringNumericLiteral);
}

/** An instant as a date and time in the reader's time zone. */
export function formatDateTime(iso: string, language: Language): string {
  return new Intl.DateTimeFormat(localeOf(language), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** An instant as a date only. */
export function formatDate(iso: string, language: Language): string {
  return new Intl.DateTimeFormat(localeOf(language), { dateStyle: 'medium' }).format(new Date(iso));
}

/**
 * What a person typed as an amount of credits, as the API's decimal string, or null when it is not
 * one: digits with at most six decimals, a dot or (Vietnamese) a comma as the decimal mark, and no
 * grouping marks (an amount typed with them is ambiguous between the two languages).
 */
export function parseCreditsInput(text: string): string | null {
  const trimmed = text.trim().replace(',', '.');
  return /^\d{1,12}(\.\d{1,6})?$/.test(trimmed) ? trimmed : null;
}

/** A Credits decimal string in millionths, exactly (for comparing amounts, never for showing them). */
export function creditsToMicros(value: string): bigint {
  const [whole, fraction = ''] = value.replace(/^-/, '').split('.');
  const micros = BigInt(whole || '0') * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6) || '0');
  return value.startsWith('-') ? -micros : micros;
}

/** -1, 0 or 1 as a is less than, equal to or more than b (both Credits strings). */
export function compareCredits(a: string, b: string): number {
  const difference = creditsToMicros(a) - creditsToMicros(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}
