import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * A graphql-ws client for tests, with the bearer token in connection_init, that collects the
 * events of one subscription. graphql-ws has no "subscribed" acknowledgement, so `live()` waits
 * until the server has registered the subscription with the bus.
 */
export interface CollectedSubscription<T> {
  events: T[];
  errors: unknown[];
  /** Resolves with the first `count` events, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  close(): Promise<void>;
}

export function connect(websocketUrl: string, token: string | null): Client {
  return createClient({
    url: websocketUrl,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
}

export function collect<T = Record<string, any>>(client: Client, query: string, variables: Record<string, unknown>): CollectedSubscription<T> {
  const events: T[] = [];
  const errors: unknown[] = [];
  const waiters: (() => void)[] = [];
  const notify = () => waiters.splice(0).forEach((wake) => wake());
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (message) => {
        if (message.errors) errors.push(...message.errors);
        if (message.data) events.push(message.data as T);
        notify();
      },
      error: (error) => {
        errors.push(error);
        notify();
      },
      complete: notify,
    },
  );
  return {
    events,
    errors,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count) {
        if (errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`timed out waiting for ${count} events (got ${events.length})`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remaining);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return events.slice(0, count);
    },
    async close() {
      dispose();
      await client.dispose();
    },
  };
}

/**
 * Makes sure a subscription is live before the test causes its event: repeats a harmless trigger
 * until the first event arrives, and returns how many triggers it took. A subscription the server
 * refused (errors collected) can never become live, so it returns at once for the test to inspect.
 */
export async function untilFirstEvent(subscription: CollectedSubscription<unknown>, trigger: () => Promise<void>, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let triggers = 0;
  while (subscription.events.length === 0) {
    if (subscription.errors.length > 0) return triggers;
    if (Date.now() > deadline) throw new Error('subscription never became live');
    await trigger();
    triggers++;
    await subscription.waitFor(1, 300).catch(() => undefined);
  }
  return triggers;
}
