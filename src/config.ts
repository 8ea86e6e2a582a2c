import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { parseCreditsToMicros, parsePositiveDecimal } from './common/money';

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
  /** Prepended as is to every key and channel this process uses in Redis (rate limits, notifications, persisted queries), so deployments can share one Redis. */
  redisKeyPrefix: string;
  /** How long an automatic persisted query stays registered (Redis or the in-memory cache). */
  persistedQueryTtlSeconds: number;
  rateLimits: RateLimitsConfig;
  seedDemoData: boolean;
  /** Production on the embedded SQLite (a single-box deployment), explicitly; never with the demo (src/server/production-posture.ts). */
  allowSqliteInProduction: boolean;
  outboxPollIntervalMs: number;
  /** Bounds on every GraphQL operation, checked before it runs (README "Protection and limits"). */
  requestLimits: RequestLimitsConfig;
  /** Bounds on WebSocket connections and subscriptions. */
  subscriptionLimits: SubscriptionLimitsConfig;
  /** What the API reveals about itself: off by default in production. */
  exposure: ExposureConfig;
  /** How many proxies in front of the server may set X-Forwarded-For (0: none). */
  trustProxyHops: number;
  /** How often the promotional-expiry job runs; 0 turns the timer off (reads still expire lazily). */
  promotionalExpiryJobIntervalMs: number;
  /** How long a read trusts that an account had no due promotional grant; 0 checks on every read. */
  promotionalExpiryCheckCacheMs: number;
  /**
   * How long a process keeps a balance it read, unless a posting in this process changes it first;
   * 0 turns the cache off (the default when processes share a Redis bus: see src/balances/balance-cache.ts).
   */
  balanceCacheMs: number;
  /**
   * The most rows one `transferCreditsBatch` may carry. Bounded at 1,000: a batch is posted in one
   * transaction with multi-row inserts, and SQLite binds at most 32,766 parameters per statement.
   */
  transferBatchMaxRows: number;
  payments: PaymentsConfig;
  /** Low-balance thresholds and outbound webhooks (README "Webhooks to your systems"). */
  automation: AutomationConfig;
  /** Auto-recharge rules (README "Auto-recharge"). */
  autoRecharge: AutoRechargeConfig;
  /** API keys for scripts (docs/guides/api-keys.md). */
  apiKeys: ApiKeysConfig;
}

export interface ApiKeysConfig {
  /** The HMAC-SHA256 key under which API key secrets are stored (at least 32 characters). */
  pepper: string;
  /** How long a process trusts a key it verified before reading it again (the bound on revocation without Redis). */
  recheckMs: number;
  /** The prefix's environment: `ck_live_` in production, `ck_test_` otherwise. */
  environment: 'live' | 'test';
}

export interface AutoRechargeConfig {
  /** Off-session charges in a row that may fail (declined, or waiting for 3-D Secure) before a rule is disabled. */
  maxFailures: number;
  /** How long an auto-recharge top-up stays open (e.g. waiting for the card holder's 3-D Secure) before it expires. */
  actionWindowMinutes: number;
}

export interface AutomationConfig {
  maxBalanceThresholdsPerAccount: number;
  maxWebhookEndpointsPerAccount: number;
  /** How often the delivery worker looks for due deliveries (it is also woken when new ones are written). */
  webhookPollIntervalMs: number;
  /** Deliveries one process sends at the same time. */
  webhookConcurrency: number;
  /** The whole HTTP exchange of one attempt. */
  webhookTimeoutMs: number;
  /** Bytes of a receiver's answer read at most. */
  webhookMaxResponseBytes: number;
  /** Retry n waits about base × 2^(n-1), capped at the maximum, with jitter (half to all of it). */
  webhookRetryBaseDelayMs: number;
  webhookRetryMaxDelayMs: number;
  /** A delivery is retried for this long after its first attempt, then marked FAILED. */
  webhookRetryWindowMs: number;
  /** An endpoint is disabled once it has failed this many attempts in a row … */
  webhookDisableAfterFailures: number;
  /** … over at least this long, with no success in between. */
  webhookDisableAfterMs: number;
  /** How long a rotated-out secret still signs deliveries when rotateWebhookSecret names no overlap. */
  webhookSecretOverlapSeconds: number;
  /** How often the auto-transfer worker looks for firings left by a crashed process (new ones wake it at once). */
  autoTransferPollIntervalMs: number;
}

