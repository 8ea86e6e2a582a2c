import autocannon from 'autocannon';
import type { EventLoopDelay } from './event-loop-delay';

export interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  /** The server's event-loop delay over the run, where the benchmark read it. */
  eventLoop?: EventLoopDelay;
  /** CPU time (µs) the server spent per request answered, where the benchmark read it. */
  cpuMicrosPerRequest?: number;
}

export interface LoadRequest {
  body: string;
  headers?: Record<string, string>;
}

/**
 * Closed-loop load from this process (never the server's): `concurrency` keep-alive connections,
 * each sending its next request when the last one answered. Every answer is checked; one bad
 * answer (a transport error, a non-2xx, or a body `verify` refuses) fails the benchmark, because a
 * fast error is not a result.
 */
export async function measure(options: {
  url: string;
  concurrency: number;
  durationMs: number;
  request: () => LoadRequest;
  verify?: (body: string) => boolean;
}): Promise<LoadResult> {
  const target = new URL(options.url);
  const verify = options.verify ?? expectGraphQLData;
  let firstRefused: string | null = null;
  const result = await autocannon({
    url: target.origin,
    connections: options.concurrency,
    pipelining: 1,
    duration: options.durationMs / 1000,
    requests: [
      {
        method: 'POST',
        path: target.pathname,
        setupRequest: (request: Record<string, unknown>) => {
          const next = options.request();
          return { ...request, body: next.body, headers: { 'content-type': 'application/json', ...next.headers } };
        },
      },
    ],
    verifyBody: (body: string) => {
      const accepted = verify(body);
      if (!accepted) firstRefused ??= body.slice(0, 300);
      return accepted;
    },
  });
  const failures = result.errors + result.timeouts + result.non2xx + (result.mismatches ?? 0);
  if (failures > 0) {
    throw new Error(
      `${failures} of ${result.requests.total} requests failed (errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}, refused bodies ${result.mismatches})${firstRefused ? `; first refused answer: ${firstRefused}` : ''}`,
    );
  }
  if (result.requests.total === 0) throw new Error(`no request was answered within ${options.durationMs} ms; raise BENCH_DURATION_MS`);
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

/** A GraphQL answer with data and no errors. */
export const expectGraphQLData = (body: string): boolean => body.startsWith('{"data":') && !body.includes('"errors":');

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * Runs every workload once per round, in the same order each round, so drift (JIT warm-up, GC,
 * the other engineers on the machine) hits all of them alike; figures are the medians per workload.
 */
export async function alternate<Name extends string>(rounds: number, workloads: Record<Name, () => Promise<LoadResult>>): Promise<Record<Name, LoadResult[]>> {
  const results = Object.fromEntries(Object.keys(workloads).map((name) => [name, [] as LoadResult[]])) as Record<Name, LoadResult[]>;
  for (let round = 0; round < rounds; round++) {
    for (const name of Object.keys(workloads) as Name[]) {
      try {
        results[name].push(await workloads[name]());
      } catch (error) {
        throw new Error(`${name}, round ${round + 1}: ${error instanceof Error ? error.message : error}`, { cause: error });
      }
    }
  }
  return results;
}

export const medianRate = (results: LoadResult[]): number => median(results.map((result) => result.requestsPerSecond));

/** The median CPU time per request over runs that measured it; undefined when one did not. */
export const medianCpuPerRequest = (results: LoadResult[]): number | undefined =>
  results.every((result) => result.cpuMicrosPerRequest !== undefined) ? median(results.map((result) => result.cpuMicrosPerRequest!)) : undefined;

/**
 * Warm-up rounds before the measured ones, for workloads on freshly bulk-loaded data: the first
 * requests read cold pages (and, on MariaDB, merge the secondary-index changes buffered during
 * the load), so a slow or timed-out answer here is expected and only reported; the measured
 * rounds still refuse any failure.
 */
export async function warmUp<Name extends string>(rounds: number, workloads: Record<Name, () => Promise<LoadResult>>): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(workloads) as [Name, () => Promise<LoadResult>][]) {
      try {
        await run();
      } catch (error) {
        console.log(`  warm-up of ${name}: ${error instanceof Error ? error.message : error} (not counted)`);
      }
    }
  }
}
