import type Redis from 'ioredis';
import { connectToRedis } from '../common/redis-connection';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Principal } from '../auth/principal';
import type { DependencyOutages } from '../common/dependency-outages';
import type { Logger } from '../common/logger';
import type { Config, RateLimitBucketConfig, RateLimitsConfig } from '../config';

/**
 * The buckets, each a fixed window of `points` per key:
 * - `principal`: every request carrying a valid token, per principal (subject and account);
 * - `ip`: every request without a token, per client IP (IPv6 per /64);
 * - `failedAuthentication`: every refused token, per client IP; while it is exhausted, refused
 *   tokens from that IP get 429 instead of 401 (valid tokens are never counted here);
 * - `authenticatedIp`: every request carrying a valid token, per client IP: a generous ceiling
 *   (far above one principal's) that bounds the CPU one address can use;
 * - `payment`: each provider-calling mutation field (`createTopUp`, `capturePayPalTopUp`), per principal;
 * - `webhook`: each provider callback, per client IP and route.
 */
export type RateLimitBucket = keyof RateLimitsConfig;

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const ALLOWED: RateLimitDecision = { allowed: true };

/** Redis answers in well under a millisecond; a slower answer means trouble, and the insurance limiter answers instead. */
const REDIS_COMMAND_TIMEOUT_MS = 250;

/**
 * The rate limiters of one process: in memory, or shared through Redis when REDIS_URL is set.
 * A Redis limiter carries an in-memory insurance limiter with the same limits, so a Redis outage
 * makes the limits per process for a while but never stops requests being served.
 */
export class RateLimits {
  /** Until when (ms since epoch) each IP is refused for failed authentication; saves a verification per request. */
  private readonly failedAuthenticationBlockedUntil = new Map<string, number>();

  private constructor(
    private readonly limiters: Record<RateLimitBucket, RateLimiterAbstract>,
    private readonly logger: Logger,
    private readonly redisClient: Redis | null,
  ) {}

  static async create(config: Pick<Config, 'rateLimits' | 'redisUrl' | 'redisKeyPrefix'>, logger: Logger, outages: DependencyOutages): Promise<RateLimits> {
    const redisClient = config.redisUrl ? await connectRedis(config.redisUrl, outages) : null;
    const limiterFor = (bucket: RateLimitBucket, limits: RateLimitBucketConfig): RateLimiterAbstract => {
      const options = { points: limits.points, duration: limits.durationSeconds };
      const memory = new RateLimiterMemory(options);
      if (!redisClient) return memory;
      return new RateLimiterRedis({
        ...options,
        storeClient: redisClient,
        keyPrefix: `${config.redisKeyPrefix}rate-limit:${bucket}`,
        insuranceLimiter: memory,
        rejectIfRedisNotReady: true,
        // Once a key is over its limit, this process refuses it from memory until the window ends,
        // so a flood costs no Redis round trips.
        inMemoryBlockOnConsumed: limits.points,
      });
    };
    const buckets = Object.keys(config.rateLimits) as RateLimitBucket[];
    const limiters = Object.fromEntries(buckets.map((bucket) => [bucket, limiterFor(bucket, config.rateLimits[bucket])]));
    return new RateLimits(limiters as Record<RateLimitBucket, RateLimiterAbstract>, logger.child({ component: 'rate-limits' }), redisClient);
  }

  get store(): 'memory' | 'redis' {
    return this.redisClient ? 'redis' : 'memory';
  }

  /** Takes `points` from the key's bucket. A limiter fault lets the request through (logged): limits never stop the service. */
  async consume(bucket: RateLimitBucket, key: string, points = 1): Promise<RateLimitDecision> {
    try {
      await this.limiters[bucket].consume(key, points);
      return ALLOWED;
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) {
        this.logger.error({ err: refusal, bucket }, 'rate limiter failed; the request is let through');
        return ALLOWED;
      }
      const limit = this.limiters[bucket].points;
      // Logged once per key and window: the first refusal (the store counts refused requests too).
      if (refusal.consumedPoints > limit && refusal.consumedPoints <= limit + points) {
        this.logger.warn({ bucket, key, limit, windowSeconds: this.limiters[bucket].duration }, 'rate limit reached');
      }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
    }
  }

  /** Seconds an IP must still wait after too many failed authentications; 0 when it may try. */
  failedAuthenticationWaitSeconds(ip: string): number {
    const until = this.failedAuthenticationBlockedUntil.get(ip);
    if (until === undefined) return 0;
    const waitMs = until - Date.now();
    if (waitMs > 0) return Math.ceil(waitMs / 1000);
    this.failedAuthenticationBlockedUntil.delete(ip);
    return 0;
  }

  /** Counts a refused token against its IP; once the bucket is empty, the IP waits out the window. */
  async recordFailedAuthentication(ip: string): Promise<RateLimitDecision> {
    const decision = await this.consume('failedAuthentication', ip);
    if (!decision.allowed) {
      if (this.failedAuthenticationBlockedUntil.size >= 100_000) this.forgetExpiredBlocks();
      this.failedAuthenticationBlockedUntil.set(ip, Date.now() + decision.retryAfterSeconds * 1000);
    }
    return decision;
  }

  async close(): Promise<void> {
    await this.redisClient?.quit().catch(() => this.redisClient?.disconnect());
  }

  private forgetExpiredBlocks(): void {
    const now = Date.now();
    for (const [ip, until] of this.failedAuthenticationBlockedUntil) if (until <= now) this.failedAuthenticationBlockedUntil.delete(ip);
  }
}

/** The bucket key of a principal: a user is counted per subject and account, a service per subject. */
export function principalRateLimitKey(principal: Principal): string {
  return principal.accountId === null ? principal.subject : `${principal.subject}@${principal.accountId}`;
}

/**
 * The bucket key of a client address: IPv4 as is (also when Node shows it as "::ffff:a.b.c.d"),
 * IPv6 by its /64 prefix, since one subscriber usually holds a whole /64.
 */
export function clientRateLimitKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  if (ip.startsWith('::ffff:') && ip.includes('.')) return ip.slice(7);
  if (!ip.includes(':')) return ip;
  const [head, tail = ''] = ip.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = ip.includes('::') && tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(Math.max(0, missing)).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** How long start-up waits for Redis, so counters are shared from the first request; after it, the server starts anyway. */
const REDIS_STARTUP_WAIT_MS = 2000;

async function connectRedis(url: string, outages: DependencyOutages): Promise<Redis> {
  // No offline queue and a short command timeout: while Redis is down or slow, a consume fails at
  // once and the insurance limiter answers, instead of requests waiting for a reconnection.
  const client = connectToRedis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: REDIS_COMMAND_TIMEOUT_MS });
  client.on('error', (error) => outages.lost('redis', 'rate limits', error));
  client.on('ready', () => outages.restored('redis', 'rate limits'));
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, REDIS_STARTUP_WAIT_MS);
    client.once('ready', done);
  });
  return client;
}