export interface RequestLimitsConfig {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Lexical tokens in one document; the parser stops at the limit. */
  maxTokens: number;
  /** The largest cost an operation may have (see src/server/limits/query-cost.ts for the model). */
  maxCost: number;
  /** The cost of one report field (a report reads a whole period of rows). */
  reportCost: number;
  /** The largest `first` any connection accepts. */
  maxPageSize: number;
}

export interface SubscriptionLimitsConfig {
  /** A socket that has not sent connection_init by then is closed (4408). */
  connectionInitTimeoutMs: number;
  maxSubscriptionsPerConnection: number;
  maxSubscriptionsPerPrincipal: number;
  maxConnectionsPerPrincipal: number;
  maxConnectionsPerIp: number;
  /** Events waiting for one subscriber beyond this and the subscriber is dropped. */
  maxQueuedEventsPerSubscription: number;
  /** Bytes waiting in one socket's send buffer beyond this and the connection is dropped. */
  maxBufferedBytesPerConnection: number;
}

export interface ExposureConfig {
  introspection: boolean;
  /** "Did you mean …?" in validation errors. */
  fieldSuggestions: boolean;
  /** Apollo Sandbox on GET /graphql. */
  landingPage: boolean;
}

/** Buying credits: prices, limits, and each provider's keys (or the local stand-ins). */
export interface PaymentsConfig {
  minimumMicros: bigint;
  suggestedMicros: bigint[];
  /** The price of one credit, as exact decimal strings ("1.00" USD, "26000" VND). */
  creditPriceUsd: string;
  creditPriceVnd: string;
  /** Where providers and browsers reach this server (VNPay return URL, PayPal cancel URL); null = the listening address. */
  publicBaseUrl: string | null;
  /** Origins a top-up's returnUrl may point at; http://localhost and 127.0.0.1 are also allowed outside production. */
  returnUrlAllowedOrigins: string[];
  /** How long an unpaid top-up stays open before the expiry sweep closes it. */
  topUpLifetimeMinutes: number;
  expirySweepIntervalMs: number;
  stripe: { secretKey: string; webhookSecret: string } | null;
  paypal: PayPalConfig | null;
  vnpay: { tmnCode: string; hashSecret: string; paymentUrl: string; apiUrl: string } | null;
  /** No provider keys and not production: the server starts the local provider stand-ins itself. */
  useStandIns: boolean;
}

export interface PayPalConfig {
  clientId: string;
  clientSecret: string;
  webhookId: string;
  environment: 'sandbox' | 'production';
  /** `https://host/path/` prefixes PayPal's webhook signing certificates may be fetched from. */
  certUrlAllowList: string[];
  /** The common name PayPal's webhook signing certificate carries. */
  certificateCommonName: string;
}

/** One bucket: at most `points` requests per key in each window of `durationSeconds`. */
export interface RateLimitBucketConfig {
  points: number;
  durationSeconds: number;
}

/** The rate-limit buckets (src/server/rate-limits.ts says what each one counts). */
export interface RateLimitsConfig {
  principal: RateLimitBucketConfig;
  ip: RateLimitBucketConfig;
  failedAuthentication: RateLimitBucketConfig;
  authenticatedIp: RateLimitBucketConfig;
  payment: RateLimitBucketConfig;
  webhook: RateLimitBucketConfig;
}

