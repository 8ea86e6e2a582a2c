import net from 'node:net';
import Redis from 'ioredis';
import { IsNull } from 'typeorm';
import { signToken } from '../../src/auth/jwt';
import { Scope } from '../../src/auth/principal';
import { DEVELOPMENT_JWT_SECRET, loadConfig } from '../../src/config';
import { createDataSource } from '../../src/database/data-source';
import { ENTITIES } from '../../src/server/modules';
import { OutboxEventEntity } from '../../src/notifications/outbox.entity';
import { CREATE_ACCOUNT, GRANT } from '../support/fixtures';
import { createTestDatabase, TestDatabaseHandle } from '../support/harness';
import { PrivateRedis } from '../support/private-redis';
import { EntryProcess, spawnEntry } from '../support/server-process';

/** The real process (`src/main.ts`), on this project's database, as an operator runs it. */
interface ServerProcess {
  child: EntryProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

function spawnServer(env: Record<string, string>): { child: EntryProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawnEntry({ ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', SEED_DEMO_DATA: 'false', PORT: '0', ...env });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const started = spawnServer(env);
  const url = await waitForOutput(started, /"url":"(http:[^"]+)\/graphql"/, 60_000);
  return { ...started, url };
}

async function waitForOutput(server: { output(): string; exited: Promise<number | null> }, pattern: RegExp, timeoutMs: number): Promise<string> {
  let exitedWith: number | null | undefined;
  void server.exited.then((code) => (exitedWith = code));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(server.output());
    if (match) return match[1] ?? match[0];
    if (exitedWith !== undefined) throw new Error(`the server exited (${exitedWith}) before printing ${pattern}:\n${server.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function graphql(url: string, query: string, variables: Record<string, unknown>, token: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** The servers' channel names are `<REDIS_KEY_PREFIX>notification:<TOPIC>:<key>`. */
const REDIS_KEY_PREFIX = 'lifecycle-test:';

/** Listens on every channel of a Redis and keeps what it hears. */
async function listenToEverything(url: string) {
  const client = new Redis(url);
  const heard: string[] = [];
  client.on('pmessage', (_pattern, channel, message) => heard.push(`${channel} ${message}`));
  await client.psubscribe('*');
  return { heard, close: () => client.quit() };
}

async function unpublishedRows(database: TestDatabaseHandle): Promise<number> {
  const dataSource = createDataSource(loadConfig({ NODE_ENV: 'test', ...database.env, DATABASE_RUN_MIGRATIONS: 'false' }).database, ENTITIES);
  await dataSource.initialize();
  try {
    return await dataSource.manager.count(OutboxEventEntity, { where: { publishedAt: IsNull() } });
  } finally {
    await dataSource.destroy();
  }
}

describe('the server process', () => {
  let database: TestDatabaseHandle;
  const children: ServerProcess[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const child of children) child.child.kill('SIGKILL');
    await database.drop();
  });

  it('exits 1 with a clear message when its port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const started = spawnServer({ ...database.env, PORT: String(port) });
      const code = await Promise.race([started.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 60_000))]);
      if (code === 'still running') started.child.kill('SIGKILL');
      expect(code).toBe(1);
      expect(started.output()).toContain(`port ${port} on 127.0.0.1 is already in use (EADDRINUSE)`);
    } finally {
      blocker.close();
    }
  });

  /** A grant committed while Redis is away: its notification waits in the outbox. */
  async function grantWhileRedisIsDown(server: ServerProcess) {
    const admin = await signToken(DEVELOPMENT_JWT_SECRET, { sub: 'admin', scopes: [Scope.ADMIN] });
    const accountId = `lifecycle-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    await graphql(server.url, CREATE_ACCOUNT, { input: { id: accountId, kind: 'CUSTOMER', name: 'Lifecycle', region: 'VN', status: 'ACTIVE' } }, admin);
    await graphql(server.url, GRANT, { input: { accountId, amount: '3', reason: 'lifecycle', idempotencyKey: `grant-${accountId}` } }, admin);
    // The drain after the commit tries, fails on the missing Redis, and keeps the row (the outbox
    // joins the Redis outage: a debug line, the outage itself being one warning for the process).
    await waitForOutput(server, /"dependency":"redis","watcher":"OutboxService","msg":"Redis lost by OutboxService"/, 20_000);
    return accountId;
  }

  it('publishes at SIGTERM what was committed before it (the final outbox drain)', async () => {
    const redis = await PrivateRedis.create({ started: false });
    // A long poll interval: only the final drain at shutdown can publish the waiting row.
    // At debug level: each watcher of the Redis outage says when it loses and reaches Redis.
    const server = await startServerProcess({ ...database.env, REDIS_URL: redis.url, REDIS_KEY_PREFIX, OUTBOX_POLL_INTERVAL_MS: '600000', LOG_LEVEL: 'debug' });
    children.push(server);
    try {
      const accountId = await grantWhileRedisIsDown(server);
      expect(await unpublishedRows(database)).toBeGreaterThan(0);
      await redis.start();
      const listener = await listenToEverything(redis.url);
      await waitForOutput(server, /"watcher":"notification bus \(subscribe\)".*"msg":"Redis reached again by notification bus \(subscribe\)"/, 20_000);
      await waitForOutput(server, /"watcher":"notification bus \(publish\)".*"msg":"Redis reached again by notification bus \(publish\)"/, 20_000);
      expect(listener.heard.filter((message) => message.includes(accountId))).toEqual([]);

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('stopped cleanly');
      expect(listener.heard.filter((message) => message.startsWith(`${REDIS_KEY_PREFIX}notification:BALANCE_CHANGED:${accountId} `))).toHaveLength(1);
      expect(await unpublishedRows(database)).toBe(0);
      await listener.close();
    } finally {
      await redis.kill();
    }
  });

  it('leaves what it committed for the next process when killed with SIGKILL, and the next one publishes it', async () => {
    const redis = await PrivateRedis.create({ started: false });
    const first = await startServerProcess({ ...database.env, REDIS_URL: redis.url, REDIS_KEY_PREFIX, OUTBOX_POLL_INTERVAL_MS: '600000', LOG_LEVEL: 'debug' });
    children.push(first);
    try {
      const accountId = await grantWhileRedisIsDown(first);
      first.child.kill('SIGKILL');
      await first.exited;
      expect(await unpublishedRows(database)).toBeGreaterThan(0);

      await redis.start();
      const listener = await listenToEverything(redis.url);
      const second = await startServerProcess({ ...database.env, REDIS_URL: redis.url, REDIS_KEY_PREFIX, OUTBOX_POLL_INTERVAL_MS: '200' });
      children.push(second);
      const deadline = Date.now() + 30_000;
      while (!listener.heard.some((message) => message.startsWith(`${REDIS_KEY_PREFIX}notification:BALANCE_CHANGED:${accountId} `)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(listener.heard.filter((message) => message.startsWith(`${REDIS_KEY_PREFIX}notification:BALANCE_CHANGED:${accountId} `))).toHaveLength(1);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      expect(await unpublishedRows(database)).toBe(0);
      await listener.close();
    } finally {
      await redis.kill();
    }
  });
});
