import {
  anyText,
  baseUrl,
  boolean,
  documentPrefix,
  httpsPathPrefixes,
  httpUrl,
  integerIn,
  intervalOrOff,
  listOf,
  mysqlUrl,
  namedOrigins,
  oneOf,
  originsOrAny,
  pemPublicKey,
  positiveCredits,
  positiveDecimal,
  redisKeyPrefix,
  redisUrl,
  secret,
  taxRatesByCountry,
  timeZone,
} from './schema';
import { group, optional, setting } from './setting';

/**
 * Every environment variable the server reads, each declared once: its schema, default (per
 * environment where it differs), description, and whether it is a secret. load.ts builds the
 * configuration from these; `npm run config:docs` writes docs/configuration.md's tables and
 * `.env.example` from them.
 */

const server = group('Server', 'Where the process listens and what it tells about itself.', {
  NODE_ENV: setting(
    oneOf(['development', 'test', 'production']),
    'development',
    'the environment; production refuses the demo and development secrets, turns introspection, field suggestions and the landing page off (unless set below), and requires explicit CORS origins and at least one payment provider',
  ),
  HOST: setting(anyText, '127.0.0.1', 'interface to listen on (`0.0.0.0` behind a load balancer or in a container)'),
  PORT: setting(integerIn(0, 65535), '4000', 'HTTP and WebSocket port (0 = any free port)'),
  LOG_LEVEL: setting(
    oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    { derive: ({ environment }) => (environment === 'test' ? 'silent' : 'info'), text: '`info` (`silent` in test)' },
    'pino log level',
  ),
  CORS_ORIGINS: setting(
    originsOrAny,
    { development: '*', production: '' },
    'origins of the web console allowed to call the API from a browser; `*` is refused in production',
  ),
  TRUST_PROXY_HOPS: setting(
    integerIn(0, 10),
    '0',
    "how many proxies in front of the server may set `X-Forwarded-For` (the buyer's IP goes to VNPay; rate limits count per this IP)",
  ),
});

const database = group('Database', 'MariaDB/MySQL, or the embedded SQLite file when `DATABASE_URL` is unset.', {
  DATABASE_URL: optional(mysqlUrl, '`mysql://user:pass@host:3306/db` or `mariadb://…` (the scheme tells TypeORM which catalogue dialect to expect)', {
    unsetText: 'unset → embedded SQLite',
    example: 'mariadb://credits:password@127.0.0.1:3306/credits',
    secret: true,
  }),
  DATABASE_POOL_SIZE: setting(integerIn(1, 200), '10', 'mysql2 pool size per process (the replica, when set, gets a pool of the same size)'),
  DATABASE_CONNECT_TIMEOUT_MS: setting(
    integerIn(100, 60_000),
    '3000',
    'how long opening one database connection may take before the request answers `SERVICE_UNAVAILABLE`',
  ),
  DATABASE_ACQUIRE_TIMEOUT_MS: setting(
    integerIn(100, 120_000),
    '5000',
    'how long a request may wait for a free pooled connection before it answers `SERVICE_UNAVAILABLE`',
  ),
  DATABASE_REPLICA_URL: optional(
    mysqlUrl.transform((raw) => raw.replace(/^mariadb:/, 'mysql:')),
    'a read replica of `DATABASE_URL` (needs `DATABASE_URL`). Credit history, the three reports and their CSV files read it; balances, money paths, idempotency checks and transactions never do. An unreachable replica sends those reads to the primary for 5 s at a time (see [Read replica](operations.md#read-replica))',
    { unsetText: 'unset → everything reads the primary', example: 'mariadb://credits:password@127.0.0.1:3307/credits', secret: true },
  ),
  DATABASE_RUN_MIGRATIONS: setting(
    boolean,
    'false',
    'apply pending migrations at start-up (the tests do; production runs `npm run migrate` as a release step)',
  ),
  SQLITE_PATH: setting(anyText, 'data/credits.sqlite', 'the embedded database file'),
  SQLITE_SYNCHRONOUS: setting(
    oneOf(['FULL', 'NORMAL'], { ignoreCase: true }),
    'FULL',
    'embedded SQLite (WAL) only: `FULL` syncs the log at every commit, so a committed transaction survives a power loss; `NORMAL` syncs only at checkpoints: a crash of the process loses nothing, a power loss or OS crash may lose the last commits (the file is never corrupted). About 0.3 ms less per commit',
  ),
  SEED_DEMO_DATA: setting(
    boolean,
    { derive: ({ environment, mysql }) => String(!mysql && environment !== 'production'), text: '`true` on SQLite, else `false`' },
    'seed the demo accounts at start-up and print their tokens; `true` is refused in production',
    { productionText: '`false` (`true` is refused)' },
  ),
  ALLOW_SQLITE_IN_PRODUCTION: setting(
    boolean,
    'false',
    'production on the embedded SQLite (a single-box deployment), explicitly; still without the demo (no seed, tokens, stand-ins or demo webhook receiver). Without it production refuses to start with no `DATABASE_URL` ([Security](security.md))',
  ),
});

