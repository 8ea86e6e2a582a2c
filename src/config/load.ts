import path from 'node:path';
import { environmentWithEnvFile } from './env-file';
import { configuredProviders, providerSettings } from './providers';
import { type Env, readSettings, type SettingValues } from './read';
import type { Environment, Setting } from './setting';
import { type SettingName, SETTINGS } from './settings';
import type {
  ApiKeysConfig,
  AuthConfig,
  AutomationConfig,
  Config,
  DatabaseConfig,
  PaymentsConfig,
  RateLimitsConfig,
  ReceiptsConfig,
  RequestLimitsConfig,
  SubscriptionLimitsConfig,
} from './types';

/** The development API key pepper; production requires API_KEY_PEPPER. */
export const DEVELOPMENT_API_KEY_PEPPER = 'credits-bff-development-api-key-pepper-do-not-use-in-production';

/** The development secret. Refused in production so a forgotten setting cannot go live. */
export const DEVELOPMENT_JWT_SECRET = 'credits-bff-development-secret-do-not-use-in-production';

/** Every problem of a configuration, each naming its variable; `message` lists them one a line. */
export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly environment: Environment,
  ) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * Every setting the server reads (src/config/settings.ts), validated once at start-up. A bad value
 * stops the process with a message naming the variable; nothing else in the code reads `process.env`.
 */
export function loadConfig(env: Env = environmentWithEnvFile()): Config {
  const problems: string[] = [];
  const values = readSettings(env, problems);
  const environment = values.NODE_ENV;
  problems.push(...missingInProduction(values));
  const config: Config = {
    environment,
    host: values.HOST,
    port: values.PORT,
    logLevel: values.LOG_LEVEL,
    database: databaseConfig(values, problems),
    auth: authConfig(values, problems),
    corsOrigins: values.CORS_ORIGINS,
    redisUrl: values.REDIS_URL,
    redisKeyPrefix: values.REDIS_KEY_PREFIX,
    persistedQueryTtlSeconds: values.GRAPHQL_PERSISTED_QUERY_TTL_SECONDS,
    rateLimits: rateLimitsConfig(values),
    fairAdmission: {
      suspectAfterRefusals: values.FAIR_ADMISSION_REFUSALS,
      windowSeconds: values.FAIR_ADMISSION_WINDOW_SECONDS,
      suspectConcurrency: values.FAIR_ADMISSION_SUSPECT_CONCURRENCY,
      suspectRate: values.FAIR_ADMISSION_SUSPECT_RATE,
      suspectMaxWaiting: values.FAIR_ADMISSION_SUSPECT_MAX_WAITING,
    },
    seedDemoData: values.SEED_DEMO_DATA,
    allowSqliteInProduction: values.ALLOW_SQLITE_IN_PRODUCTION,
    outboxPollIntervalMs: values.OUTBOX_POLL_INTERVAL_MS,
    requestLimits: requestLimitsConfig(values),
    subscriptionLimits: subscriptionLimitsConfig(values),
    exposure: { introspection: values.GRAPHQL_INTROSPECTION, fieldSuggestions: values.GRAPHQL_FIELD_SUGGESTIONS, landingPage: values.GRAPHQL_LANDING_PAGE },
    trustProxyHops: values.TRUST_PROXY_HOPS,
    promotionalExpiryJobIntervalMs: values.EXPIRY_JOB_INTERVAL_MS,
    promotionalExpiryCheckCacheMs: values.EXPIRY_CHECK_CACHE_MS,
    balanceCacheMs: values.BALANCE_CACHE_MS,
    transferBatchMaxRows: values.TRANSFER_BATCH_MAX_ROWS,
    payments: paymentsConfig(values, env, problems),
    automation: automationConfig(values),
    autoRecharge: { maxFailures: values.AUTO_RECHARGE_MAX_FAILURES, actionWindowMinutes: values.AUTO_RECHARGE_ACTION_WINDOW_MINUTES },
    apiKeys: apiKeysConfig(values),
    receipts: receiptsConfig(values, problems),
  };
  if (config.transferBatchMaxRows > config.requestLimits.maxListLength) {
    problems.push('TRANSFER_BATCH_MAX_ROWS: must not exceed GRAPHQL_MAX_LIST_LENGTH, or the largest batch would be refused before it is read');
  }
  if (problems.length > 0) throw new ConfigError(problems, environment);
  return config;
}

/** The settings declared `requiredInProduction` that production left unset. */
function missingInProduction(values: SettingValues): string[] {
  if (values.NODE_ENV !== 'production') return [];
  return (Object.entries(SETTINGS) as [SettingName, Setting<unknown>][])
    .filter(([name, setting]) => setting.requiredInProduction && values[name] === null)
    .map(([name, setting]) => `${name}: required in production (${setting.requiredInProduction})`);
}

