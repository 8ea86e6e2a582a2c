import { serveBenchOperations } from '../../bench/processes';
import { graphql, sleep } from './client';

/**
 * A normal client in a process of its own, so what it measures is the server's latency and not
 * the event loop of the process sending the attack: `start` polls one operation (ten a second at
 * most, a busy console) until `take`, which answers the latencies of the answers with data, the
 * other answers (as errors) and how many were refused with 429.
 */
interface Polling {
  url: string;
  query: string;
  /** The root field an answer must carry to count as one. */
  field: string;
  variables: Record<string, unknown>;
  token: string;
  address: string;
}

let latencies: number[] = [];
let errors: string[] = [];
let refused = 0;
let stopRequested = false;
let warmedUp = false;
let running: Promise<void> = Promise.resolve();

async function poll(options: Polling): Promise<void> {
  // This process's first request pays its own start (Node loads its fetch client on first use,
  // tens of milliseconds): sent once, untimed, so the first window's figures are the server's.
  if (!warmedUp) {
    await graphql(options.url, options.query, options.variables, { token: options.token, headers: { 'x-forwarded-for': options.address } });
    warmedUp = true;
  }
  while (!stopRequested) {
    const answer = await graphql(options.url, options.query, options.variables, { token: options.token, headers: { 'x-forwarded-for': options.address } });
    if (answer.status === 429) refused += 1;
    if (answer.status === 200 && answer.codes.length === 0 && answer.body?.data?.[options.field]) latencies.push(answer.durationMs);
    else errors.push(`HTTP ${answer.status} ${answer.networkError ?? JSON.stringify(answer.body).slice(0, 200)}`);
    // Ten polls a second at most: a busy console, and well inside any per-client rate limit.
    await sleep(100);
  }
}

serveBenchOperations(
  {},
  {
    start: async (options: Polling) => {
      await running;
      stopRequested = false;
      running = poll(options);
    },
    take: async () => {
      stopRequested = true;
      await running;
      const taken = { latencies, errors, refused };
      latencies = [];
      errors = [];
      refused = 0;
      return taken;
    },
  },
  async () => {
    stopRequested = true;
    await running;
  },
);
