import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

/** Where a provider SDK whose base URL cannot be changed is sent instead: a local stand-in. */
export interface LoopbackTlsTarget {
  host: string;
  port: number;
  /** The name the stand-in's certificate carries; the TLS handshake verifies it. */
  serverName: string;
  /** PEM of the CA that issued the stand-in's certificate (a test-only CA). */
  caPem: string;
}

/**
 * An HTTPS agent that opens every connection to the stand-in, whatever host the request names,
 * with certificate verification still on: the chain must lead to the given test CA and the
 * certificate must carry `serverName`. Used for PayPal, whose SDK only knows its two real hosts.
 */
export function createLoopbackHttpsAgent(target: LoopbackTlsTarget): https.Agent {
  const agent = new https.Agent({ ca: target.caPem, keepAlive: true, maxSockets: 16 });
  const connect = (options: tls.ConnectionOptions): Duplex =>
    tls.connect({
      ...options,
      host: target.host,
      port: target.port,
      servername: target.serverName,
      ca: target.caPem,
      rejectUnauthorized: true,
    });
  // https.Agent calls createConnection for each new socket; the override is Node's documented hook.
  (agent as unknown as { createConnection: typeof connect }).createConnection = connect;
  return agent;
}
