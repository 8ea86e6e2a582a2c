import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedDestination } from './destination-guard';

export interface SendLimits {
  /** The whole exchange: connect, send, status line and the (bounded) body. */
  timeoutMs: number;
  /** Bytes of the answer read at most; the connection is closed after that. */
  maxResponseBytes: number;
}

export interface SendOutcome {
  responseCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * POSTs one delivery to a checked destination. The connection goes to the checked address (the
 * `lookup` below answers with it), while the Host header and TLS name stay the URL's host, so a
 * DNS answer that changes after the check cannot redirect it. Redirects are not followed.
 */
export function sendWebhook(
  destination: CheckedDestination,
  request: { body: string; headers: Record<string, string> },
  limits: SendLimits,
): Promise<SendOutcome> {
  const started = Date.now();
  const pinnedLookup = ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: destination.address, family: destination.family }]);
    else callback(null, destination.address, destination.family);
  }) as unknown as LookupFunction;
  const transport = destination.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (responseCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ responseCode, error, durationMs: Date.now() - started });
    };
    const outgoing = transport.request(
      destination.url,
      {
        method: 'POST',
        lookup: pinnedLookup,
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(request.body),
          'user-agent': 'Credits-Webhooks/1',
          ...request.headers,
        },
      },
      (response) => {
        const status = response.statusCode ?? null;
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          // The status is all we need; a long answer is cut off rather than read.
          if (received > limits.maxResponseBytes) {
            response.destroy();
            finish(status, null);
          }
        });
        response.on('end', () => finish(status, null));
        response.on('error', () => finish(status, null));
        response.on('close', () => finish(status, null));
      },
    );
    const timer = setTimeout(() => {
      outgoing.destroy();
      finish(null, `no complete answer within ${limits.timeoutMs} ms`);
    }, limits.timeoutMs);
    outgoing.on('error', (error: NodeJS.ErrnoException) => finish(null, `connection failed: ${error.code ?? error.message}`.slice(0, 255)));
    outgoing.end(request.body);
  });
}
