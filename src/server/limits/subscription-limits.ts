import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { WebSocket } from 'ws';
import type { SubscriptionLimitsConfig } from '../../config';
import { graphQLRefusal } from '../../common/graphql-refusal';

/** Close codes a client sees; 4429 is graphql-ws's "too many" family, 1013 means "try again later". */
export const CloseCode = {
  TOO_MANY_CONNECTIONS: 4429,
  SLOW_CONSUMER: 1013,
} as const;

/** How long a dropped slow consumer gets to take its close frame before the TCP socket is cut. */
const SLOW_CONSUMER_GRACE_MS = 5000;

/** What the limiter needs of a graphql-ws connection context. */
export interface LimitedConnection {
  subscriptions: Record<string, unknown>;
  extra: { socket: WebSocket; request: IncomingMessage };
}

/**
 * The WebSocket side of "every request has a bounded cost": connections per IP (counted as the
 * socket opens, before any message), connections per principal (once connection_init carries a
 * valid token), subscriptions per connection and per principal, and a bounded queue per
 * subscriber so a client that stops reading is dropped instead of buffered without end.
 * The connection_init timeout itself is graphql-ws's `connectionInitWaitTimeout`.
 */
export class SubscriptionLimiter {
  private readonly connectionsByIp = new Map<string, number>();
  private readonly connectionsByPrincipal = new Map<string, Set<LimitedConnection>>();
  private readonly refusedByConnection = new WeakMap<LimitedConnection, number>();

  constructor(
    readonly limits: SubscriptionLimitsConfig,
    private readonly trustProxyHops: number,
  ) {}

  /** Counts a new socket against its IP; over the limit it is closed at once (4429). */
  admitSocket(socket: WebSocket, request: IncomingMessage): void {
    const ip = clientIpOf(request, this.trustProxyHops);
    const open = (this.connectionsByIp.get(ip) ?? 0) + 1;
    this.connectionsByIp.set(ip, open);
    socket.once('close', () => {
      const left = (this.connectionsByIp.get(ip) ?? 1) - 1;
      if (left > 0) this.connectionsByIp.set(ip, left);
      else this.connectionsByIp.delete(ip);
    });
    if (open > this.limits.maxConnectionsPerIp) {
      socket.close(CloseCode.TOO_MANY_CONNECTIONS, `Too many connections from this address (at most ${this.limits.maxConnectionsPerIp})`);
    }
  }

  /**
   * Registers an authenticated connection under its principal; over the limit the socket is
   * closed (4429) and false is returned so graphql-ws does not acknowledge it.
   */
  admitPrincipal(connection: LimitedConnection, principalKey: string): boolean {
    const connections = this.connectionsByPrincipal.get(principalKey) ?? new Set<LimitedConnection>();
    if (connections.size >= this.limits.maxConnectionsPerPrincipal) {
      connection.extra.socket.close(
        CloseCode.TOO_MANY_CONNECTIONS,
        `Too many connections for this principal (at most ${this.limits.maxConnectionsPerPrincipal})`,
      );
      return false;
    }
    connections.add(connection);
    this.connectionsByPrincipal.set(principalKey, connections);
    connection.extra.socket.once('close', () => {
      connections.delete(connection);
      if (connections.size === 0 && this.connectionsByPrincipal.get(principalKey) === connections) this.connectionsByPrincipal.delete(principalKey);
    });
    return true;
  }

  /**
   * Refusals for one more subscription (graphql-ws has already registered it, so it counts).
   * Counted from graphql-ws's own registry of live operations: nothing to forget on completion.
   */
  checkNewSubscription(connection: LimitedConnection, principalKey: string): readonly GraphQLError[] {
    const socket = connection.extra.socket;
    // Closed for its refusals: the subscribes still in the chunk being read cost nothing more.
    if (socket.readyState !== socket.OPEN) return CLOSING;
    const onConnection = Object.keys(connection.subscriptions).length;
    if (onConnection > this.limits.maxSubscriptionsPerConnection) {
      return this.refuse(connection, `Too many subscriptions on this connection (at most ${this.limits.maxSubscriptionsPerConnection}).`);
    }
    let forPrincipal = 0;
    for (const other of this.connectionsByPrincipal.get(principalKey) ?? []) forPrincipal += Object.keys(other.subscriptions).length;
    if (forPrincipal > this.limits.maxSubscriptionsPerPrincipal) {
      return this.refuse(connection, `Too many subscriptions for this principal (at most ${this.limits.maxSubscriptionsPerPrincipal}).`);
    }
    return [];
  }