export type DatabaseConfig =
  | {
      kind: 'mysql';
      flavor: 'mysql' | 'mariadb';
      url: string;
      poolSize: number;
      runMigrations: boolean;
      /** How long opening one connection may take before it counts as "database unreachable". */
      connectTimeoutMs: number;
      /** How long a request may wait for a free pooled connection before SERVICE_UNAVAILABLE. */
      acquireTimeoutMs: number;
      /** A read replica of `url` for history and reports (README "Read replica"); null reads everything from the primary. */
      replicaUrl: string | null;
    }
  | {
      kind: 'sqlite';
      file: string;
      /**
       * SQLite's `synchronous` pragma (the file is in WAL mode). FULL syncs the log at every commit:
       * a committed transaction survives a power loss. NORMAL syncs only at checkpoints: a process
       * crash loses nothing, a power loss or OS crash may lose the last commits (never corrupts).
       */
      synchronous: 'FULL' | 'NORMAL';
    };

export interface AuthConfig {
  /** HS256 shared secret (development, or when explicitly configured). */
  hmacSecret: string | null;
  /** RS256 public key in PEM. */
  publicKeyPem: string | null;
  jwksUrl: string | null;
  issuer: string | null;
  audience: string | null;
  /** A longer bearer token is refused before any verification (bounds the work a forged token costs). */
  maxTokenBytes: number;
  /** The longest a token may live: `exp` is required, and `exp` − `iat` (or − now) may not exceed this. */
  maxLifetimeSeconds: number;
  /** Tolerance for `exp`, `nbf` and `iat` against this server's clock. */
  clockSkewSeconds: number;
}

export class ConfigError extends Error {}

/**
 * Tracing is off unless the standard OpenTelemetry variables ask for it: an exporter
 * (`OTEL_TRACES_EXPORTER`, other than `none`) or an OTLP endpoint, and `OTEL_SDK_DISABLED` not true.
 * Read apart from `loadConfig` because it must be decided before the server's modules load; the
 * SDK reads the rest of its standard `OTEL_*` variables itself.
 */
export function readTracingConfig(env: Env = process.env): { enabled: boolean } {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return { enabled: false };
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (exporters.length > 0) return { enabled: !exporters.includes('none') };
  return { enabled: Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) };
}

/** The development API key pepper; production requires API_KEY_PEPPER. */
export const DEVELOPMENT_API_KEY_PEPPER = 'credits-bff-development-api-key-pepper-do-not-use-in-production';

/** The development secret. Refused in production so a forgotten setting cannot go live. */
export const DEVELOPMENT_JWT_SECRET = 'credits-bff-development-secret-do-not-use-in-production';

type Env = Record<string, string | undefined>;

/**
 * The environment with a `.env` file's variables beneath it, when the file exists (in the working
 * directory by default; `.env.example` lists every variable). A variable already set wins, so the
 * file never overrides the real environment.
 */
export function environmentWithEnvFile(env: Env = process.env, file = path.resolve('.env')): Env {
  if (!existsSync(file)) return env;
  return { ...parseEnv(readFileSync(file, 'utf8')), ...env };
}

