import 'reflect-metadata';
import WebSocket from 'ws';
import { Role } from '../../src/auth/principal';
import { BalanceChanged } from '../../src/balances/balance-events';
import { createAccount, grant } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';

const BALANCE_CHANGED = `subscription S($accountId: ID!) { balanceChanged(accountId: $accountId) { eventId totalBalance } }`;

interface Message {
  type: string;
  id?: string;
  payload?: any;
}

/** A raw graphql-transport-ws client: the test sees every message and the exact close code. */
class RawSocket {
  readonly messages: Message[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private listeners: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)));
      this.listeners.splice(0).forEach((wake) => wake());
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  static async open(url: string): Promise<RawSocket> {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    const raw = new RawSocket(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('close', () => resolve());
    });
    return raw;
  }

  send(message: Message): void {
    this.socket.send(JSON.stringify(message));
  }

  /** Sends connection_init with the token; resolves true on ack, false when the server closes. */
  async init(token: string): Promise<boolean> {
    this.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    return Promise.race([this.waitFor((message) => message.type === 'connection_ack').then(() => true), this.closed.then(() => false)]);
  }

  subscribe(id: string, query: string, variables: Record<string, unknown>): void {
    this.send({ id, type: 'subscribe', payload: { query, variables } });
  }

  async waitFor(predicate: (message: Message) => boolean, timeoutMs = 10_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such message; got ${JSON.stringify(this.messages).slice(-800)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.listeners.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000);
    await this.closed;
  }
}

const errorOf = (socket: RawSocket, id: string) => socket.waitFor((message) => message.id === id && message.type === 'error');

/** A subscription is live once a real balance change reaches it. */
async function live(server: TestServer, socket: RawSocket, id: string, accountId: string) {
  await grant(server, accountId, '1');
  await server.services.outbox.drain();
  await socket.waitFor((message) => message.id === id && message.type === 'next');
}