const authentication = group('Authentication', 'How bearer tokens and API keys are verified.', {
  JWT_SECRET: optional(secret, 'HS256 shared secret; the development secret is refused in production', {
    unsetText: 'development secret',
    productionText: 'this, `JWT_PUBLIC_KEY` or `JWT_JWKS_URL` required',
    secret: true,
  }),
  JWT_PUBLIC_KEY: optional(pemPublicKey, 'RS256 public key (PEM; `\\n` escapes allowed)'),
  JWT_JWKS_URL: optional(httpUrl, 'RS256 key set URL (takes precedence over the key and the secret)'),
  JWT_ISSUER: optional(anyText, 'the `iss` every token must carry, when set', { productionText: 'required' }),
  JWT_AUDIENCE: optional(anyText, 'the `aud` every token must carry, when set', { productionText: 'required' }),
  JWT_MAX_TOKEN_BYTES: setting(integerIn(512, 65_536), '8192', 'a longer bearer token is refused (`UNAUTHENTICATED`) before any verification'),
  JWT_MAX_LIFETIME_SECONDS: setting(
    integerIn(60, 30 * 86_400),
    '86400',
    'the longest a token may live: `exp` is required, and `exp` − `iat` (or − now, without `iat`) may not exceed this',
  ),
  JWT_CLOCK_SKEW_SECONDS: setting(integerIn(0, 300), '30', "tolerance for `exp`, `nbf` and `iat` against the server's clock"),
  API_KEY_PEPPER: optional(secret, 'HMAC-SHA256 key under which API keys are stored; changing it invalidates every key ([API keys](guides/api-keys.md))', {
    unsetText: 'development pepper',
    requiredInProduction: 'at least 32 characters',
    secret: true,
  }),
  API_KEY_RECHECK_MS: setting(
    integerIn(0, 60_000),
    '10000',
    'how long a process trusts an API key it verified before reading it again: the bound on a revocation reaching a process that missed the Redis announcement',
  ),
});

const redisAndCaches = group('Redis and caches', 'What processes share, and what each keeps for itself.', {
  REDIS_URL: optional(
    redisUrl,
    'share notifications, rate-limit counters and automatic persisted queries between processes (needed by more than one process; see [Scaling](operations.md#scaling))',
    { unsetText: 'unset → in-memory bus, rate limits and persisted queries', example: 'redis://127.0.0.1:6379', secret: true },
  ),
  REDIS_KEY_PREFIX: setting(
    redisKeyPrefix,
    'credits:',
    'prepended as is to every Redis key and channel this server uses, so deployments can share one Redis: rate-limit counters `<prefix>rate-limit:<bucket>:<key>`, notification channels `<prefix>notification:<TOPIC>:<key>`, persisted queries `<prefix>apq:<sha256>`. Every process of one deployment uses the same prefix',
  ),
  GRAPHQL_PERSISTED_QUERY_TTL_SECONDS: setting(
    integerIn(60, 30 * 86_400),
    '86400',
    "how long an automatic persisted query (APQ) stays registered, in Redis with `REDIS_URL`, else in each process's memory; a client whose hash has expired is told `PERSISTED_QUERY_NOT_FOUND` and sends the text again",
  ),
  BALANCE_CACHE_MS: setting(
    integerIn(0, 60_000),
    { derive: ({ redis }) => (redis ? '0' : '1000'), text: '`1000`; `0` (off) when `REDIS_URL` is set' },
    "how long a process keeps a balance it read. A posting committed **in this process** drops the account's entry before its caller is answered, so your own transfer or top-up is never followed by an older balance; a posting committed by **another** process is not seen, so with several processes behind a load balancer a balance may be up to this old. Hence off by default when processes share Redis; set it only if that staleness is acceptable",
  ),
  EXPIRY_CHECK_CACHE_MS: setting(integerIn(0, 60_000), '1000', 'how long a process remembers that an account had no promotional grant due to expire'),
});

