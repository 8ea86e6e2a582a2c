import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Role } from '../../src/auth/principal';
import { startBenchProcess } from './processes';
import type { BenchSettings, Figure } from './settings';

const BALANCE_CHANGED = 'subscription($id: ID!) { balanceChanged(accountId: $id) { eventId totalBalance } }';
const GRANT = 'mutation($input: GrantPromotionalCreditsInput!) { grantPromotionalCredits(input: $input) { grant { id } } }';
const PROBE_SUBSCRIPTIONS = 10;

interface Watched {
  client: Client;
  received: number[];
  dispose: (() => void)[];
}

/**
 * `balanceChanged` delivery with 10 open subscriptions (all on the probe account) against the same
 * 10 plus enough idle ones, on other accounts, to make BENCH_SUBSCRIPTIONS: latency from sending a
 * grant to each probe subscriber receiving its event, p99 over BENCH_SUBSCRIPTION_EVENTS grants.
 * The server's RSS is read with all of them open.
 */
export async function subscriptionsBenchmark(settings: BenchSettings): Promise<Figure[]> {
  // Thousands of subscriptions from one address and one principal are this benchmark's load, not an
  // attack: the subscription caps (and the slow-consumer bounds, which the load generator's own busy
  // event loop could trip) are raised for it; BENCH_SERVER_ENV still overrides.
  const limits = {
    WS_MAX_CONNECTIONS_PER_PRINCIPAL: '10000',
    WS_MAX_CONNECTIONS_PER_IP: '10000',
    WS_MAX_SUBSCRIPTIONS_PER_PRINCIPAL: '100000',
    WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '10000',
    WS_MAX_BUFFERED_BYTES: '67108864',
    WS_MAX_QUEUED_EVENTS: '10000',
  };
  const server = await startBenchProcess('server.process.ts', {
    BENCH_SERVER_ENV: JSON.stringify({ ...limits, ...(process.env.BENCH_SERVER_ENV ? JSON.parse(process.env.BENCH_SERVER_ENV) : {}) }),
  });
  const opened: Watched[] = [];
  try {
    const admin = await server.call<string>('adminToken');
    let keys = 0;
    const grant = async (accountId: string) => {
      const response = await fetch(server.info.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({
          query: GRANT,
          variables: { input: { accountId, amount: '0.01', reason: 'benchmark', idempotencyKey: `bench-grant-${process.pid}-${++keys}` } },
        }),
      });
      const body = await response.text();
      if (!body.startsWith('{"data":')) throw new Error(`grant refused: ${body.slice(0, 300)}`);
    };
    const open = async (accountId: string, count: number): Promise<Watched> => {
      const token = await server.call<string>('userToken', { accountId, role: Role.VIEWER });
      const client = createClient({
        url: server.info.websocketUrl,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${token}` },
      });
      const watched: Watched = { client, received: Array(count).fill(0), dispose: [] };
      for (let index = 0; index < count; index++) {
        watched.dispose.push(
          client.subscribe(
            { query: BALANCE_CHANGED, variables: { id: accountId } },
            {
              next: () => {
                watched.received[index]++;
                wake();
              },
              error: (error) => console.error('subscription error', error),
              complete: () => undefined,
            },
          ),
        );
      }
      opened.push(watched);
      return watched;
    };
    /** graphql-ws acknowledges no subscription: an event that reaches every subscriber proves them live. */
    const untilLive = async (accountId: string, watched: Watched) => {
      // A grant sent before a subscription is live reaches only some of them: send one every half
      // second until every subscriber has seen at least one event.
      const target = Math.min(...watched.received) + 1;
      const deadline = Date.now() + 30_000;
      while (Math.min(...watched.received) < target) {
        if (Date.now() > deadline) throw new Error('timed out waiting for subscription events');
        await grant(accountId);
        await until(() => Math.min(...watched.received) >= target, 500).catch(() => undefined);
      }
    };
    const [probeAccount] = await server.call<string[]>('createAccounts', { count: 1 });
    const probe = await open(probeAccount, PROBE_SUBSCRIPTIONS);
    await untilLive(probeAccount, probe);
    const deliveries = async () => {
      const latencies: number[] = [];
      for (let event = 0; event < settings.subscriptionEvents; event++) {
        const before = [...probe.received];
        const started = performance.now();
        await grant(probeAccount);
        const pending = new Set(probe.received.map((_, index) => index));
        await until(() => {
          for (const index of pending) {
            if (probe.received[index] > before[index]) {
              latencies.push(performance.now() - started);
              pending.delete(index);
            }
          }
          return pending.size === 0;
        }, 10_000);
      }
      return latencies;
    };
    await deliveries(); // warm-up
    const few = await deliveries();
    const backgroundConnections = Math.ceil((settings.subscriptions - PROBE_SUBSCRIPTIONS) / settings.subscriptionsPerConnection);
    const backgroundAccounts = await server.call<string[]>('createAccounts', { count: backgroundConnections });
    let remaining = settings.subscriptions - PROBE_SUBSCRIPTIONS;
    for (const accountId of backgroundAccounts) {
      const watched = await open(accountId, Math.min(remaining, settings.subscriptionsPerConnection));
      remaining -= watched.received.length;
      await untilLive(accountId, watched);
    }
    const memory = await server.call<NodeJS.MemoryUsage>('memory');
    const many = await deliveries();
    few.push(...(await deliveries())); // the baseline again, after: drift hits both alike
    const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.99))];
    const ratio = p99(many) / p99(few);
    return [
      {
        figure: `\`balanceChanged\` delivery p99: ${settings.subscriptions.toLocaleString('en')} vs ${PROBE_SUBSCRIPTIONS} open subscriptions`,
        candidate: `${p99(many).toFixed(1)} ms`,
        baseline: `${p99(few).toFixed(1)} ms`,
        ratio,
        goal: '≤ 2.0',
        met: ratio <= 2,
      },
      {
        figure: `server RSS with ${settings.subscriptions.toLocaleString('en')} subscriptions (${backgroundConnections + 1} connections)`,
        candidate: `${(memory.rss / 2 ** 20).toFixed(0)} MiB (heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB)`,
        baseline: '',
        ratio: null,
        goal: 'reported',
        met: null,
      },
    ];
  } finally {
    for (const watched of opened) {
      watched.dispose.forEach((dispose) => dispose());
      await watched.client.dispose();
    }
    await server.stop();
  }
}

let waiters: (() => void)[] = [];
/** Wakes every `until` on each delivered event, so waiting costs the load process no polling. */
function wake(): void {
  const woken = waiters;
  waiters = [];
  woken.forEach((resolve) => resolve());
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for subscription events');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 100);
      waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
