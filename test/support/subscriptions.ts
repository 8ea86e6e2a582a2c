import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * A graphql-ws client for tests, with the bearer token in connection_init, that collects the
 * events of one subscription. graphql-ws has no "subscribed" acknowledgement, so `untilFirstEvent`
 * waits until the server has registered the subscription with the bus.
 */
export interface CollectedSubscription<T> {
  events: T[];
  errors: unknown[];
  /**
   * For a subscription that starts with the current state (`balanceChanged`, `topUpStatusChanged`;
   * `collect(…, { currentStateFirst: true })`): that first message, kept out of `events`; null until it came.
   */
  current: T | null;
  readonly currentStateFirst: boolean;
  /** Resolves with the current-state message, or rejects after `timeoutMs`. */
  waitForCurrent(timeoutMs?: number): Promise<T>;
  /** Resolves with the first `count` events, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  close(): Promise<void>;
}

/** `balanceChanged` with every field of a BalanceUpdate but `occurredAt`. */
export const BALANCE_CHANGED = /* GraphQL */ `
  subscription BalanceChanged($accountId: ID!) {
    balanceChanged(accountId: $accountId) {
      eventId
      accountId
      totalBalance
      topUpBalance
      promotionalBalance
      movementType
      amount
    }
  }
`;

export function connect(websocketUrl: string, token: string | null): Client {
  return createClient({
    url: websocketUrl,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
}

export function collect<T = Record<string, any>>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  options: { currentStateFirst?: boolean } = {},
): CollectedSubscription<T> {
  const events: T[] = [];
  const errors: unknown[] = [];
  let awaitingCurrent = options.currentStateFirst === true;
  const waiters: (() => void)[] = [];
  const notify = () => waiters.splice(0).forEach((wake) => wake());
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (message) => {
        if (message.errors) errors.push(...message.errors);
        if (message.data && awaitingCurrent) {
          awaitingCurrent = false;
          collected.current = message.data as T;
        } else if (message.data) events.push(message.data as T);
        notify();
      },
      error: (error) => {
        errors.push(error);
        notify();
      },
      complete: notify,
    },
  );
  const until = async (done: () => boolean, timeoutMs: number, what: () => string) => {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${what()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
  const collected: CollectedSubscription<T> = {
    events,
    errors,
    current: null,
    currentStateFirst: options.currentStateFirst === true,
    async waitForCurrent(timeoutMs = 10_000) {
      await until(
        () => collected.current !== null,
        timeoutMs,
        () => 'the current-state message',
      );
      return collected.current!;
    },
    async waitFor(count, timeoutMs = 10_000) {
      await until(
        () => events.length >= count,
        timeoutMs,
        () => `${count} events (got ${events.length})`,
      );
      return events.slice(0, count);
    },
    async close() {
      dispose();
      await client.dispose();
    },
  };
  return collected;
}

/**
 * Makes sure a subscription is live before the test causes its event: repeats a harmless trigger
 * until the first event arrives, and returns how many triggers it took. A subscription the server
 * refused (errors collected) can never become live, so it returns at once for the test to inspect.
 * A subscription collected with `currentStateFirst` is live once its current-state message came
 * (sent after the server listens on the bus), so that is awaited before the first trigger.
 */
export async function untilFirstEvent(subscription: CollectedSubscription<unknown>, trigger: () => Promise<void>, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  if (subscription.currentStateFirst) await subscription.waitForCurrent(timeoutMs).catch(() => undefined);
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
