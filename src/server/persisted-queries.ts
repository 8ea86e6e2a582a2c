import type { PersistedQueryOptions } from '@apollo/server';
import Redis from 'ioredis';
import type { Logger } from '../common/logger';
import type { Config } from '../config';

/** A persisted query is a cache: an answer slower than this is treated as a miss, not waited for. */
const REDIS_COMMAND_TIMEOUT_MS = 250;
/** At most one log line per this interval while Redis is unreachable. */
const REDIS_ERROR_LOG_INTERVAL_MS = 30_000;

// Apollo's KeyValueCache interface, named through @apollo/server (which depends on the package that declares it).
type KeyValueCache = NonNullable<PersistedQueryOptions['cache']>;
type KeyValueCacheSetOptions = Parameters<KeyValueCache['set']>[2];

export interface PersistedQueryCache {
  /** Apollo Server's `persistedQueries` option. */
  options: { cache?: KeyValueCache; ttl: number };
  close(): Promise<void>;
}

/**
 * Automatic persisted queries (APQ) shared by every process: with REDIS_URL, a query registered on
 * one process (hash + text) is found by the others, so a client behind a load balancer does not
 * re-send the text each time its request lands on another process. Without Redis, Apollo's
 * in-memory cache of each process. Either way entries expire after GRAPHQL_PERSISTED_QUERY_TTL_SECONDS.
 */
export function createPersistedQueryCache(
  config: Pick<Config, 'redisUrl' | 'redisKeyPrefix' | 'persistedQueryTtlSeconds'>,
  logger: Logger,
): PersistedQueryCache {
  const ttl = config.persistedQueryTtlSeconds;
  if (!config.redisUrl) return { options: { ttl }, close: async () => undefined };
  const cache = new RedisKeyValueCache(config.redisUrl, config.redisKeyPrefix, logger.child({ component: 'persisted-queries' }));
  return { options: { cache, ttl }, close: () => cache.close() };
}

/**
 * Apollo's small key-value interface on ioredis. Apollo already prefixes APQ keys with `apq:`, so
 * an entry is `<REDIS_KEY_PREFIX>apq:<sha256>`. Redis being away never fails a request: a read
 * answers "not found" (the client then sends the full text, as APQ intends) and a write is dropped.
 */
export class RedisKeyValueCache implements KeyValueCache {
  private readonly client: Redis;
  private lastLoggedAt = 0;

  constructor(
    url: string,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
  ) {
    this.client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: REDIS_COMMAND_TIMEOUT_MS });
    this.client.on('error', (error) => this.logFault(error));
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.client.get(this.keyPrefix + key)) ?? undefined;
    } catch (error) {
      this.logFault(error);
      return undefined;
    }
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    try {
      if (options?.ttl) await this.client.set(this.keyPrefix + key, value, 'EX', options.ttl);
      else await this.client.set(this.keyPrefix + key, value);
    } catch (error) {
      this.logFault(error);
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      return (await this.client.del(this.keyPrefix + key)) > 0;
    } catch (error) {
      this.logFault(error);
      return false;
    }
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private logFault(error: unknown): void {
    if (Date.now() - this.lastLoggedAt < REDIS_ERROR_LOG_INTERVAL_MS) return;
    this.lastLoggedAt = Date.now();
    this.logger.warn({ err: error }, 'persisted queries: Redis unreachable; clients send full queries until it returns');
  }
}
