import { createPubSub, PubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type Redis from 'ioredis';
import { connectToRedis } from '../common/redis-connection';
import type { DependencyOutages } from '../common/dependency-outages';
import type { Logger } from '../common/logger';
import { prefixedChannel, withChannelPrefix } from './channel-prefix';

type BusEvents = Record<string, [string, Record<string, unknown>]>;

/** `publish` could not hand the event to Redis (away, or its subscriber not back yet): the outbox keeps the row and tries again. */
export class BusUnavailableError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'BusUnavailableError';
  }
}

export const isBusUnavailable = (error: unknown): boolean => error instanceof BusUnavailableError;

/**
 * The pub/sub bus between the outbox and the subscriptions: in memory for one process, Redis
 * when several processes share the work (each process's subscribers then hear every publisher).
 *
 * Redis may go away. `publish` then fails (after a bounded wait) instead of pretending, so the
 * outbox keeps the row and publishes it once Redis is back: notifications are delayed, not lost.
 * Subscribing waits for Redis to return (ioredis re-subscribes every channel on reconnect), and no
 * Redis failure ever becomes an unhandled rejection that would stop the process.
 */
export class NotificationBus {
  /** The publish of the event being dispatched, captured so that `publish` can await it. */
  private pendingPublish: Promise<unknown> | null = null;
  /**
   * Whether this process's subscriber connection is up with its channels subscribed again. Redis
   * pub/sub drops what is published while a subscriber is away, so publishing waits for it: an
   * event published between the publisher's reconnect and the subscriber's would be lost here.
   */
  private subscriberLive = true;

  private constructor(
    readonly pubSub: PubSub<BusEvents>,
    private readonly redisClients: Redis[],
    /** Redis only: each channel's SUBSCRIBE, answered once Redis has it (see `listening`). */
    private readonly subscribing: Map<string, Promise<unknown>> | null = null,
    private readonly channelOf: (topic: string, key: string) => string = (topic, key) => `${topic}:${key}`,
  ) {}

  static inMemory(): NotificationBus {
    return new NotificationBus(createPubSub<BusEvents>(), []);
  }

  /**
   * `channelPrefix`: REDIS_KEY_PREFIX, in front of every channel name (see channel-prefix.ts). Both
   * connections report to `outages` when they lose Redis and when they are back.
   */
  static redis(url: string, channelPrefix: string, { logger, outages }: { logger: Logger; outages: DependencyOutages }): NotificationBus {
    // Publishing is the outbox's job, which retries on its own: fail fast-ish and let it.
    const publishClient = connectToRedis(url, { maxRetriesPerRequest: 2, lazyConnect: false });
    // A subscribe issued while Redis is away waits for it rather than failing: no retry limit.
    const subscribeClient = connectToRedis(url, { maxRetriesPerRequest: null, lazyConnect: false });
    let bus: NotificationBus | null = null;
    const capturingPublisher = {
      publish: (channel: string, message: string) => {
        const sent = publishClient.publish(channel, message);
        if (bus) bus.pendingPublish = sent;
        else sent.catch(() => undefined);
        return sent;
      },
    } as unknown as Redis;
    const subscribing = new Map<string, Promise<unknown>>();
    const quietSubscriber = {
      on: (event: string, listener: (...args: unknown[]) => void) => subscribeClient.on(event, listener),
      subscribe: (channel: string) => {
        const subscribed = subscribeClient.subscribe(channel).catch((error) => logger.warn({ err: error, channel }, 'Redis subscribe failed'));
        subscribing.set(channel, subscribed);
        return subscribed;
      },
      unsubscribe: (channel: string) => {
        subscribing.delete(channel);
        return subscribeClient.unsubscribe(channel).catch((error) => logger.warn({ err: error, channel }, 'Redis unsubscribe failed'));
      },
    } as unknown as Redis;
    const publishWatcher = 'notification bus (publish)';
    const subscribeWatcher = 'notification bus (subscribe)';
    for (const [watcher, client] of [
      [publishWatcher, publishClient],
      [subscribeWatcher, subscribeClient],
    ] as const) {
      client.on('error', (error) => outages.lost('redis', watcher, error));
    }
    publishClient.on('ready', () => outages.restored('redis', publishWatcher));
    const eventTarget = createRedisEventTarget<CustomEvent>({ publishClient: capturingPublisher, subscribeClient: quietSubscriber });
    const created = new NotificationBus(
      createPubSub<BusEvents>({ eventTarget: withChannelPrefix(eventTarget, channelPrefix) }),
      [publishClient, subscribeClient],
      subscribing,
      (topic, key) => prefixedChannel(channelPrefix, `${topic}:${key}`),
    );
    bus = created;
    subscribeClient.on('close', () => (created.subscriberLive = false));
    // ioredis re-subscribes every channel on 'ready'; a PING answered after those SUBSCRIBEs (one
    // connection, answers in order) says they are all in place, and only then is Redis back for the bus.
    subscribeClient.on('ready', () => {
      subscribeClient.ping().then(
        () => {
          created.subscriberLive = true;
          outages.restored('redis', subscribeWatcher);
        },
        () => undefined,
      );
    });
    return created;
  }

  get kind(): 'memory' | 'redis' {
    return this.redisClients.length > 0 ? 'redis' : 'memory';
  }

  /** Resolves once the event is handed to every local subscriber, or to Redis; rejects if Redis refused it. */
  async publish(topic: string, key: string, payload: Record<string, unknown>): Promise<void> {
    if (!this.subscriberLive) throw new BusUnavailableError('the Redis subscriber connection is not back yet; the outbox keeps the event');
    this.pendingPublish = null;
    this.pubSub.publish(topic, key, payload);
    const sent = this.pendingPublish as Promise<unknown> | null;
    this.pendingPublish = null;
    if (sent) await sent.catch((error) => Promise.reject(new BusUnavailableError('Redis did not take the event; the outbox keeps it', error)));
  }

  subscribe(topic: string, key: string): AsyncIterable<Record<string, unknown>> {
    return this.pubSub.subscribe(topic, key) as AsyncIterable<Record<string, unknown>>;
  }

  /**
   * Resolves once a subscription to this topic and key, started by asking its iterator for an event,
   * hears every later publish: at once in memory; on Redis when Redis has answered its SUBSCRIBE
   * (which waits for Redis while it is away).
   */
  async listening(topic: string, key: string): Promise<void> {
    await this.subscribing?.get(this.channelOf(topic, key));
  }

  /**
   * A connected client says QUIT; one that is not connected (Redis away) is dropped at once: QUIT
   * would wait in its offline queue, behind any SUBSCRIBE it holds, for a connection that may not come.
   */
  async close(): Promise<void> {
    await Promise.all(
      this.redisClients.map((client) => (client.status === 'ready' ? client.quit().catch(() => client.disconnect()) : Promise.resolve(client.disconnect()))),
    );
  }
}