function databaseConfig(values: SettingValues, problems: string[]): DatabaseConfig {
  const url = values.DATABASE_URL;
  if (!url) {
    if (values.DATABASE_REPLICA_URL) problems.push('DATABASE_REPLICA_URL: needs DATABASE_URL (the embedded SQLite has no replica)');
    return { kind: 'sqlite', file: path.resolve(values.SQLITE_PATH), synchronous: values.SQLITE_SYNCHRONOUS };
  }
  return {
    kind: 'mysql',
    // TypeORM reads MariaDB's catalogue differently (e.g. DEFAULT 'NULL'); the scheme says which.
    flavor: url.startsWith('mariadb:') ? 'mariadb' : 'mysql',
    url: url.replace(/^mariadb:/, 'mysql:'),
    poolSize: values.DATABASE_POOL_SIZE,
    runMigrations: values.DATABASE_RUN_MIGRATIONS,
    connectTimeoutMs: values.DATABASE_CONNECT_TIMEOUT_MS,
    acquireTimeoutMs: values.DATABASE_ACQUIRE_TIMEOUT_MS,
    replicaUrl: values.DATABASE_REPLICA_URL,
  };
}

function authConfig(values: SettingValues, problems: string[]): AuthConfig {
  const production = values.NODE_ENV === 'production';
  const noKey = values.JWT_SECRET === null && values.JWT_PUBLIC_KEY === null && values.JWT_JWKS_URL === null;
  if (noKey && production) problems.push('JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL: one is required in production');
  return {
    hmacSecret: noKey && !production ? DEVELOPMENT_JWT_SECRET : values.JWT_SECRET,
    publicKeyPem: values.JWT_PUBLIC_KEY,
    jwksUrl: values.JWT_JWKS_URL,
    issuer: values.JWT_ISSUER,
    audience: values.JWT_AUDIENCE,
    maxTokenBytes: values.JWT_MAX_TOKEN_BYTES,
    maxLifetimeSeconds: values.JWT_MAX_LIFETIME_SECONDS,
    clockSkewSeconds: values.JWT_CLOCK_SKEW_SECONDS,
  };
}

function receiptsConfig(values: SettingValues, problems: string[]): ReceiptsConfig {
  if (values.RECEIPT_NUMBER_PREFIX === values.CREDIT_NOTE_NUMBER_PREFIX) {
    problems.push('CREDIT_NOTE_NUMBER_PREFIX: must differ from RECEIPT_NUMBER_PREFIX (credit notes have a series of their own)');
  }
  if (values.DEBIT_NOTE_NUMBER_PREFIX === values.RECEIPT_NUMBER_PREFIX || values.DEBIT_NOTE_NUMBER_PREFIX === values.CREDIT_NOTE_NUMBER_PREFIX) {
    problems.push('DEBIT_NOTE_NUMBER_PREFIX: must differ from RECEIPT_NUMBER_PREFIX and CREDIT_NOTE_NUMBER_PREFIX (debit notes have a series of their own)');
  }
  return {
    receiptPrefix: values.RECEIPT_NUMBER_PREFIX,
    creditNotePrefix: values.CREDIT_NOTE_NUMBER_PREFIX,
    debitNotePrefix: values.DEBIT_NOTE_NUMBER_PREFIX,
    timeZone: values.RECEIPT_TIME_ZONE,
    taxBasisPointsByCountry: values.RECEIPT_TAX_RATES,
    issuer: { name: values.RECEIPT_ISSUER_NAME, address: values.RECEIPT_ISSUER_ADDRESS, taxCode: values.RECEIPT_ISSUER_TAX_CODE },
    numberingPollIntervalMs: values.RECEIPT_NUMBERING_POLL_INTERVAL_MS,
  };
}

function apiKeysConfig(values: SettingValues): ApiKeysConfig {
  return {
    pepper: values.API_KEY_PEPPER ?? DEVELOPMENT_API_KEY_PEPPER,
    recheckMs: values.API_KEY_RECHECK_MS,
    environment: values.NODE_ENV === 'production' ? 'live' : 'test',
  };
}

function paymentsConfig(values: SettingValues, env: Env, problems: string[]): PaymentsConfig {
  const minimumMicros = values.TOPUP_MINIMUM_CREDITS;
  if (values.TOPUP_SUGGESTED_CREDITS.some((amount) => amount < minimumMicros)) {
    problems.push('TOPUP_SUGGESTED_CREDITS: every suggested amount must be at least TOPUP_MINIMUM_CREDITS');
  }
  const { configured, useStandIns } = configuredProviders(env, values.NODE_ENV, problems);
  return {
    minimumMicros,
    suggestedMicros: values.TOPUP_SUGGESTED_CREDITS,
    creditPriceUsd: values.CREDIT_PRICE_USD,
    creditPriceVnd: values.CREDIT_PRICE_VND,
    publicBaseUrl: values.PUBLIC_BASE_URL,
    returnUrlAllowedOrigins: values.RETURN_URL_ALLOWED_ORIGINS,
    topUpLifetimeMinutes: values.TOPUP_LIFETIME_MINUTES,
    expirySweepIntervalMs: values.TOPUP_EXPIRY_SWEEP_INTERVAL_MS,
    ...providerSettings(values, configured),
    useStandIns,
  };
}