const requestLimits = group(
  'Request limits',
  'Bounds on every GraphQL operation, checked before it runs ([Protection and limits](architecture.md#protection-and-limits)).',
  {
    GRAPHQL_MAX_DEPTH: setting(integerIn(2, 100), '10', 'deepest selection nesting (fragments flattened; `__schema` exempt) → `GRAPHQL_VALIDATION_FAILED`'),
    GRAPHQL_MAX_ALIASES: setting(integerIn(0, 1000), '20', 'aliases in one operation → `GRAPHQL_VALIDATION_FAILED`'),
    GRAPHQL_MAX_DIRECTIVES: setting(integerIn(0, 1000), '10', 'directives in one operation → `GRAPHQL_VALIDATION_FAILED`'),
    GRAPHQL_MAX_TOKENS: setting(integerIn(100, 100_000), '2000', 'lexical tokens in one document; the parser stops there → `GRAPHQL_PARSE_FAILED`'),
    GRAPHQL_MAX_COST: setting(
      integerIn(10, 10_000_000),
      '5000',
      'the largest operation cost (list sizes multiply down the tree) → `GRAPHQL_VALIDATION_FAILED`',
    ),
    GRAPHQL_REPORT_COST: setting(integerIn(1, 1_000_000), '500', 'the cost of one report field (`credit…Report`)'),
    GRAPHQL_MAX_PAGE_SIZE: setting(integerIn(1, 1000), '100', 'the largest `first` of every connection → `BAD_USER_INPUT`'),
    GRAPHQL_MAX_LIST_LENGTH: setting(
      integerIn(500, 100_000),
      '1000',
      "the longest list in an operation's variables (at least 500, a `recordUsage` batch; at least `TRANSFER_BATCH_MAX_ROWS`), checked before the document is parsed → `BAD_USER_INPUT` (`extensions.field`, `extensions.maxListLength`)",
    ),
    GRAPHQL_INTROSPECTION: setting(boolean, { development: 'true', production: 'false' }, 'answer `__schema` / `__type`'),
    GRAPHQL_FIELD_SUGGESTIONS: setting(boolean, { development: 'true', production: 'false' }, '"Did you mean …?" in validation errors (HTTP and WebSocket)'),
    GRAPHQL_LANDING_PAGE: setting(
      boolean,
      { development: 'true', production: 'false' },
      'the bundled explorer (GraphiQL) on `GET /graphql` and its assets under `/explorer/`',
    ),
    TRANSFER_BATCH_MAX_ROWS: setting(
      integerIn(1, 1000),
      '500',
      'the most rows one `transferCreditsBatch` may carry; more is refused whole with `BAD_USER_INPUT` (`extensions.field: "rows"`, `extensions.maxRows`)',
    ),
  },
);

