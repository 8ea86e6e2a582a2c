import http from 'node:http';

/** A closed-loop HTTP load generator on keep-alive sockets: `concurrency` clients, each sending its next request when the last answered. */
export async function measureThroughput(options: {
  url: string;
  body: () => string;
  /** Fixed headers, or a function called right after `body()` for per-request headers. */
  headers?: Record<string, string> | (() => Record<string, string>);
  concurrency: number;
  durationMs: number;
  /** Checks each answer; a failing request aborts the benchmark (a fast error is not a result). */
  check?: (status: number, body: string) => void;
}): Promise<{ requestsPerSecond: number; requests: number; p50Ms: number; p99Ms: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const target = new URL(options.url);
  const latencies: number[] = [];
  const deadline = performance.now() + options.durationMs;
  const send = () =>
    new Promise<void>((resolve, reject) => {
      const payload = options.body();
      const headers = typeof options.headers === 'function' ? options.headers() : options.headers;
      const started = performance.now();
      const request = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => {
            latencies.push(performance.now() - started);
            try {
              options.check?.(response.statusCode ?? 0, Buffer.concat(chunks).toString());
              resolve();
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  const client = async () => {
    while (performance.now() < deadline) await send();
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const elapsedSeconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    requestsPerSecond: latencies.length / elapsedSeconds,
    p50Ms: latencies[Math.floor(latencies.length * 0.5)] ?? 0,
    p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
  };
}

/** Runs baseline and candidate in alternating rounds so drift (JIT, GC, the other core) hits both alike. */
export async function compare(options: {
  rounds: number;
  baseline: () => Promise<{ requestsPerSecond: number }>;
  candidate: () => Promise<{ requestsPerSecond: number }>;
}): Promise<{ baseline: number; candidate: number; ratio: number }> {
  let baseline = 0;
  let candidate = 0;
  for (let round = 0; round < options.rounds; round++) {
    baseline += (await options.baseline()).requestsPerSecond;
    candidate += (await options.candidate()).requestsPerSecond;
  }
  baseline /= options.rounds;
  candidate /= options.rounds;
  return { baseline, candidate, ratio: candidate / baseline };
}

export const expectGraphQLData = (status: number, body: string) => {
  if (status !== 200) throw new Error(`HTTP ${status}: ${body.slice(0, 200)}`);
  const parsed = JSON.parse(body);
  if (parsed.errors) throw new Error(`GraphQL errors: ${JSON.stringify(parsed.errors).slice(0, 300)}`);
};
