import { createPubSub, PubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import Redis from 'ioredis';
import { withChannelPrefix } from './channel-prefix';

type BusEvents = Record<string, [string, Record<string, unknown>]>;

/**
 * The pub/sub bus between the outbox and the subscriptions: in memory for one process, Redis
 * when several processes share the work (each process's subscribers then hear every publisher).
 */
export class NotificationBus {
  private constructor(
    readonly pubSub: PubSub<BusEvents>,
    private readonly redisClients: Redis[],
  ) {}

  static inMemory(): NotificationBus {
    return new NotificationBus(createPubSub<BusEvents>(), []);
  }

  /** `channelPrefix`: REDIS_KEY_PREFIX, in front of every channel name (see channel-prefix.ts). */
  static redis(url: string, channelPrefix: string): NotificationBus {
    const publishClient = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false });
    const subscribeClient = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false });
    const eventTarget = createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient });
    return new NotificationBus(createPubSub<BusEvents>({ eventTarget: withChannelPrefix(eventTarget, channelPrefix) }), [publishClient, subscribeClient]);
  }

  get kind(): 'memory' | 'redis' {
    return this.redisClients.length > 0 ? 'redis' : 'memory';
  }

  async publish(topic: string, key: string, payload: Record<string, unknown>): Promise<void> {
    this.pubSub.publish(topic, key, payload);
  }

  subscribe(topic: string, key: string): AsyncIterable<Record<string, unknown>> {
    return this.pubSub.subscribe(topic, key) as AsyncIterable<Record<string, unknown>>;
  }

  async close(): Promise<void> {
    await Promise.all(this.redisClients.map((client) => client.quit().catch(() => client.disconnect())));
  }
}