describe('subscription limits', () => {
  let server: TestServer;
  let accountId: string;
  const open: RawSocket[] = [];

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        WS_CONNECTION_INIT_TIMEOUT_MS: '500',
        WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '3',
        WS_MAX_SUBSCRIPTIONS_PER_PRINCIPAL: '5',
        WS_MAX_CONNECTIONS_PER_PRINCIPAL: '2',
        WS_MAX_CONNECTIONS_PER_IP: '6',
        WS_MAX_QUEUED_EVENTS: '5',
        WS_MAX_BUFFERED_BYTES: '65536',
      },
    });
    accountId = await createAccount(server);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((socket) => socket.close()));
    // The server counts a socket until its own close event; give it that moment.
    await new Promise((resolve) => setTimeout(resolve, 100));
  });
  afterAll(async () => {
    await server.stop();
  });

  async function connection(token?: string): Promise<RawSocket> {
    const socket = await RawSocket.open(server.websocketUrl);
    open.push(socket);
    if (token) expect(await socket.init(token)).toBe(true);
    return socket;
  }

  it('closes a connection that never sends connection_init within the timeout (4408)', async () => {
    const started = Date.now();
    const socket = await connection();
    const { code } = await socket.closed;
    expect(code).toBe(4408);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses a subscription over the per-connection limit and keeps the others live', async () => {
    const socket = await connection(await server.userToken(accountId, Role.VIEWER));
    for (const id of ['1', '2', '3', '4']) socket.subscribe(id, BALANCE_CHANGED, { accountId });
    const refusal = await errorOf(socket, '4');
    expect(refusal.payload[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(refusal.payload[0].message).toContain('at most 3');
    await live(server, socket, '1', accountId);
    await socket.waitFor((message) => message.id === '3' && message.type === 'next');
    // A completed subscription frees its place.
    socket.send({ id: '1', type: 'complete' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.subscribe('5', BALANCE_CHANGED, { accountId });
    await live(server, socket, '5', accountId);
  });

  it('closes a connection refused more subscribes than it may hold (4429), and serves the others', async () => {
    const flooding = await connection(await server.userToken(accountId, Role.VIEWER));
    const other = await connection(await server.userToken(accountId, Role.VIEWER));
    // 3 accepted, then refusals; the 4th refusal (the 7th subscribe) closes the connection.
    for (let index = 1; index <= 50; index++) flooding.subscribe(String(index), BALANCE_CHANGED, { accountId });
    const { code, reason } = await flooding.closed;
    expect(code).toBe(4429);
    expect(reason).toContain('Too many refused subscriptions on this connection (more than 3)');
    // Nothing was answered for the subscribes after the one that closed it.
    expect(flooding.messages.filter((message) => Number(message.id) > 7)).toEqual([]);
    other.subscribe('1', BALANCE_CHANGED, { accountId });
    await live(server, other, '1', accountId);
  });

  it('refuses subscriptions over the per-principal limit across connections', async () => {
    const token = await server.userToken(accountId, Role.VIEWER);
    const first = await connection(token);
    const second = await connection(token);
    for (const id of ['1', '2', '3']) first.subscribe(id, BALANCE_CHANGED, { accountId });
    for (const id of ['1', '2']) second.subscribe(id, BALANCE_CHANGED, { accountId });
    await live(server, second, '2', accountId);
    second.subscribe('3', BALANCE_CHANGED, { accountId });
    const refusal = await errorOf(second, '3');
    expect(refusal.payload[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(refusal.payload[0].message).toContain('principal (at most 5)');
  });

  it('refuses a subscription whose variables hold a list over GRAPHQL_MAX_LIST_LENGTH, as HTTP does, and keeps the connection', async () => {
    const socket = await connection(await server.userToken(accountId, Role.VIEWER));
    socket.send({ id: 'long', type: 'subscribe', payload: { query: BALANCE_CHANGED, variables: { accountId, ids: Array.from({ length: 1001 }, () => 'x') } } });
    const refusal = await errorOf(socket, 'long');
    expect(refusal.payload).toEqual([
      { message: 'The list $ids holds 1001 items; at most 1000 are accepted.', extensions: { code: 'BAD_USER_INPUT', field: 'ids', maxListLength: 1000 } },
    ]);
    socket.subscribe('fine', BALANCE_CHANGED, { accountId });
    await live(server, socket, 'fine', accountId);
  });

  it('closes a connection whose message is over 1 MiB with 1009, before reading it', async () => {
    const socket = await connection(await server.userToken(accountId, Role.VIEWER));
    socket.subscribe('huge', BALANCE_CHANGED, { accountId, padding: 'x'.repeat(1100 * 1024) });
    const { code } = await socket.closed;
    expect(code).toBe(1009);
    expect(socket.messages.filter((message) => message.id === 'huge')).toEqual([]);
  });

  it('closes a connection over the per-principal connection limit (4429)', async () => {
    const token = await server.userToken(accountId, Role.VIEWER);
    await connection(token);
    await connection(token);
    const third = await RawSocket.open(server.websocketUrl);
    open.push(third);
    expect(await third.init(token)).toBe(false);
    const { code, reason } = await third.closed;
    expect(code).toBe(4429);
    expect(reason).toContain('at most 2');
    // Another principal is not affected.
    await connection(await server.userToken(accountId, Role.VIEWER));
  });

  it('closes a connection over the per-IP limit before any message (4429)', async () => {
    for (let index = 0; index < 6; index++) await connection();
    const seventh = await RawSocket.open(server.websocketUrl);
    open.push(seventh);
    const { code, reason } = await seventh.closed;
    expect(code).toBe(4429);
    expect(reason).toContain('this address (at most 6)');
  });

  it('applies the HTTP request limits to operations over the WebSocket', async () => {
    const socket = await connection(await server.userToken(accountId, Role.VIEWER));
    const refusal = async (id: string, query: string) => {
      socket.subscribe(id, query, {});
      return (await errorOf(socket, id)).payload[0];
    };
    const history = (alias: string) =>
      `${alias}: creditHistory(accountId: "${accountId}", first: 100) { edges { cursor node { id amount balanceAfter occurredAt type description reference } } }`;
    expect(await refusal('aliases', `query { ${Array.from({ length: 21 }, (_, index) => `a${index}: me { subject }`).join(' ')} }`)).toMatchObject({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      message: expect.stringContaining('Aliases limit of 20'),
    });
    expect(await refusal('depth', `query { account(id: "${accountId}") { ${'partner { '.repeat(20)}id${' }'.repeat(20)} } }`)).toMatchObject({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      message: expect.stringContaining('depth limit of 10'),
    });
    expect(await refusal('tokens', `subscription { balanceChanged(accountId: "${accountId}") { ${'eventId '.repeat(2000)} } }`)).toMatchObject({
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      message: expect.stringContaining('2000 tokens'),
    });
    expect(await refusal('page', `query { creditHistory(accountId: "${accountId}", first: 2147483647) { edges { cursor } } }`)).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringContaining('from 1 to 100'),
    });
    expect(await refusal('cost', `query { ${['a', 'b', 'c', 'd', 'e', 'f'].map(history).join(' ')} }`)).toMatchObject({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      message: expect.stringContaining('cost limit of 5000'),
    });
    socket.subscribe('fine', BALANCE_CHANGED, { accountId });
    await live(server, socket, 'fine', accountId);
  });

  it('drops a slow consumer (1013) instead of buffering its events without end', async () => {
    const socket = await connection(await server.userToken(accountId, Role.VIEWER));
    const fields = Array.from({ length: 20 }, (_, index) => `f${index}: accountId`).join(' ');
    socket.subscribe('slow', `subscription S($accountId: ID!) { balanceChanged(accountId: $accountId) { eventId ${fields} } }`, { accountId });
    await live(server, socket, 'slow', accountId);
    socket.socket.pause();
    const rssBefore = process.memoryUsage().rss;
    const published = 20_000;
    for (let index = 0; index < published; index++) {
      await server.services.bus.publish(BalanceChanged.topic, accountId, {
        eventId: 1_000_000 + index,
        accountId,
        partnerId: null,
        totalMicros: '1000000',
        topUpMicros: '1000000',
        promotionalMicros: '0',
        movementType: 'TOP_UP',
        amountMicros: '1000000',
        occurredAt: new Date().toISOString(),
      });
      if (index % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    socket.socket.resume();
    const { code, reason } = await socket.closed;
    expect(code).toBe(1013);
    expect(reason).toContain('Slow consumer');
    const delivered = socket.messages.filter((message) => message.id === 'slow' && message.type === 'next').length;
    expect(delivered).toBeLessThan(published);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });
});
