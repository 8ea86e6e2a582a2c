import type { PersistedQueryOptions } from '@apollo/server';
import type Redis from 'ioredis';
import { connectToRedis } from '../common/redis-connection';
import type { DependencyOutages } from '../common/dependency-outages';
import type { Config } from '../config';

/** A persisted query is a cache: an answer slower than this is treated as a miss, not waited for. */
const REDIS_COMMAND_TIMEOUT_MS = 250;

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
  outages: DependencyOutages,
): PersistedQueryCache {
  const ttl = config.persistedQueryTtlSeconds;
  if (!config.redisUrl) return { options: { ttl }, close: async () => undefined };
  const cache = new RedisKeyValueCache(config.redisUrl, config.redisKeyPrefix, outages);
  return { options: { cache, ttl }, close: () => cache.close() };
}

/**
 * Apollo's small key-value interface on ioredis. Apollo already prefixes APQ keys with `apq:`, so
 * an entry is `<REDIS_KEY_PREFIX>apq:<sha256>`. Redis being away or slow never fails a request: a
 * read answers "not found" (the client then sends the full text, as APQ intends) and a write is
 * dropped. The connection reports to `outages` when it loses Redis and when it is back; a command
 * that fails meanwhile says nothing more.
 */
export class RedisKeyValueCache implements KeyValueCache {
  private readonly client: Redis;

  constructor(
    url: string,
    private readonly keyPrefix: string,
    outages: DependencyOutages,
  ) {
    this.client = connectToRedis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: REDIS_COMMAND_TIMEOUT_MS });
    this.client.on('error', (error) => outages.lost('redis', 'persisted queries', error));
    this.client.on('ready', () => outages.restored('redis', 'persisted queries'));
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.client.get(this.keyPrefix + key).catch(() => null)) ?? undefined;
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const written = options?.ttl ? this.client.set(this.keyPrefix + key, value, 'EX', options.ttl) : this.client.set(this.keyPrefix + key, value);
    await written.catch(() => undefined);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.client.del(this.keyPrefix + key).catch(() => 0)) > 0;
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
