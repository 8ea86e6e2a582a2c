import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import { requestLogging } from '../../src/server/request-logging';

/** A real express app with the request log in front, logging JSON lines into an array. */
async function loggedApp(level: string) {
  const lines: Record<string, any>[] = [];
  const children: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      for (const text of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(text));
      callback();
    },
  });
  const logger = pino({ level, redact: { paths: ['*.token'], censor: '[redacted]' } }, sink);
  // Counts the child loggers made from the app's logger (pino's own child(), called through).
  const child = logger.child.bind(logger);
  logger.child = ((bindings: Record<string, unknown>, options?: pino.ChildLoggerOptions) => {
    children.push(bindings);
    return child(bindings, options);
  }) as unknown as typeof logger.child;
  const app = express();
  app.use(requestLogging(logger));
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.use('/graphql', (request, response) => {
    request.log.info({ inside: true }, 'resolver line');
    response.json({ data: {} });
  });
  app.get('/missing', (_request, response) => {
    response.status(404).json({});
  });
  app.get('/broken', (_request, response) => {
    response.status(503).json({});
  });
  app.get('/hang', () => undefined);
  app.get('/token', (request, response) => {
    request.log.info({ detail: { token: 'secret' } }, 'resolver line');
    response.json({});
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    lines,
    children,
    base,
    /** The lines are written on 'finish', which may come just after the client has the answer. */
    async settled(count: number) {
      while (lines.length < count) await new Promise((resolve) => setImmediate(resolve));
      return lines;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('request log', () => {
  it('writes one line per request with its id, method, URL (query parameter names, not their values), status and time, at a level by status', async () => {
    const app = await loggedApp('info');
    try {
      const answer = await fetch(`${app.base}/graphql?x=1`, { method: 'POST', headers: { 'x-request-id': 'trace-abc.123' } });
      expect(answer.headers.get('x-request-id')).toBe('trace-abc.123');
      await fetch(`${app.base}/missing`);
      await fetch(`${app.base}/broken`);
      const lines = await app.settled(4);
      expect(lines[0]).toMatchObject({ requestId: 'trace-abc.123', inside: true, msg: 'resolver line' });
      expect(lines[1]).toMatchObject({
        level: 30,
        requestId: 'trace-abc.123',
        req: { method: 'POST', url: '/graphql?x' },
        res: { status: 200 },
        msg: 'request',
      });
      expect(typeof lines[1].durationMs).toBe('number');
      expect(lines[2]).toMatchObject({ level: 40, req: { method: 'GET', url: '/missing' }, res: { status: 404 }, msg: 'request' });
      expect(lines[3]).toMatchObject({ level: 50, res: { status: 503 }, msg: 'request failed', err: { message: 'failed with status code 503' } });
      expect(lines[2].requestId).toMatch(/^[0-9a-f-]{36}$/);
      // No request headers are copied into the line (the bearer token never reaches the log).
      expect(Object.keys(lines[1].req)).toEqual(['method', 'url']);
    } finally {
      await app.close();
    }
  });

  it('makes the request’s child logger only when the request writes a line of its own, which is redacted', async () => {
    const app = await loggedApp('info');
    try {
      const childrenAtStart = app.children.length;
      await fetch(`${app.base}/missing`);
      await fetch(`${app.base}/healthz`);
      await app.settled(1);
      expect(app.children.slice(childrenAtStart).filter((bindings) => 'requestId' in bindings)).toEqual([]);
      await fetch(`${app.base}/token`, { headers: { 'x-request-id': 'with-a-line' } });
      const lines = await app.settled(3);
      expect(app.children.slice(childrenAtStart).filter((bindings) => 'requestId' in bindings)).toEqual([{ requestId: 'with-a-line' }]);
      expect(lines[1]).toMatchObject({ requestId: 'with-a-line', detail: { token: '[redacted]' }, msg: 'resolver line' });
      expect(lines[2]).toMatchObject({ requestId: 'with-a-line', req: { url: '/token' }, res: { status: 200 }, msg: 'request' });
    } finally {
      await app.close();
    }
  });

  it('logs health probes at debug only, and a request the client gave up on once', async () => {
    const app = await loggedApp('info');
    try {
      await fetch(`${app.base}/healthz`);
      const aborted = new AbortController();
      const hanging = fetch(`${app.base}/hang`, { signal: aborted.signal }).catch(() => 'aborted');
      await new Promise((resolve) => setTimeout(resolve, 50));
      aborted.abort();
      expect(await hanging).toBe('aborted');
      await fetch(`${app.base}/graphql`, { method: 'POST' });
      const lines = await app.settled(3);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // The hang-up is seen whenever the socket closes: its line may come before or after the others.
      expect(lines.map((line) => line.req?.url ?? line.msg).sort()).toEqual(['/graphql', '/hang', 'resolver line']);
    } finally {
      await app.close();
    }
    const debug = await loggedApp('debug');
    try {
      await fetch(`${debug.base}/healthz`);
      expect((await debug.settled(1))[0]).toMatchObject({ level: 20, req: { url: '/healthz' }, res: { status: 200 } });
    } finally {
      await debug.close();
    }
  });
});
