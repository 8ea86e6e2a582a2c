/** What the server's `/metrics` says about its event loop since the previous read. */
export interface EventLoopDelay {
  p99Ms: number;
  maxMs: number;
}

/**
 * Reads the event-loop delay the server exports on `/metrics` (prom-client's default metrics,
 * sampled by Node's `monitorEventLoopDelay`): its p99 and max since the previous read, because
 * every read resets the histogram. So read once before a window to start it, and once after.
 */
export async function eventLoopDelay(server: { baseUrl: string } | string): Promise<EventLoopDelay> {
  const base = typeof server === 'string' ? server : server.baseUrl;
  const response = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  const text = await response.text();
  const seconds = (name: string) => {
    const match = new RegExp(`^${name} ([0-9.eE+-]+)$`, 'm').exec(text);
    if (!match) throw new Error(`/metrics has no ${name}`);
    return Number(match[1]);
  };
  return { p99Ms: seconds('nodejs_eventloop_lag_p99_seconds') * 1000, maxMs: seconds('nodejs_eventloop_lag_max_seconds') * 1000 };
}