/**
 * Defaults sized so a console and a partner script doing a few hundred transfers a minute never
 * meet them (settings.ts says what each bucket counts).
 */
function rateLimitsConfig(values: SettingValues): RateLimitsConfig {
  return {
    principal: { points: values.RATE_LIMIT_PRINCIPAL_POINTS, durationSeconds: values.RATE_LIMIT_PRINCIPAL_DURATION_SECONDS },
    ip: { points: values.RATE_LIMIT_IP_POINTS, durationSeconds: values.RATE_LIMIT_IP_DURATION_SECONDS },
    failedAuthentication: { points: values.RATE_LIMIT_FAILED_AUTH_POINTS, durationSeconds: values.RATE_LIMIT_FAILED_AUTH_DURATION_SECONDS },
    authenticatedIp: { points: values.RATE_LIMIT_AUTHENTICATED_IP_POINTS, durationSeconds: values.RATE_LIMIT_AUTHENTICATED_IP_DURATION_SECONDS },
    payment: { points: values.RATE_LIMIT_PAYMENT_POINTS, durationSeconds: values.RATE_LIMIT_PAYMENT_DURATION_SECONDS },
    webhook: { points: values.RATE_LIMIT_WEBHOOK_POINTS, durationSeconds: values.RATE_LIMIT_WEBHOOK_DURATION_SECONDS },
  };
}

function requestLimitsConfig(values: SettingValues): RequestLimitsConfig {
  return {
    maxDepth: values.GRAPHQL_MAX_DEPTH,
    maxAliases: values.GRAPHQL_MAX_ALIASES,
    maxDirectives: values.GRAPHQL_MAX_DIRECTIVES,
    maxTokens: values.GRAPHQL_MAX_TOKENS,
    maxCost: values.GRAPHQL_MAX_COST,
    reportCost: values.GRAPHQL_REPORT_COST,
    maxPageSize: values.GRAPHQL_MAX_PAGE_SIZE,
    maxListLength: values.GRAPHQL_MAX_LIST_LENGTH,
  };
}

function subscriptionLimitsConfig(values: SettingValues): SubscriptionLimitsConfig {
  return {
    connectionInitTimeoutMs: values.WS_CONNECTION_INIT_TIMEOUT_MS,
    maxSubscriptionsPerConnection: values.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION,
    maxSubscriptionsPerPrincipal: values.WS_MAX_SUBSCRIPTIONS_PER_PRINCIPAL,
    maxConnectionsPerPrincipal: values.WS_MAX_CONNECTIONS_PER_PRINCIPAL,
    maxConnectionsPerIp: values.WS_MAX_CONNECTIONS_PER_IP,
    maxQueuedEventsPerSubscription: values.WS_MAX_QUEUED_EVENTS,
    maxBufferedBytesPerConnection: values.WS_MAX_BUFFERED_BYTES,
  };
}

function automationConfig(values: SettingValues): AutomationConfig {
  return {
    maxBalanceThresholdsPerAccount: values.BALANCE_THRESHOLDS_MAX_PER_ACCOUNT,
    maxWebhookEndpointsPerAccount: values.WEBHOOK_ENDPOINTS_MAX_PER_ACCOUNT,
    webhookPollIntervalMs: values.WEBHOOK_POLL_INTERVAL_MS,
    webhookConcurrency: values.WEBHOOK_CONCURRENCY,
    webhookTimeoutMs: values.WEBHOOK_TIMEOUT_MS,
    webhookMaxResponseBytes: values.WEBHOOK_MAX_RESPONSE_BYTES,
    webhookRetryBaseDelayMs: values.WEBHOOK_RETRY_BASE_DELAY_MS,
    webhookRetryMaxDelayMs: values.WEBHOOK_RETRY_MAX_DELAY_MS,
    webhookRetryWindowMs: values.WEBHOOK_RETRY_WINDOW_MS,
    webhookDisableAfterFailures: values.WEBHOOK_DISABLE_AFTER_FAILURES,
    webhookDisableAfterMs: values.WEBHOOK_DISABLE_AFTER_MS,
    webhookSecretOverlapSeconds: values.WEBHOOK_SECRET_OVERLAP_SECONDS,
    autoTransferPollIntervalMs: values.AUTO_TRANSFER_POLL_INTERVAL_MS,
  };
}