const subscriptions = group('Subscriptions', 'Bounds on WebSocket connections and live operations.', {
  WS_CONNECTION_INIT_TIMEOUT_MS: setting(integerIn(100, 60_000), '3000', 'a WebSocket that sends no `connection_init` by then is closed (4408)'),
  WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: setting(
    integerIn(1, 10_000),
    '25',
    'live operations on one WebSocket → `BAD_USER_INPUT` for the next; a connection refused more times than this is closed (4429)',
  ),
  WS_MAX_SUBSCRIPTIONS_PER_PRINCIPAL: setting(integerIn(1, 100_000), '100', 'live operations of one token subject over all its WebSockets → `BAD_USER_INPUT`'),
  WS_MAX_CONNECTIONS_PER_PRINCIPAL: setting(integerIn(1, 10_000), '10', 'authenticated WebSockets of one token subject; the next is closed (4429)'),
  WS_MAX_CONNECTIONS_PER_IP: setting(
    integerIn(1, 100_000),
    '50',
    'open WebSockets from one client IP (after `TRUST_PROXY_HOPS`), counted before `connection_init`; the next is closed (4429)',
  ),
  WS_MAX_QUEUED_EVENTS: setting(
    integerIn(1, 100_000),
    '100',
    'events waiting for one subscriber; beyond it the connection is dropped as a slow consumer (1013)',
  ),
  WS_MAX_BUFFERED_BYTES: setting(
    integerIn(1024, 1_073_741_824),
    '1048576',
    "unsent bytes in one WebSocket's buffer; beyond it the connection is dropped as a slow consumer (1013)",
  ),
});

const points = (defaultPoints: string, description: string) => setting(integerIn(1, 10_000_000), defaultPoints, description);
const window = (pointsName: string) => setting(integerIn(1, 86_400), '60', `the window of \`${pointsName}\`, in seconds`);

const rateLimits = group(
  'Rate limits',
  'Points per window of seconds, counted in memory or shared through `REDIS_URL` ([Protection and limits](architecture.md#protection-and-limits)).',
  {
    RATE_LIMIT_PRINCIPAL_POINTS: points(
      '1200',
      'requests per window for one principal (token subject and account) on `/graphql` and the CSV routes: 20 a second on average, bursts allowed — a console and a partner script doing a few hundred transfers a minute stay far below; a stuck loop is cut within a second',
    ),
    RATE_LIMIT_PRINCIPAL_DURATION_SECONDS: window('RATE_LIMIT_PRINCIPAL_POINTS'),
    RATE_LIMIT_IP_POINTS: points('300', 'requests without a token per client IP (IPv6 per /64) on `/graphql` and the CSV routes'),
    RATE_LIMIT_IP_DURATION_SECONDS: window('RATE_LIMIT_IP_POINTS'),
    RATE_LIMIT_FAILED_AUTH_POINTS: points(
      '30',
      'refused tokens (bad, expired, malformed header) per client IP; once spent, every refused token from that IP answers 429 until the window ends. A valid token is verified first and never counted here, so a neighbour behind the same address cannot lock it out',
    ),
    RATE_LIMIT_FAILED_AUTH_DURATION_SECONDS: window('RATE_LIMIT_FAILED_AUTH_POINTS'),
    RATE_LIMIT_AUTHENTICATED_IP_POINTS: points(
      '12000',
      'requests with a valid token per client IP, whatever the principal: a generous ceiling (ten principals at their own limit) that bounds the CPU one address can use',
    ),
    RATE_LIMIT_AUTHENTICATED_IP_DURATION_SECONDS: window('RATE_LIMIT_AUTHENTICATED_IP_POINTS'),
    RATE_LIMIT_PAYMENT_POINTS: points(
      '10',
      '`createTopUp` / `capturePayPalTopUp` fields per principal (each alias counts); checked before execution, so a refused call never reaches the provider',
    ),
    RATE_LIMIT_PAYMENT_DURATION_SECONDS: window('RATE_LIMIT_PAYMENT_POINTS'),
    RATE_LIMIT_WEBHOOK_POINTS: points(
      '600',
      'callbacks per client IP and route (`/webhooks/stripe`, `/webhooks/paypal`, `/webhooks/vnpay/ipn`, `/payments/vnpay/return`, `/payments/paypal/return`, `/payments/paypal/cancel`); providers retry a 429 later',
    ),
    RATE_LIMIT_WEBHOOK_DURATION_SECONDS: window('RATE_LIMIT_WEBHOOK_POINTS'),
  },
);

