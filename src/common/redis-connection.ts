import type Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { onFirstUse } from './on-first-use';

/** ioredis, required with the first connection (REDIS_URL set), not when the app loads: a process without Redis never needs it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ioredis = onFirstUse(() => require('ioredis') as typeof Redis);

/** A new ioredis connection to `url`. */
export function connectToRedis(url: string, options: RedisOptions): Redis {
  const RedisClient = ioredis();
  return new RedisClient(url, options);
}
