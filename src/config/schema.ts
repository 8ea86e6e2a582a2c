import { z } from 'zod';
import { parseCreditsToMicros, parsePositiveDecimal } from '../common/money';

/**
 * The zod schemas settings are declared with: each takes the raw text of one environment variable
 * (never empty: an empty variable counts as unset) to its typed value, with a message that says what
 * was expected. `meta({ values })` says what is accepted, for the generated configuration table.
 */
export type SettingSchema<T> = z.ZodType<T, string>;

/** What a schema accepts, as the configuration table shows it. */
export function acceptedValues(schema: z.ZodType): string | undefined {
  return (schema.meta() as { values?: string } | undefined)?.values;
}

export const anyText = z.string();

export function integerIn(min: number, max: number): SettingSchema<number> {
  const outOfRange = (issue: { input?: unknown }) => `expected a number from ${min} to ${max}, got ${issue.input}`;
  return z
    .string()
    .regex(/^\d+$/, { error: (issue) => `expected a whole number, got "${issue.input}"` })
    .transform(Number)
    .pipe(z.number().min(min, { error: outOfRange }).max(max, { error: outOfRange }))
    .meta({ values: `${min}–${max}` });
}

/** A timer interval in milliseconds, or 0 for off. */
export function intervalOrOff(min: number, max: number): SettingSchema<number> {
  return integerIn(0, max)
    .refine((value) => value === 0 || value >= min, { error: (issue) => `expected 0 (off) or a number from ${min} to ${max}, got ${issue.input}` })
    .meta({ values: `0 (off), ${min}–${max}` });
}

export const boolean: SettingSchema<boolean> = z
  .stringbool({
    truthy: ['1', 'true', 'yes'],
    falsy: ['0', 'false', 'no'],
    case: 'insensitive',
    error: (issue) => `expected true or false, got "${issue.input}"`,
  })
  .meta({ values: 'true, false' });

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, options: { ignoreCase?: boolean } = {}): SettingSchema<T[number]> {
  const choice = z.enum(values, { error: (issue) => `expected ${listed(values)}, got "${issue.input}"` });
  const raw = options.ignoreCase ? z.string().trim().toUpperCase() : z.string();
  return raw.pipe(choice).meta({ values: values.join(', ') });
}

const listed = (values: readonly string[]) => (values.length > 2 ? `one of ${values.join(', ')}` : values.join(' or '));

/** An http(s) URL, as given. */
export const httpUrl: SettingSchema<string> = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).meta({ values: 'http(s) URL' });

/** An http(s) URL without its trailing slash. */
export const baseUrl: SettingSchema<string> = httpUrl.transform((raw) => new URL(raw).toString().replace(/\/$/, '')).meta({ values: 'http(s) URL' });

export const redisUrl: SettingSchema<string> = z.url({ protocol: /^rediss?$/, error: 'expected a redis:// URL' }).meta({ values: 'redis:// URL' });

/** A MySQL or MariaDB URL that names a database; `mariadb:` is given to the driver as `mysql:`. */
export const mysqlUrl: SettingSchema<string> = z
  .url({ protocol: /^(mysql|mariadb)$/, error: 'expected a mysql:// or mariadb:// URL such as mariadb://user:password@127.0.0.1:3306/credits', abort: true })
  .refine((raw) => new URL(raw).pathname.length > 1, 'the URL must name a database, e.g. mysql://root@127.0.0.1:3306/credits')
  .meta({ values: 'mysql:// or mariadb:// URL' });

export const secret: SettingSchema<string> = z.string().min(32, 'the secret must be at least 32 characters long').meta({ values: 'at least 32 characters' });

export const pemPublicKey: SettingSchema<string> = z
  .string()
  .transform((raw) => raw.replace(/\\n/g, '\n'))
  .refine((pem) => pem.includes('-----BEGIN PUBLIC KEY-----'), 'expected a PEM public key (-----BEGIN PUBLIC KEY-----)')
  .meta({ values: 'PEM public key' });

export const redisKeyPrefix: SettingSchema<string> = z
  .string()
  .regex(/^[A-Za-z0-9:._-]{1,64}$/, 'expected 1 to 64 of A-Z a-z 0-9 : . _ -')
  .meta({ values: '1–64 of `A-Z a-z 0-9 : . _ -`' });