const fairAdmission = group(
  'Fair admission',
  'How a client whose requests keep being refused is held to a few requests at a time, so the others do not wait behind it ([Protection and limits](architecture.md#protection-and-limits)).',
  {
    FAIR_ADMISSION_REFUSALS: setting(
      integerIn(0, 1_000_000),
      '50',
      'refused requests (4xx answers: limits, bad input, bad tokens) from one client within the window that make it a suspect; a client is a verified principal, or an address without a valid token. `0` turns fair admission off',
    ),
    FAIR_ADMISSION_WINDOW_SECONDS: setting(
      integerIn(1, 3600),
      '10',
      'the window of `FAIR_ADMISSION_REFUSALS`, in seconds; a suspect is cleared once a window passes without a refusal',
    ),
    FAIR_ADMISSION_SUSPECT_CONCURRENCY: setting(
      integerIn(1, 1000),
      '2',
      "a suspect's requests served at once on `/graphql` and the CSV routes; the rest wait their turn",
    ),
    FAIR_ADMISSION_SUSPECT_RATE: setting(
      integerIn(1, 100_000),
      '50',
      "a suspect's requests let in per second at most: the share of the server's time a client that keeps being refused can take",
    ),
    FAIR_ADMISSION_SUSPECT_MAX_WAITING: setting(
      integerIn(0, 100_000),
      '1000',
      "a suspect's requests waiting their turn; beyond it the next is refused at once (429 `RATE_LIMITED`)",
    ),
  },
);

const jobs = group('Background work', 'Workers, outbound webhooks, thresholds and automatic purchases.', {
  OUTBOX_POLL_INTERVAL_MS: setting(integerIn(50, 600_000), '1000', 'how often each process looks for notifications left behind by a crashed process'),
  BALANCE_THRESHOLDS_MAX_PER_ACCOUNT: setting(integerIn(1, 100), '10', 'low-balance thresholds one account may have'),
  WEBHOOK_ENDPOINTS_MAX_PER_ACCOUNT: setting(integerIn(1, 100), '10', 'webhook endpoints one account may register'),
  WEBHOOK_POLL_INTERVAL_MS: setting(integerIn(50, 600_000), '1000', 'how often each process looks for due webhook deliveries (new ones wake it at once)'),
  WEBHOOK_CONCURRENCY: setting(integerIn(1, 100), '8', 'deliveries one process sends at the same time'),
  WEBHOOK_TIMEOUT_MS: setting(integerIn(100, 60_000), '10000', 'the whole HTTP exchange of one delivery attempt (connect, send, answer)'),
  WEBHOOK_MAX_RESPONSE_BYTES: setting(integerIn(0, 1_048_576), '65536', "bytes of a receiver's answer read at most; the connection is closed after that"),
  WEBHOOK_RETRY_BASE_DELAY_MS: setting(
    integerIn(10, 3_600_000),
    '30000',
    'retry _n_ waits base × 2^(n−1), capped at the maximum, times a random 0.5–1 (jitter)',
  ),
  WEBHOOK_RETRY_MAX_DELAY_MS: setting(integerIn(10, 86_400_000), '3600000', 'the longest wait between two retries of a delivery'),
  WEBHOOK_RETRY_WINDOW_MS: setting(
    integerIn(0, 30 * 86_400_000),
    '259200000',
    'how long a delivery is retried after its first attempt (3 days by default); then it is `FAILED`',
  ),
  WEBHOOK_DISABLE_AFTER_FAILURES: setting(
    integerIn(1, 100_000),
    '20',
    'an endpoint is disabled once it has failed this many attempts in a row over at least `WEBHOOK_DISABLE_AFTER_MS`, with no success between',
  ),
  WEBHOOK_DISABLE_AFTER_MS: setting(
    integerIn(0, 30 * 86_400_000),
    '259200000',
    'how long (3 days by default) the failures of `WEBHOOK_DISABLE_AFTER_FAILURES` must span before an endpoint is disabled',
  ),
  WEBHOOK_SECRET_OVERLAP_SECONDS: setting(
    integerIn(0, 30 * 86_400),
    '86400',
    'how long a rotated-out signing secret still signs deliveries when `rotateWebhookSecret` names no `overlapSeconds`',
  ),
  AUTO_TRANSFER_POLL_INTERVAL_MS: setting(
    integerIn(50, 600_000),
    '1000',
    'how often each process looks for auto-transfer firings left by a crashed process (new firings wake it at once)',
  ),
  AUTO_RECHARGE_MAX_FAILURES: setting(
    integerIn(1, 100),
    '3',
    'off-session charges in a row that may fail (declined, or waiting for 3-D Secure) before an auto-recharge rule is `DISABLED`',
  ),
  AUTO_RECHARGE_ACTION_WINDOW_MINUTES: setting(
    integerIn(5, 7 * 24 * 60),
    '1440',
    "how long an auto-recharge top-up stays open unpaid, e.g. waiting for the card holder's 3-D Secure, before it expires",
  ),
  EXPIRY_JOB_INTERVAL_MS: setting(
    intervalOrOff(1000, 86_400_000),
    '60000',
    'how often promotional grants past their expiry are expired (reads also expire lazily)',
  ),
});

