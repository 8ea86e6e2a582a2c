import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The little HTTP plumbing the provider stand-ins share. They use node:http directly, so nothing
 * (no body parser, no framework default) stands between the wire format and the code that
 * imitates the provider.
 */
export type Handler = (request: StandInRequest, response: ServerResponse) => Promise<void> | void;

export interface StandInRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  rawBody: Buffer;
  params: Record<string, string>;
}

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

const MAX_BODY_BYTES = 1_000_000;

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handler: Handler): this {
    const names: string[] = [];
    const source = path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  /** A request listener for http.createServer / https.createServer. */
  listener() {
    return (incoming: IncomingMessage, response: ServerResponse) => {
      void this.dispatch(incoming, response).catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, { error: { message: (error as Error).message } });
        else response.end();
      });
    };
  }

  private async dispatch(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? '/', 'http://stand-in.invalid');
    const method = incoming.method ?? 'GET';
    const rawBody = await readBody(incoming);
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      const params = Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(match[index + 1])]));
      await route.handler({ method, url, headers: incoming.headers, rawBody, params }, response);
      return;
    }
    sendJson(response, 404, { error: { message: `No stand-in route for ${method} ${url.pathname}` } });
  }
}

async function readBody(incoming: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large for a stand-in');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

export function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  response.end(html);
}

export function redirect(response: ServerResponse, location: string): void {
  response.writeHead(303, { location, 'content-length': 0 });
  response.end();
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Form bodies (HTML forms and Stripe's API) as a flat map; repeated keys keep the last value. */
export function parseForm(rawBody: Buffer): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(rawBody.toString('utf8')));
}

export function parseJson(rawBody: Buffer): Record<string, unknown> {
  if (rawBody.length === 0) return {};
  const parsed: unknown = JSON.parse(rawBody.toString('utf8'));
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a JSON object');
  return parsed as Record<string, unknown>;
}

export async function listen(server: http.Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

export async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** The lifecycle of a stand-in served over plain HTTP on 127.0.0.1 (Stripe's and VNPay's). */
export abstract class HttpStandIn {
  private server: http.Server | null = null;
  protected port = 0;

  protected abstract routes(): Router;

  async start(port = 0): Promise<this> {
    this.server = http.createServer(this.routes().listener());
    this.port = await listen(this.server, port);
    return this;
  }

  async stop(): Promise<void> {
    if (this.server) await close(this.server);
    this.server = null;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
}

/** Delivers a webhook the way a provider does: a POST of the exact bytes that were signed. */
export async function postWebhook(url: string, rawBody: string, headers: Record<string, string>): Promise<WebhookDelivery> {
  try {
    const response = await fetch(url, { method: 'POST', body: rawBody, headers: { 'content-type': 'application/json', ...headers } });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { status: 0, body: `delivery failed: ${(error as Error).message}` };
  }
}

export interface WebhookDelivery {
  /** HTTP status the receiver answered; 0 when it could not be reached. */
  status: number;
  body: string;
}

let counter = 0;
/** Provider-looking ids (`pi_3Xa…`) that never repeat within a process. */
export function providerId(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