export function loadConfig(env: Env = environmentWithEnvFile()): Config {
  const problems: string[] = [];
  const read = readerOf(env, problems);
  const environment = read('NODE_ENV', parseEnvironment, 'development' as Config['environment']);
  const database = readDatabaseConfig(env, read, problems);
  const auth = readAuthConfig(read, environment, problems);
  const redisUrl = read('REDIS_URL', parseRedisUrl, null);
  const config: Config = {
    environment,
    host: read('HOST', (raw) => raw, '127.0.0.1'),
    port: read('PORT', parseIntegerIn(0, 65535), 4000),
    logLevel: read('LOG_LEVEL', parseLogLevel, environment === 'test' ? 'silent' : 'info'),
    database,
    auth,
    corsOrigins: read('CORS_ORIGINS', parseOrigins, environment === 'production' ? [] : '*'),
    redisUrl,
    redisKeyPrefix: read('REDIS_KEY_PREFIX', parseRedisKeyPrefix, 'credits:'),
    persistedQueryTtlSeconds: read('GRAPHQL_PERSISTED_QUERY_TTL_SECONDS', parseIntegerIn(60, 30 * 86_400), 86_400),
    rateLimits: readRateLimitsConfig(read),
    seedDemoData: read('SEED_DEMO_DATA', parseBoolean, database.kind === 'sqlite' && environment !== 'production'),
    allowSqliteInProduction: read('ALLOW_SQLITE_IN_PRODUCTION', parseBoolean, false),
    outboxPollIntervalMs: read('OUTBOX_POLL_INTERVAL_MS', parseIntegerIn(50, 600_000), 1000),
    requestLimits: readRequestLimits(read),
    subscriptionLimits: readSubscriptionLimits(read),
    exposure: {
      introspection: read('GRAPHQL_INTROSPECTION', parseBoolean, environment !== 'production'),
      fieldSuggestions: read('GRAPHQL_FIELD_SUGGESTIONS', parseBoolean, environment !== 'production'),
      landingPage: read('GRAPHQL_LANDING_PAGE', parseBoolean, environment !== 'production'),
    },
    trustProxyHops: read('TRUST_PROXY_HOPS', parseIntegerIn(0, 10), 0),
    promotionalExpiryJobIntervalMs: read('EXPIRY_JOB_INTERVAL_MS', parseIntervalOrOff(1000, 86_400_000), 60_000),
    promotionalExpiryCheckCacheMs: read('EXPIRY_CHECK_CACHE_MS', parseIntegerIn(0, 60_000), 1000),
    balanceCacheMs: read('BALANCE_CACHE_MS', parseIntegerIn(0, 60_000), redisUrl ? 0 : 1000),
    transferBatchMaxRows: read('TRANSFER_BATCH_MAX_ROWS', parseIntegerIn(1, 1000), 500),
    payments: readPaymentsConfig(env, environment, read, problems),
    automation: readAutomationConfig(read),
    autoRecharge: {
      maxFailures: read('AUTO_RECHARGE_MAX_FAILURES', parseIntegerIn(1, 100), 3),
      actionWindowMinutes: read('AUTO_RECHARGE_ACTION_WINDOW_MINUTES', parseIntegerIn(5, 7 * 24 * 60), 24 * 60),
    },
    apiKeys: readApiKeysConfig(read, environment, problems),
  };
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return config;
}

type Reader = <T>(name: string, parse: (raw: string) => T, fallback: T) => T;

/** Reads one setting: its fallback when unset or empty; a value that does not parse adds a problem (all are reported at once). */
function readerOf(env: Env, problems: string[]): Reader {
  return <T>(name: string, parse: (raw: string) => T, fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    try {
      return parse(raw);
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
      return fallback;
    }
  };
}

function readDatabaseConfig(env: Env, read: Reader, problems: string[]): DatabaseConfig {
  const databaseUrl = read('DATABASE_URL', parseMysqlUrl, null);
  const database: DatabaseConfig = databaseUrl
    ? {
        kind: 'mysql',
        // TypeORM reads MariaDB's catalogue differently (e.g. DEFAULT 'NULL'); the scheme says which.
        flavor: databaseUrl.startsWith('mariadb:') ? 'mariadb' : 'mysql',
        url: databaseUrl.replace(/^mariadb:/, 'mysql:'),
        poolSize: read('DATABASE_POOL_SIZE', parseIntegerIn(1, 200), 10),
        runMigrations: read('DATABASE_RUN_MIGRATIONS', parseBoolean, false),
        connectTimeoutMs: read('DATABASE_CONNECT_TIMEOUT_MS', parseIntegerIn(100, 60_000), 3000),
        acquireTimeoutMs: read('DATABASE_ACQUIRE_TIMEOUT_MS', parseIntegerIn(100, 120_000), 5000),
        replicaUrl: read('DATABASE_REPLICA_URL', (raw) => parseMysqlUrl(raw).replace(/^mariadb:/, 'mysql:'), null),
      }
    : {
        kind: 'sqlite',
        file: path.resolve(read('SQLITE_PATH', (raw) => raw, 'data/credits.sqlite')),
        synchronous: read('SQLITE_SYNCHRONOUS', parseSqliteSynchronous, 'FULL'),
      };
  if (database.kind === 'sqlite' && env.DATABASE_REPLICA_URL) problems.push('DATABASE_REPLICA_URL: needs DATABASE_URL (the embedded SQLite has no replica)');
  return database;
}