const buyingCredits = group('Buying credits', 'Prices, limits, and where providers and browsers reach this server.', {
  TOPUP_MINIMUM_CREDITS: setting(positiveCredits, '10', 'the smallest top-up, in credits (exact decimal)'),
  TOPUP_SUGGESTED_CREDITS: setting(
    listOf(positiveCredits, 'comma-separated credits > 0'),
    '10,50,100,500',
    'suggested amounts shown by the console; each at least the minimum',
  ),
  CREDIT_PRICE_USD: setting(positiveDecimal, '1.00', 'price of one credit in USD (exact, at most 2 decimals); charges round **up** to the cent'),
  CREDIT_PRICE_VND: setting(positiveDecimal, '26000', 'price of one credit in VND (whole dong)'),
  TOPUP_LIFETIME_MINUTES: setting(integerIn(5, 24 * 60), '30', "how long an unpaid top-up stays open before it expires (VNPay's `vnp_ExpireDate`)"),
  TOPUP_EXPIRY_SWEEP_INTERVAL_MS: setting(
    integerIn(100, 3_600_000),
    '60000',
    'how often unpaid top-ups past their lifetime are expired (VNPay ones are asked with querydr first)',
  ),
  PUBLIC_BASE_URL: optional(
    baseUrl,
    "the public URL of this server, where providers and browsers reach it: the webhook URLs, VNPay's return URL (`/payments/vnpay/return`), PayPal's return and cancel URLs (`/payments/paypal/return`, `/payments/paypal/cancel`)",
    { unsetText: 'the listening address', requiredInProduction: 'providers call it back', example: 'https://credits.example.com' },
  ),
  RETURN_URL_ALLOWED_ORIGINS: setting(
    namedOrigins,
    '',
    "console origins a top-up's `returnUrl` may use (`http://localhost` is also accepted outside production)",
  ),
});

const receipts = group('Receipts', 'Receipts, credit notes and debit notes: their numbers, the tax they show and the seller they name.', {
  RECEIPT_NUMBER_PREFIX: setting(
    documentPrefix,
    'RC',
    'the series of receipt numbers, `<prefix>-<year>-<sequence>`: gapless per calendar year in each series (a new prefix starts a new series)',
  ),
  CREDIT_NOTE_NUMBER_PREFIX: setting(
    documentPrefix,
    'CN',
    'the series of credit-note numbers, numbered on their own; must differ from `RECEIPT_NUMBER_PREFIX`',
  ),
  DEBIT_NOTE_NUMBER_PREFIX: setting(
    documentPrefix,
    'DN',
    'the series of debit-note numbers (a debit note cancels a credit note), numbered on their own; must differ from the other two prefixes',
  ),
  RECEIPT_TIME_ZONE: setting(timeZone, 'Asia/Ho_Chi_Minh', 'the zone of the calendar year a number belongs to and of the dates a receipt prints'),
  RECEIPT_TAX_RATES: setting(
    taxRatesByCountry,
    '',
    'tax included in the price, per billing country (`VN:10,TH:7.5`, percent); a receipt shows it split out of the amount charged. A country not listed: 0',
  ),
  RECEIPT_ISSUER_NAME: setting(anyText, 'Credits Platform', 'the seller every receipt names (and the credit and debit notes that name it)'),
  RECEIPT_ISSUER_ADDRESS: optional(anyText, "the seller's address printed on receipts", { example: '1 Example Street, Ho Chi Minh City, Vietnam' }),
  RECEIPT_ISSUER_TAX_CODE: optional(anyText, "the seller's tax code printed on receipts", { example: '0300000000' }),
  RECEIPT_NUMBERING_POLL_INTERVAL_MS: setting(
    integerIn(50, 600_000),
    '1000',
    'how often each process looks for documents (receipts, credit and debit notes) left unnumbered by a crashed process (new ones wake it at once)',
  ),
});

