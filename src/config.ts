import path from 'node:path';

/**
 * Every setting the server reads, validated once at start-up. A bad value stops the process with a
 * message naming the variable; nothing else in the code reads `process.env`.
 */
export interface Config {
  environment: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: string;
  database: DatabaseConfig;
  auth: AuthConfig;
  corsOrigins: string[] | '*';
  redisUrl: string | null;
  seedDemoData: boolean;
  outboxPollIntervalMs: number;
  maxHistoryPageSize: number;
  /** How often the promotional-expiry job runs; 0 turns the timer off (reads still expire lazily). */
  promotionalExpiryJobIntervalMs: number;
  /** How long a read trusts that an account had no due promotional grant; 0 checks on every read. */
  promotionalExpiryCheckCacheMs: number;
}

export type DatabaseConfig =
  | { kind: 'mysql'; flavor: 'mysql' | 'mariadb'; url: string; poolSize: number; runMigrations: boolean }
  | { kind: 'sqlite'; file: string };

export interface AuthConfig {
  /** HS256 shared secret (development, or when explicitly configured). */
  hmacSecret: string | null;
  /** RS256 public key in PEM. */
  publicKeyPem: string | null;
  jwksUrl: string | null;
  issuer: string | null;
  audience: string | null;
}

export class ConfigError extends Error {}

/** The development secret. Refused in production so a forgotten setting cannot go live. */
export const DEVELOPMENT_JWT_SECRET = 'credits-bff-development-secret-do-not-use-in-production';

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = <T>(name: string, parse: (raw: string) => T, fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    try {
      return parse(raw);
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
      return fallback;
    }
  };

  const environment = read('NODE_ENV', parseEnvironment, 'development' as Config['environment']);
  const databaseUrl = read('DATABASE_URL', parseMysqlUrl, null);
  const database: DatabaseConfig = databaseUrl
    ? {
        kind: 'mysql',
        // TypeORM reads MariaDB's catalogue differently (e.g. DEFAULT 'NULL'); the scheme says which.
        flavor: databaseUrl.startsWith('mariadb:') ? 'mariadb' : 'mysql',
        url: databaseUrl.replace(/^mariadb:/, 'mysql:'),
        poolSize: read('DATABASE_POOL_SIZE', parseIntegerIn(1, 200), 10),
        runMigrations: read('DATABASE_RUN_MIGRATIONS', parseBoolean, false),
      }
    : { kind: 'sqlite', file: path.resolve(read('SQLITE_PATH', (raw) => raw, 'data/credits.sqlite')) };

  const auth: AuthConfig = {
    hmacSecret: read('JWT_SECRET', parseSecret, null),
    publicKeyPem: read('JWT_PUBLIC_KEY', parsePem, null),
    jwksUrl: read('JWT_JWKS_URL', parseHttpUrl, null),
    issuer: read('JWT_ISSUER', (raw) => raw, null),
    audience: read('JWT_AUDIENCE', (raw) => raw, null),
  };
  if (!auth.hmacSecret && !auth.publicKeyPem && !auth.jwksUrl) {
    if (environment === 'production') {
      problems.push('JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL: one is required in production');
    } else {
      auth.hmacSecret = DEVELOPMENT_JWT_SECRET;
    }
  }

  const config: Config = {
    environment,
    host: read('HOST', (raw) => raw, '127.0.0.1'),
    port: read('PORT', parseIntegerIn(0, 65535), 4000),
    logLevel: read('LOG_LEVEL', parseLogLevel, environment === 'test' ? 'silent' : 'info'),
    database,
    auth,
    corsOrigins: read('CORS_ORIGINS', parseOrigins, environment === 'production' ? [] : '*'),
    redisUrl: read('REDIS_URL', parseRedisUrl, null),
    seedDemoData: read('SEED_DEMO_DATA', parseBoolean, database.kind === 'sqlite'),
    outboxPollIntervalMs: read('OUTBOX_POLL_INTERVAL_MS', parseIntegerIn(50, 600_000), 1000),
    maxHistoryPageSize: 100,
    promotionalExpiryJobIntervalMs: read('EXPIRY_JOB_INTERVAL_MS', parseIntervalOrOff(1000, 86_400_000), 60_000),
    promotionalExpiryCheckCacheMs: read('EXPIRY_CHECK_CACHE_MS', parseIntegerIn(0, 60_000), 1000),
  };
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return config;
}

function parseEnvironment(raw: string): Config['environment'] {
  if (raw === 'development' || raw === 'test' || raw === 'production') return raw;
  throw new Error(`expected development, test or production, got "${raw}"`);
}

function parseIntegerIn(min: number, max: number) {
  return (raw: string): number => {
    if (!/^\d+$/.test(raw)) throw new Error(`expected a whole number, got "${raw}"`);
    const value = Number(raw);
    if (value < min || value > max) throw new Error(`expected a number from ${min} to ${max}, got ${value}`);
    return value;
  };
}

/** A timer interval in milliseconds, or 0 for off. */
function parseIntervalOrOff(min: number, max: number) {
  const parseInterval = parseIntegerIn(min, max);
  return (raw: string): number => (raw === '0' ? 0 : parseInterval(raw));
}

function parseBoolean(raw: string): boolean {
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new Error(`expected true or false, got "${raw}"`);
}

function parseMysqlUrl(raw: string): string {
  const url = new URL(raw);
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new Error('expected a mysql:// or mariadb:// URL such as mariadb://user:password@127.0.0.1:3306/credits');
  }
  if (url.pathname.length <= 1) throw new Error('the URL must name a database, e.g. mysql://root@127.0.0.1:3306/credits');
  return raw;
}

function parseRedisUrl(raw: string): string {
  const url = new URL(raw);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new Error('expected a redis:// URL');
  return raw;
}

function parseHttpUrl(raw: string): string {
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('expected an http(s) URL');
  return raw;
}

function parseSecret(raw: string): string {
  if (raw.length < 32) throw new Error('the secret must be at least 32 characters long');
  return raw;
}

function parsePem(raw: string): string {
  const pem = raw.replace(/\\n/g, '\n');
  if (!pem.includes('-----BEGIN PUBLIC KEY-----')) throw new Error('expected a PEM public key (-----BEGIN PUBLIC KEY-----)');
  return pem;
}

function parseLogLevel(raw: string): string {
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(raw)) throw new Error(`expected one of ${levels.join(', ')}`);
  return raw;
}

function parseOrigins(raw: string): string[] | '*' {
  if (raw.trim() === '*') return '*';
  const origins = raw.split(',').map((origin) => origin.trim()).filter(Boolean);
  for (const origin of origins) {
    const url = new URL(origin);
    if (url.origin !== origin) throw new Error(`"${origin}" is not an origin (scheme://host[:port], no path)`);
  }
  return origins;
}