function readAuthConfig(read: Reader, environment: Config['environment'], problems: string[]): AuthConfig {
  const auth: AuthConfig = {
    hmacSecret: read('JWT_SECRET', parseSecret, null),
    publicKeyPem: read('JWT_PUBLIC_KEY', parsePem, null),
    jwksUrl: read('JWT_JWKS_URL', parseHttpUrl, null),
    issuer: read('JWT_ISSUER', (raw) => raw, null),
    audience: read('JWT_AUDIENCE', (raw) => raw, null),
    maxTokenBytes: read('JWT_MAX_TOKEN_BYTES', parseIntegerIn(512, 65_536), 8192),
    maxLifetimeSeconds: read('JWT_MAX_LIFETIME_SECONDS', parseIntegerIn(60, 30 * 86_400), 86_400),
    clockSkewSeconds: read('JWT_CLOCK_SKEW_SECONDS', parseIntegerIn(0, 300), 30),
  };
  if (!auth.hmacSecret && !auth.publicKeyPem && !auth.jwksUrl) {
    if (environment === 'production') {
      problems.push('JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL: one is required in production');
    } else {
      auth.hmacSecret = DEVELOPMENT_JWT_SECRET;
    }
  }
  return auth;
}

function readApiKeysConfig(read: Reader, environment: Config['environment'], problems: string[]): ApiKeysConfig {
  const pepper = read('API_KEY_PEPPER', parseApiKeyPepper, null);
  if (!pepper && environment === 'production') problems.push('API_KEY_PEPPER: required in production (at least 32 characters)');
  return {
    pepper: pepper ?? DEVELOPMENT_API_KEY_PEPPER,
    recheckMs: read('API_KEY_RECHECK_MS', parseIntegerIn(0, 60_000), 10_000),
    environment: environment === 'production' ? 'live' : 'test',
  };
}

function parseApiKeyPepper(raw: string): string {
  if (raw.length < 32) throw new Error('must be at least 32 characters');
  return raw;
}

function readAutomationConfig(read: Reader): AutomationConfig {
  return {
    maxBalanceThresholdsPerAccount: read('BALANCE_THRESHOLDS_MAX_PER_ACCOUNT', parseIntegerIn(1, 100), 10),
    maxWebhookEndpointsPerAccount: read('WEBHOOK_ENDPOINTS_MAX_PER_ACCOUNT', parseIntegerIn(1, 100), 10),
    webhookPollIntervalMs: read('WEBHOOK_POLL_INTERVAL_MS', parseIntegerIn(50, 600_000), 1000),
    webhookConcurrency: read('WEBHOOK_CONCURRENCY', parseIntegerIn(1, 100), 8),
    webhookTimeoutMs: read('WEBHOOK_TIMEOUT_MS', parseIntegerIn(100, 60_000), 10_000),
    webhookMaxResponseBytes: read('WEBHOOK_MAX_RESPONSE_BYTES', parseIntegerIn(0, 1_048_576), 65_536),
    webhookRetryBaseDelayMs: read('WEBHOOK_RETRY_BASE_DELAY_MS', parseIntegerIn(10, 3_600_000), 30_000),
    webhookRetryMaxDelayMs: read('WEBHOOK_RETRY_MAX_DELAY_MS', parseIntegerIn(10, 86_400_000), 3_600_000),
    webhookRetryWindowMs: read('WEBHOOK_RETRY_WINDOW_MS', parseIntegerIn(0, 30 * 86_400_000), 3 * 86_400_000),
    webhookDisableAfterFailures: read('WEBHOOK_DISABLE_AFTER_FAILURES', parseIntegerIn(1, 100_000), 20),
    webhookDisableAfterMs: read('WEBHOOK_DISABLE_AFTER_MS', parseIntegerIn(0, 30 * 86_400_000), 3 * 86_400_000),
    webhookSecretOverlapSeconds: read('WEBHOOK_SECRET_OVERLAP_SECONDS', parseIntegerIn(0, 30 * 86_400), 86_400),
    autoTransferPollIntervalMs: read('AUTO_TRANSFER_POLL_INTERVAL_MS', parseIntegerIn(50, 600_000), 1000),
  };
}

