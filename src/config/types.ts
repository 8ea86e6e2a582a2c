/**
 * The shape of the validated configuration, as the rest of the server reads it. Built from the
 * declared settings (settings.ts) by load.ts; nothing else reads `process.env`.
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
  fairAdmission: FairAdmissionConfig;
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
  /** Receipts and credit notes (docs/guides/receipts.md). */
  receipts: ReceiptsConfig;
}

export interface ReceiptsConfig {
  /** The series (number prefix) new receipts are numbered in. */
  receiptPrefix: string;
  /** The series new credit notes are numbered in; never the receipts'. */
  creditNotePrefix: string;
  /** The series new debit notes (cancelling a credit note) are numbered in; never the other two. */
  debitNotePrefix: string;
  /** The zone of a number's calendar year and of the dates a receipt prints. */
  timeZone: string;
  /** Tax included in the price, in basis points (10 % = 1000), by billing country; absent: 0. */
  taxBasisPointsByCountry: Readonly<Record<string, number>>;
  /** The seller named on every receipt (copied onto each, so a later change alters none). */
  issuer: { name: string; address: string | null; taxCode: string | null };
  numberingPollIntervalMs: number;
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
  /** The longest list an operation's variables may hold (checked before parsing). */
  maxListLength: number;
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

/** Buying credits: prices, limits, and the settings of each configured provider (or the local stand-ins). */
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
  /** Each provider's settings when all of them are set; null when it is not configured (its method is not offered). */
  stripe: { secretKey: string; webhookSecret: string } | null;
  paypal: PayPalConfig | null;
  vnpay: { tmnCode: string; hashSecret: string; paymentUrl: string; apiUrl: string } | null;
  /** No provider setting at all and not production: the server starts the local stand-ins of all three. */
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
/** src/server/fair-admission.ts */
export interface FairAdmissionConfig {
  /** Refusals (4xx answers) within `windowSeconds` that make a client a suspect; 0 turns admission off. */
  suspectAfterRefusals: number;
  windowSeconds: number;
  /** Requests of one suspect served at once; the rest wait their turn. */
  suspectConcurrency: number;
  /** Requests of one suspect let in per second, at most. */
  suspectRate: number;
  /** Requests of one suspect waiting their turn; beyond it they are refused (429) at once. */
  suspectMaxWaiting: number;
}

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