  /**
   * A refusal for one subscribe. A connection refused more times than it may hold subscriptions is
   * not a console that miscounted but a flood: it is closed (4429), so the WebSocket reader, which
   * hands over every message of a received chunk at once, does not make and send a refusal for
   * each of hundreds more while the other clients wait for the event loop.
   */
  private refuse(connection: LimitedConnection, message: string): GraphQLError[] {
    const refused = (this.refusedByConnection.get(connection) ?? 0) + 1;
    this.refusedByConnection.set(connection, refused);
    if (refused > this.limits.maxSubscriptionsPerConnection) {
      connection.extra.socket.close(
        CloseCode.TOO_MANY_CONNECTIONS,
        `Too many refused subscriptions on this connection (more than ${this.limits.maxSubscriptionsPerConnection})`,
      );
    }
    return [limitError(message)];
  }

  /**
   * Wraps a subscription's event stream in a queue of at most `maxQueuedEventsPerSubscription`
   * events. A subscriber whose queue overflows, or whose socket holds more than
   * `maxBufferedBytesPerConnection` unsent bytes, is a slow consumer: its connection is closed
   * (1013, try again later) and the events it missed are dropped; it resubscribes and re-reads.
   */
  bound<T>(connection: LimitedConnection, source: AsyncIterable<T>): AsyncIterableIterator<T> {
    const socket = connection.extra.socket;
    return new BoundedEventQueue(source[Symbol.asyncIterator](), {
      maxQueued: this.limits.maxQueuedEventsPerSubscription,
      isBackedUp: () => socket.bufferedAmount > this.limits.maxBufferedBytesPerConnection,
      onOverflow: () => dropSlowConsumer(socket),
    });
  }
}

/** What a subscribe on a closing connection gets: nothing is sent on it any more (graphql-ws sends only on an open socket). */
const CLOSING: readonly GraphQLError[] = [graphQLRefusal('The connection is closing.', { extensions: { code: 'BAD_USER_INPUT' } })];

function limitError(message: string): GraphQLError {
  return graphQLRefusal(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

function dropSlowConsumer(socket: WebSocket): void {
  if (socket.readyState !== socket.OPEN) return;
  socket.close(CloseCode.SLOW_CONSUMER, 'Slow consumer: events were not read in time; reconnect and resubscribe');
  // The close frame waits behind the unread data; a client that never reads loses the socket.
  setTimeout(() => socket.terminate(), SLOW_CONSUMER_GRACE_MS).unref();
}

/**
 * The peer address, or behind TRUST_PROXY_HOPS proxies the address that many hops back in
 * X-Forwarded-For (as express's `trust proxy` does for HTTP), without the IPv4-mapped prefix.
 */
export function clientIpOf(request: IncomingMessage, trustProxyHops: number): string {
  const forwarded = request.headers['x-forwarded-for'];
  const chain = [request.socket.remoteAddress ?? 'unknown'];
  if (trustProxyHops > 0 && typeof forwarded === 'string') {
    chain.push(
      ...forwarded
        .split(',')
        .map((address) => address.trim())
        .filter(Boolean)
        .reverse(),
    );
  }
  const ip = chain[Math.min(trustProxyHops, chain.length - 1)];
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

interface QueueOptions {
  maxQueued: number;
  isBackedUp: () => boolean;
  onOverflow: () => void;
}

/**
 * Pulls events from the source as they come and holds at most `maxQueued` of them for the
 * consumer. A plain iterator, not an async generator, so `return()` (a client's "complete")
 * takes effect at once even while the consumer waits for the next event.
 */
class BoundedEventQueue<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | null = null;
  private sourceDone = false;
  private returned = false;
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly source: AsyncIterator<T>,
    private readonly options: QueueOptions,
  ) {
    void this.pump();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.sourceDone || this.returned) return this.settleEnd();
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  async return(): Promise<IteratorResult<T>> {
    this.stop();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<T>> {
    this.stop();
    throw error;
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const next = await this.source.next();
        if (next.done || this.returned) break;
        if (this.options.isBackedUp() || (!this.waiting && this.queue.length >= this.options.maxQueued)) {
          this.options.onOverflow();
          this.stop();
          return;
        }
        if (this.waiting) {
          const waiting = this.waiting;
          this.waiting = null;
          waiting.resolve({ value: next.value, done: false });
        } else {
          this.queue.push(next.value);
        }
      }
    } catch (error) {
      this.failure = { error };
    }
    this.sourceDone = true;
    this.wakeAtEnd();
  }

  private stop(): void {
    if (this.returned) return;
    this.returned = true;
    this.queue.length = 0;
    // Not awaited: an async-generator source only returns once its pending next() settles.
    void Promise.resolve(this.source.return?.()).catch(() => undefined);
    this.wakeAtEnd();
  }

  private wakeAtEnd(): void {
    if (!this.waiting || this.queue.length > 0) return;
    const waiting = this.waiting;
    this.waiting = null;
    this.settleEnd().then(waiting.resolve, waiting.reject);
  }

  private settleEnd(): Promise<IteratorResult<T>> {
    if (this.failure) {
      const { error } = this.failure;
      this.failure = null;
      return Promise.reject(error);
    }
    return Promise.resolve({ value: undefined, done: true });
  }
}