function readRequestLimits(read: Reader): RequestLimitsConfig {
  return {
    maxDepth: read('GRAPHQL_MAX_DEPTH', parseIntegerIn(2, 100), 10),
    maxAliases: read('GRAPHQL_MAX_ALIASES', parseIntegerIn(0, 1000), 20),
    maxDirectives: read('GRAPHQL_MAX_DIRECTIVES', parseIntegerIn(0, 1000), 10),
    maxTokens: read('GRAPHQL_MAX_TOKENS', parseIntegerIn(100, 100_000), 2000),
    maxCost: read('GRAPHQL_MAX_COST', parseIntegerIn(10, 10_000_000), 5000),
    reportCost: read('GRAPHQL_REPORT_COST', parseIntegerIn(1, 1_000_000), 500),
    maxPageSize: read('GRAPHQL_MAX_PAGE_SIZE', parseIntegerIn(1, 1000), 100),
  };
}

function readSubscriptionLimits(read: Reader): SubscriptionLimitsConfig {
  return {
    connectionInitTimeoutMs: read('WS_CONNECTION_INIT_TIMEOUT_MS', parseIntegerIn(100, 60_000), 3000),
    maxSubscriptionsPerConnection: read('WS_MAX_SUBSCRIPTIONS_PER_CONNECTION', parseIntegerIn(1, 10_000), 25),
    maxSubscriptionsPerPrincipal: read('WS_MAX_SUBSCRIPTIONS_PER_PRINCIPAL', parseIntegerIn(1, 100_000), 100),
    maxConnectionsPerPrincipal: read('WS_MAX_CONNECTIONS_PER_PRINCIPAL', parseIntegerIn(1, 10_000), 10),
    maxConnectionsPerIp: read('WS_MAX_CONNECTIONS_PER_IP', parseIntegerIn(1, 100_000), 50),
    maxQueuedEventsPerSubscription: read('WS_MAX_QUEUED_EVENTS', parseIntegerIn(1, 100_000), 100),
    maxBufferedBytesPerConnection: read('WS_MAX_BUFFERED_BYTES', parseIntegerIn(1024, 1_073_741_824), 1_048_576),
  };
}

const PROVIDER_KEYS = {
  stripe: ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'],
  paypal: ['PAYPAL_CLIENT_ID', 'PAYPAL_CLIENT_SECRET', 'PAYPAL_WEBHOOK_ID', 'PAYPAL_CERT_URL_ALLOW_LIST', 'PAYPAL_WEBHOOK_CERT_COMMON_NAME'],
  vnpay: ['VNPAY_TMN_CODE', 'VNPAY_HASH_SECRET', 'VNPAY_PAYMENT_URL', 'VNPAY_API_URL'],
} as const;

