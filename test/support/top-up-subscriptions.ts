import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** One graphql-ws subscription whose events (and errors) are collected for a test. */
export interface CollectedEvents {
  events: any[];
  errors: unknown[];
  /** Resolves with the first `count` events, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<any[]>;
  close(): Promise<void>;
}

export function collectEvents(websocketUrl: string, token: string, query: string, variables: Record<string, unknown>): CollectedEvents {
  const client = createClient({
    url: websocketUrl,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  const events: any[] = [];
  const errors: unknown[] = [];
  const waiters: (() => void)[] = [];
  const notify = () => waiters.splice(0).forEach((wake) => wake());
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (message) => {
        if (message.errors) errors.push(...message.errors);
        if (message.data) events.push(message.data);
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