/** Comma-separated items, each checked by `item`; blanks between commas are dropped. */
export function listOf<T>(item: SettingSchema<T>, values: string): SettingSchema<T[]> {
  const items = (raw: string) =>
    raw
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
  return z.string().transform(items).pipe(z.array(item)).meta({ values });
}

const isOrigin = (value: string) => URL.canParse(value) && new URL(value).origin === value;

export const origin: SettingSchema<string> = z
  .string()
  .refine(isOrigin, { error: (issue) => `"${issue.input}" is not an origin (scheme://host[:port], no path)` });

/** The console's origins; `*` alone is any origin. */
export const originsOrAny: SettingSchema<string[] | '*'> = z
  .string()
  .transform((raw, context) => (raw.trim() === '*' ? ('*' as const) : parseInto(listOf(origin, ''), raw, context)))
  .meta({ values: '`*` or comma-separated origins' });

/** Origins a browser may be sent back to: named, never `*`. */
export const namedOrigins: SettingSchema<string[]> = listOf(
  z
    .string()
    .refine((value) => value !== '*', '"*" is not allowed: name the console origins')
    .pipe(origin),
  'comma-separated origins',
);

/** `https://host/path/` prefixes. */
export const httpsPathPrefixes: SettingSchema<string[]> = listOf(
  z.string().refine((prefix) => URL.canParse(prefix) && new URL(prefix).protocol === 'https:' && prefix.endsWith('/'), {
    error: (issue) => `"${issue.input}" must be an https://host/path/ prefix ending in "/"`,
  }),
  'comma-separated https://host/path/ prefixes',
);

/** A positive amount of credits (exact decimal), in micros. */
export const positiveCredits: SettingSchema<bigint> = z
  .string()
  .transform((raw, context) => {
    const micros = decimal(() => parseCreditsToMicros(raw), context);
    if (micros !== null && micros <= 0n) context.addIssue({ code: 'custom', message: `expected a positive number of credits, got "${raw}"` });
    return micros ?? 0n;
  })
  .meta({ values: 'credits > 0' });

/** A positive exact decimal, kept as its canonical text. */
export const positiveDecimal: SettingSchema<string> = z
  .string()
  .transform((raw, context) => decimal(() => parsePositiveDecimal(raw).text, context) ?? '')
  .meta({ values: 'decimal > 0' });

/** A document-number prefix: 1 to 10 capital letters or digits (`RC`, `INV2`). */
export const documentPrefix: SettingSchema<string> = z
  .string()
  .regex(/^[A-Z0-9]{1,10}$/, { error: (issue) => `expected 1 to 10 capital letters or digits, got "${issue.input}"` })
  .meta({ values: '1–10 of `A-Z 0-9`' });

/** An IANA time zone the runtime knows (`Asia/Ho_Chi_Minh`, `UTC`). */
export const timeZone: SettingSchema<string> = z
  .string()
  .refine((zone) => isKnownTimeZone(zone), { error: (issue) => `expected an IANA time zone such as Asia/Ho_Chi_Minh, got "${issue.input}"` })
  .meta({ values: 'IANA time zone' });

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Tax rates per country, `VN:10,TH:7.5`: an ISO 3166-1 alpha-2 code and a percentage from 0 to
 * below 100 with at most 2 decimals, kept as basis points (10 % → 1000).
 */
export const taxRatesByCountry: SettingSchema<Record<string, number>> = z
  .string()
  .transform((raw, context) => {
    const rates: Record<string, number> = {};
    for (const entry of raw
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)) {
      const match = /^([A-Z]{2}):(\d{1,2})(?:\.(\d{1,2}))?$/.exec(entry);
      if (!match) {
        context.addIssue({ code: 'custom', message: `expected COUNTRY:PERCENT such as VN:10 (percent below 100, at most 2 decimals), got "${entry}"` });
        continue;
      }
      if (match[1] in rates) context.addIssue({ code: 'custom', message: `${match[1]} is listed twice` });
      rates[match[1]] = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
    }
    return rates;
  })
  .meta({ values: 'comma-separated `CC:percent`' });

/** Runs a parser from common/money, turning what it throws into an issue. */
function decimal<T>(parse: () => T, context: z.RefinementCtx): T | null {
  try {
    return parse();
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return null;
  }
}

/** Parses with another schema inside a transform, passing its issues on. */
function parseInto<T>(schema: SettingSchema<T>, raw: string, context: z.RefinementCtx): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  for (const issue of result.error.issues) context.addIssue({ code: 'custom', message: issue.message });
  return z.NEVER;
}