function readPaymentsConfig(
  env: Env,
  environment: Config['environment'],
  read: <T>(name: string, parse: (raw: string) => T, fallback: T) => T,
  problems: string[],
): PaymentsConfig {
  const minimumMicros = read('TOPUP_MINIMUM_CREDITS', parsePositiveCredits, 10n * 1_000_000n);
  const suggestedMicros = read(
    'TOPUP_SUGGESTED_CREDITS',
    (raw) => raw.split(',').map((item) => parsePositiveCredits(item.trim())),
    [10n, 50n, 100n, 500n].map((credits) => credits * 1_000_000n),
  );
  if (suggestedMicros.some((amount) => amount < minimumMicros)) {
    problems.push('TOPUP_SUGGESTED_CREDITS: every suggested amount must be at least TOPUP_MINIMUM_CREDITS');
  }
  const publicBaseUrl = read('PUBLIC_BASE_URL', parseBaseUrl, null);
  const configured = Object.values(PROVIDER_KEYS)
    .flat()
    .filter((name) => env[name]);
  const useStandIns = configured.length === 0 && environment !== 'production';
  if (!useStandIns) {
    const missing = Object.values(PROVIDER_KEYS)
      .flat()
      .filter((name) => !env[name]);
    if (missing.length > 0) problems.push(`${missing.join(', ')}: required ${environment === 'production' ? 'in production' : 'once any provider key is set'}`);
    if (environment === 'production' && !publicBaseUrl) problems.push('PUBLIC_BASE_URL: required in production (providers call it back)');
  }
  const text = (name: string) => env[name] ?? '';
  return {
    minimumMicros,
    suggestedMicros,
    creditPriceUsd: read('CREDIT_PRICE_USD', (raw) => parsePositiveDecimal(raw).text, '1.00'),
    creditPriceVnd: read('CREDIT_PRICE_VND', (raw) => parsePositiveDecimal(raw).text, '26000'),
    publicBaseUrl,
    returnUrlAllowedOrigins: read(
      'RETURN_URL_ALLOWED_ORIGINS',
      (raw) => {
        const origins = parseOrigins(raw);
        if (origins === '*') throw new Error('"*" is not allowed: name the console origins');
        return origins;
      },
      [],
    ),
    topUpLifetimeMinutes: read('TOPUP_LIFETIME_MINUTES', parseIntegerIn(5, 24 * 60), 30),
    expirySweepIntervalMs: read('TOPUP_EXPIRY_SWEEP_INTERVAL_MS', parseIntegerIn(100, 3_600_000), 60_000),
    stripe: useStandIns ? null : { secretKey: text('STRIPE_SECRET_KEY'), webhookSecret: text('STRIPE_WEBHOOK_SECRET') },
    paypal: useStandIns
      ? null
      : {
          clientId: text('PAYPAL_CLIENT_ID'),
          clientSecret: text('PAYPAL_CLIENT_SECRET'),
          webhookId: text('PAYPAL_WEBHOOK_ID'),
          environment: read('PAYPAL_ENVIRONMENT', parsePayPalEnvironment, environment === 'production' ? 'production' : 'sandbox'),
          certUrlAllowList: read('PAYPAL_CERT_URL_ALLOW_LIST', parseCertUrlPrefixes, []),
          certificateCommonName: text('PAYPAL_WEBHOOK_CERT_COMMON_NAME'),
        },
    vnpay: useStandIns
      ? null
      : {
          tmnCode: text('VNPAY_TMN_CODE'),
          hashSecret: text('VNPAY_HASH_SECRET'),
          paymentUrl: read('VNPAY_PAYMENT_URL', parseHttpUrl, ''),
          apiUrl: read('VNPAY_API_URL', parseHttpUrl, ''),
        },
    useStandIns,
  };
}

/**
 * Defaults sized so a console and a partner script doing a few hundred transfers a minute never
 * meet them. Each variable is named in full, so the list of settings can be read off this file.
 */