const stripe = group('Stripe', 'Cards, worldwide, and the saved cards of auto-recharge. Stripe is offered when both are set.', {
  STRIPE_SECRET_KEY: optional(anyText, 'Stripe secret API key', { secret: true }),
  STRIPE_WEBHOOK_SECRET: optional(anyText, 'signing secret of the webhook endpoint registered for `POST /webhooks/stripe`', { secret: true }),
});

const paypal = group('PayPal', 'PayPal, for accounts in Vietnam. PayPal is offered when the five without a default are set.', {
  PAYPAL_CLIENT_ID: optional(anyText, 'PayPal REST app client id'),
  PAYPAL_CLIENT_SECRET: optional(anyText, 'PayPal REST app client secret', { secret: true }),
  PAYPAL_WEBHOOK_ID: optional(anyText, 'id of the PayPal webhook registered for `POST /webhooks/paypal`'),
  PAYPAL_ENVIRONMENT: setting(
    oneOf(['sandbox', 'production']),
    { development: 'sandbox', production: 'production' },
    'which PayPal environment the SDK talks to',
  ),
  PAYPAL_CERT_URL_ALLOW_LIST: optional(httpsPathPrefixes, "prefixes a webhook's `PAYPAL-CERT-URL` must start with"),
  PAYPAL_WEBHOOK_CERT_COMMON_NAME: optional(anyText, 'the common name (CN) the webhook signing certificate must carry'),
});

const vnpay = group('VNPay', 'VNPay, in VND for accounts in Vietnam. VNPay is offered when all four are set.', {
  VNPAY_TMN_CODE: optional(anyText, 'VNPay merchant (terminal) code'),
  VNPAY_HASH_SECRET: optional(anyText, 'VNPay HMAC-SHA512 secret; register `GET /webhooks/vnpay/ipn` as the IPN URL', { secret: true }),
  VNPAY_PAYMENT_URL: optional(httpUrl, "VNPay's payment page URL"),
  VNPAY_API_URL: optional(httpUrl, "VNPay's merchant API (`querydr`) URL"),
});

const tracing = group(
  'Tracing',
  'OpenTelemetry, off unless an exporter or an OTLP endpoint is named; the SDK reads these and its other standard `OTEL_*` variables (`OTEL_SERVICE_NAME`, `OTEL_TRACES_SAMPLER`, …) itself.',
  {
    OTEL_TRACES_EXPORTER: optional(anyText, 'comma-separated trace exporters (`otlp`, `console`, `none`)', { example: 'otlp' }),
    OTEL_EXPORTER_OTLP_ENDPOINT: optional(anyText, 'the OTLP/HTTP collector base URL', { example: 'http://127.0.0.1:4318' }),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optional(anyText, 'the OTLP/HTTP traces URL, when it is not the base URL + `/v1/traces`'),
    OTEL_SDK_DISABLED: optional(anyText, '`true` turns tracing off whatever else is set', { example: 'false' }),
  },
);

export const SETTINGS = {
  ...server,
  ...database,
  ...authentication,
  ...redisAndCaches,
  ...requestLimits,
  ...subscriptions,
  ...rateLimits,
  ...fairAdmission,
  ...jobs,
  ...buyingCredits,
  ...receipts,
  ...stripe,
  ...paypal,
  ...vnpay,
  ...tracing,
};

export type SettingName = keyof typeof SETTINGS;