const RATE_LIMIT_DEFAULTS: Record<keyof RateLimitsConfig, { pointsVariable: string; durationVariable: string } & RateLimitBucketConfig> = {
  principal: { pointsVariable: 'RATE_LIMIT_PRINCIPAL_POINTS', durationVariable: 'RATE_LIMIT_PRINCIPAL_DURATION_SECONDS', points: 1200, durationSeconds: 60 },
  ip: { pointsVariable: 'RATE_LIMIT_IP_POINTS', durationVariable: 'RATE_LIMIT_IP_DURATION_SECONDS', points: 300, durationSeconds: 60 },
  failedAuthentication: {
    pointsVariable: 'RATE_LIMIT_FAILED_AUTH_POINTS',
    durationVariable: 'RATE_LIMIT_FAILED_AUTH_DURATION_SECONDS',
    points: 30,
    durationSeconds: 60,
  },
  // A ceiling on verified requests per address, far above one principal's: it bounds CPU per
  // address without letting a neighbour behind the same NAT lock anyone out.
  authenticatedIp: {
    pointsVariable: 'RATE_LIMIT_AUTHENTICATED_IP_POINTS',
    durationVariable: 'RATE_LIMIT_AUTHENTICATED_IP_DURATION_SECONDS',
    points: 12_000,
    durationSeconds: 60,
  },
  payment: { pointsVariable: 'RATE_LIMIT_PAYMENT_POINTS', durationVariable: 'RATE_LIMIT_PAYMENT_DURATION_SECONDS', points: 10, durationSeconds: 60 },
  webhook: { pointsVariable: 'RATE_LIMIT_WEBHOOK_POINTS', durationVariable: 'RATE_LIMIT_WEBHOOK_DURATION_SECONDS', points: 600, durationSeconds: 60 },
};

function readRateLimitsConfig(read: <T>(name: string, parse: (raw: string) => T, fallback: T) => T): RateLimitsConfig {
  const bucket = (defaults: (typeof RATE_LIMIT_DEFAULTS)[keyof RateLimitsConfig]): RateLimitBucketConfig => ({
    points: read(defaults.pointsVariable, parseIntegerIn(1, 10_000_000), defaults.points),
    durationSeconds: read(defaults.durationVariable, parseIntegerIn(1, 86_400), defaults.durationSeconds),
  });
  return {
    principal: bucket(RATE_LIMIT_DEFAULTS.principal),
    ip: bucket(RATE_LIMIT_DEFAULTS.ip),
    failedAuthentication: bucket(RATE_LIMIT_DEFAULTS.failedAuthentication),
    authenticatedIp: bucket(RATE_LIMIT_DEFAULTS.authenticatedIp),
    payment: bucket(RATE_LIMIT_DEFAULTS.payment),
    webhook: bucket(RATE_LIMIT_DEFAULTS.webhook),
  };
}

function parseRedisKeyPrefix(raw: string): string {
  if (!/^[A-Za-z0-9:._-]{1,64}$/.test(raw)) throw new Error('expected 1 to 64 of A-Z a-z 0-9 : . _ -');
  return raw;
}

function parsePayPalEnvironment(raw: string): PayPalConfig['environment'] {
  if (raw === 'sandbox' || raw === 'production') return raw;
  throw new Error(`expected sandbox or production, got "${raw}"`);
}

function parseCertUrlPrefixes(raw: string): string[] {
  const prefixes = raw
    .split(',')
    .map((prefix) => prefix.trim())
    .filter(Boolean);
  for (const prefix of prefixes) {
    const url = new URL(prefix);
    if (url.protocol !== 'https:' || !url.pathname.endsWith('/')) throw new Error(`"${prefix}" must be an https://host/path/ prefix ending in "/"`);
  }
  return prefixes;
}

function parsePositiveCredits(raw: string): bigint {
  const micros = parseCreditsToMicros(raw);
  if (micros <= 0n) throw new Error(`expected a positive number of credits, got "${raw}"`);
  return micros;
}

function parseBaseUrl(raw: string): string {
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('expected an http(s) URL');
  return url.toString().replace(/\/$/, '');
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

function parseSqliteSynchronous(raw: string): 'FULL' | 'NORMAL' {
  const value = raw.trim().toUpperCase();
  if (value !== 'FULL' && value !== 'NORMAL') throw new Error('expected FULL or NORMAL');
  return value;
}

function parseLogLevel(raw: string): string {
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(raw)) throw new Error(`expected one of ${levels.join(', ')}`);
  return raw;
}

function parseOrigins(raw: string): string[] | '*' {
  if (raw.trim() === '*') return '*';
  const origins = raw
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of origins) {
    const url = new URL(origin);
    if (url.origin !== origin) throw new Error(`"${origin}" is not an origin (scheme://host[:port], no path)`);
  }
  return origins;
}
