import net from 'node:net';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import WebSocket from 'ws';
import type { StripeStandIn } from '../../src/demo/stand-ins';
import { createAccount } from '../support/fixtures';
import { createTestDatabase, startTestServer, TestDatabaseHandle, TestServer } from '../support/harness';
import { countRows, CREATE_TOP_UP, createBuyer, RETURN_URL, topUpKey } from '../support/top-ups';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const describeWithRedis = process.env.TEST_REDIS_AVAILABLE === '1' ? describe : describe.skip;

/** Small explicit limits (the harness raises them for every other test); X-Forwarded-For names the client. */
const LIMITS = {
  TRUST_PROXY_HOPS: '1',
  RATE_LIMIT_PRINCIPAL_POINTS: '400',
  RATE_LIMIT_IP_POINTS: '10',
  RATE_LIMIT_FAILED_AUTH_POINTS: '20',
  RATE_LIMIT_AUTHENTICATED_IP_POINTS: '600',
  RATE_LIMIT_PAYMENT_POINTS: '3',
  RATE_LIMIT_WEBHOOK_POINTS: '5',
};

interface HttpAnswer {
  status: number;
  retryAfter: string | null;
  body: any;
}

let ipCounter = 0;
/** A fresh documentation-range address per use, so tests never share an IP bucket. */
const freshIp = () => `198.51.100.${++ipCounter}`;

async function send(
  url: string,
  init: { method?: string; token?: string; ip?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  if (init.ip) headers['x-forwarded-for'] = init.ip;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // CSV, HTML: kept as text.
  }
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
}

const graphql = (server: TestServer, query: string, options: { token?: string; ip?: string; variables?: Record<string, unknown> } = {}) =>
  send(server.graphqlUrl, { token: options.token, ip: options.ip, body: { query, variables: options.variables } });

/** Runs `count` calls `concurrency` at a time: a burst, but without opening hundreds of sockets at once. */
async function burst<T>(count: number, concurrency: number, call: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += concurrency) {
    const size = Math.min(concurrency, count - start);
    results.push(...(await Promise.all(Array.from({ length: size }, (_, offset) => call(start + offset)))));
  }
  return results;
}

function expectRateLimited(answer: HttpAnswer, maxSeconds = 60): void {
  expect(answer.status).toBe(429);
  const error = answer.body.errors[0];
  expect(error.extensions.code).toBe('RATE_LIMITED');
  expect(error.extensions.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  expect(error.extensions.retryAfterSeconds).toBeLessThanOrEqual(maxSeconds);
  expect(answer.retryAfter).toBe(String(error.extensions.retryAfterSeconds));
}

const statusCounts = (answers: HttpAnswer[]) =>
  answers.reduce<Record<number, number>>((counts, answer) => ({ ...counts, [answer.status]: (counts[answer.status] ?? 0) + 1 }), {});

const REPORT_PERIOD = new URLSearchParams({ from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }).toString();

describe('rate limits (in memory)', () => {
  let server: TestServer;
  let stripe: StripeStandIn;
  beforeAll(async () => {
    server = await startTestServer({ env: LIMITS });
    stripe = server.standIns.stripe;
  });
  afterAll(async () => {
    await server.stop();
  });

  it('refuses a principal over its limit with 429, RATE_LIMITED and Retry-After, on GraphQL and the CSV routes, while another principal carries on', async () => {
    const accountId = await createAccount(server);
    const token = await server.userToken(accountId);
    const ip = freshIp();
    const answers = await burst(400, 25, () => graphql(server, '{ __typename }', { token, ip }));
    expect(statusCounts(answers)).toEqual({ 200: 400 });

    const refused = await graphql(server, '{ __typename }', { token, ip });
    expectRateLimited(refused);
    expect(refused.body.errors[0].message).toMatch(/Too many requests/);
    expectRateLimited(await send(`${server.url}/reports/usage.csv?${REPORT_PERIOD}`, { token, ip }));

    // The same IP and account with another principal (another user) is served.
    const colleague = await server.userToken(accountId);
    expect((await graphql(server, '{ __typename }', { token: colleague, ip })).status).toBe(200);
  });

  it('limits requests without a token per IP, IPv6 per /64, and never limits the health, readiness and metrics probes', async () => {
    const ip = freshIp();
    const answers = await burst(10, 10, () => graphql(server, '{ __typename }', { ip }));
    expect(statusCounts(answers)).toEqual({ 200: 10 });
    expectRateLimited(await graphql(server, '{ __typename }', { ip }));
    expectRateLimited(await send(`${server.url}/reports/usage.csv?${REPORT_PERIOD}`, { ip }));
    expect((await graphql(server, '{ __typename }', { ip: freshIp() })).status).toBe(200);
    for (const probe of ['/healthz', '/readyz', '/metrics']) {
      expect((await send(`${server.url}${probe}`, { ip })).status).toBe(200);
    }

    // Two addresses of one IPv6 /64 share a bucket; the next /64 has its own.
    const sameNetwork = await burst(11, 11, (index) => graphql(server, '{ __typename }', { ip: `2001:db8:7:1::${index + 1}` }));
    expect(statusCounts(sameNetwork)).toEqual({ 200: 10, 429: 1 });
    expect((await graphql(server, '{ __typename }', { ip: '2001:db8:7:2::1' })).status).toBe(200);
  });

  it('answers a burst of 1,500 bad tokens from one IP with 401 for the first 20 and 429 for the rest', async () => {
    const ip = freshIp();
    const answers = await burst(1500, 50, (index) => graphql(server, '{ __typename }', { token: `forged.token.${index}`, ip }));
    expect(statusCounts(answers)).toEqual({ 401: 20, 429: 1480 });
    for (const answer of answers.filter((item) => item.status === 429)) expectRateLimited(answer);
    expect(answers.filter((item) => item.status === 401).every((item) => item.body.errors[0].extensions.code === 'UNAUTHENTICATED')).toBe(true);

    // While the IP waits, a refused token from it is answered 429 (CSV too); a valid one is served; other IPs are unaffected.
    const token = await server.userToken(await createAccount(server));
    expect((await graphql(server, '{ __typename }', { token, ip })).status).toBe(200);
    expectRateLimited(await graphql(server, '{ __typename }', { token: 'forged', ip }));
    expectRateLimited(await send(`${server.url}/reports/usage.csv?${REPORT_PERIOD}`, { token: 'forged', ip }));
    expect((await graphql(server, '{ __typename }', { token, ip: freshIp() })).status).toBe(200);
    expect((await graphql(server, '{ __typename }', { token: 'forged', ip: freshIp() })).status).toBe(401);
  });

  it('lets 3 of 300 parallel createTopUp calls from one principal reach the provider; the others are refused before execution and create nothing', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const answers = await burst(300, 300, () =>
      graphql(server, CREATE_TOP_UP, {
        token: buyer.token,
        variables: { input: { amount: '20', method: 'STRIPE', idempotencyKey: topUpKey(), returnUrl: RETURN_URL } },
      }),
    );
    const created = answers.filter((answer) => answer.status === 200);
    expect(statusCounts(answers)).toEqual({ 200: 3, 429: 297 });
    for (const answer of answers.filter((item) => item.status === 429)) {
      expectRateLimited(answer);
      expect(answer.body.errors[0].message).toMatch(/payment requests/);
      expect(answer.body.data).toBeUndefined();
    }
    expect(await countRows(server, 'SELECT COUNT(*) AS count FROM top_up WHERE accountId = ?', [buyer.accountId])).toBe(3);
    for (const answer of created) {
      const topUp = answer.body.data.createTopUp;
      expect(stripe.getIntent(topUp.providerReference)?.metadata.topUpId).toBe(topUp.id);
    }
  });

  it('counts each aliased payment field: an operation with more than the bucket holds is refused whole', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const aliased = `mutation Many($a: CreateTopUpInput!, $b: CreateTopUpInput!, $c: CreateTopUpInput!, $d: CreateTopUpInput!) {
      a: createTopUp(input: $a) { id } b: createTopUp(input: $b) { id } ...More
    }
    fragment More on Mutation { c: createTopUp(input: $c) { id } ... on Mutation { d: createTopUp(input: $d) { id } } }`;
    const input = () => ({ amount: '20', method: 'STRIPE', idempotencyKey: topUpKey(), returnUrl: RETURN_URL });
    const refused = await graphql(server, aliased, { token: buyer.token, variables: { a: input(), b: input(), c: input(), d: input() } });
    expectRateLimited(refused);
    expect(await countRows(server, 'SELECT COUNT(*) AS count FROM top_up WHERE accountId = ?', [buyer.accountId])).toBe(0);
  });

  it('limits each webhook route per source IP with 429, Retry-After and the JSON error body', async () => {
    const ip = freshIp();
    const stripeAnswers = await burst(6, 6, () => send(`${server.url}/webhooks/stripe`, { ip, body: { id: 'evt_unsigned' } }));
    expect(statusCounts(stripeAnswers)).toEqual({ 400: 5, 429: 1 });
    expectRateLimited(stripeAnswers.find((answer) => answer.status === 429)!);
    expect(stripeAnswers.find((answer) => answer.status === 429)!.body.errors[0].message).toMatch(/Too many callbacks/);

    // Another route from the same IP, and the same route from another IP, have their own buckets.
    expect((await send(`${server.url}/webhooks/paypal`, { ip, body: {} })).status).not.toBe(429);
    expect((await send(`${server.url}/webhooks/stripe`, { ip: freshIp(), body: {} })).status).toBe(400);

    for (const route of ['/webhooks/vnpay/ipn', '/payments/vnpay/return', '/webhooks/paypal']) {
      const answers = await burst(6, 6, () =>
        send(`${server.url}${route}?vnp_TxnRef=nope`, { ip: `${ip}`, method: route === '/webhooks/paypal' ? 'POST' : 'GET' }),
      );
      expect(answers.filter((answer) => answer.status === 429).length).toBe(route === '/webhooks/paypal' ? 2 : 1);
      for (const answer of answers.filter((item) => item.status === 429)) expectRateLimited(answer);
    }
  });

  // Last in this block: WebSocket clients are keyed by their socket address (127.0.0.1 for every test here).
  it('counts refused WebSocket tokens in the same failed-authentication bucket and closes with 4429 once it is spent', async () => {
    const validToken = await server.userToken(await createAccount(server));
    expect(await webSocketAnswer(server, validToken)).toBe(0);
    const answers: number[] = [];
    for (let attempt = 0; attempt < 21; attempt++) answers.push(await webSocketAnswer(server, `forged.${attempt}`));
    expect(answers).toEqual([...Array<number>(20).fill(4403), 4429]);
    // A valid token from the same address is still acknowledged: only refused tokens pay.
    expect(await webSocketAnswer(server, validToken)).toBe(0);
  });

  it('keeps serving a valid token from an address that spends its failed-authentication budget, before, during and after', async () => {
    const ip = freshIp();
    const accountId = await createAccount(server);
    const token = await server.userToken(accountId);
    const query = `query($id: ID!) { balances(accountId: $id) { accountId } }`;
    const valid = () => graphql(server, query, { token, ip, variables: { id: accountId } });
    // The attacker and the customer interleave from one address: 200 forged tokens, a valid request after every 5.
    const forged: HttpAnswer[] = [];
    const customer: HttpAnswer[] = [];
    for (let round = 0; round < 40; round++) {
      forged.push(...(await burst(5, 5, (index) => graphql(server, '{ __typename }', { token: `forged.${round}.${index}`, ip }))));
      customer.push(await valid());
    }
    expect(statusCounts(forged)).toEqual({ 401: 20, 429: 180 });
    expect(statusCounts(customer)).toEqual({ 200: 40 });
    expect(customer.every((answer) => answer.body.errors === undefined && answer.body.data.balances.accountId === accountId)).toBe(true);
    // A request without a token from that address is still limited by the address's own bucket, not refused for the forged ones.
    expect((await graphql(server, '{ __typename }', { ip })).status).toBe(200);
  });

  it('bounds the verified requests of one address by a generous ceiling of its own, whatever the principals', async () => {
    const ip = freshIp();
    const accountId = await createAccount(server);
    const tokens = await Promise.all([1, 2, 3].map(() => server.userToken(accountId)));
    const answers = await burst(600, 25, (index) => graphql(server, '{ __typename }', { token: tokens[index % 2], ip }));
    expect(statusCounts(answers)).toEqual({ 200: 600 });
    const third = await graphql(server, '{ __typename }', { token: tokens[2], ip });
    expectRateLimited(third);
    expect(third.body.errors[0].message).toMatch(/authenticated requests from your address/);
    expect((await graphql(server, '{ __typename }', { token: tokens[2], ip: freshIp() })).status).toBe(200);
  });
});

/** Opens a graphql-ws socket, sends connection_init with the token, and resolves with the close code (0: acknowledged). */
function webSocketAnswer(server: TestServer, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(server.websocketUrl, 'graphql-transport-ws');
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') {
        socket.close();
        resolve(0);
      }
    });
    socket.on('close', (code) => resolve(code));
    socket.on('error', reject);
  });
}

/** A port nothing listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as net.AddressInfo;
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  return port;
}

describe('rate limits with an unreachable Redis', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ...LIMITS, REDIS_URL: `redis://127.0.0.1:${await closedPort()}` } });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('keeps serving, promptly, and still limits through the in-memory insurance limiter', async () => {
    const accountId = await createAccount(server);
    const token = await server.userToken(accountId);
    const started = Date.now();
    const balances = await graphql(server, 'query($id: ID!) { balances(accountId: $id) { totalBalance } }', { token, variables: { id: accountId } });
    expect(balances.status).toBe(200);
    expect(balances.body.data.balances.totalBalance).toBe('0.000000');

    const ip = freshIp();
    const answers = await burst(11, 11, () => graphql(server, '{ __typename }', { ip }));
    expect(statusCounts(answers)).toEqual({ 200: 10, 429: 1 });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describeWithRedis('rate limits shared through Redis', () => {
  const prefix = `credits-test-${process.pid}-${randomBytes(4).toString('hex')}:`;
  let database: TestDatabaseHandle;
  let first: TestServer;
  let second: TestServer;
  let redis: Redis;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { ...LIMITS, REDIS_URL, REDIS_KEY_PREFIX: prefix };
    first = await startTestServer({ database, env });
    second = await startTestServer({ database, env });
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await first?.stop();
    await second?.stop();
    await database?.drop();
  });

  it('shares the counters of one IP between two processes, under the configured key prefix', async () => {
    const ip = freshIp();
    expect(statusCounts(await burst(6, 6, () => graphql(first, '{ __typename }', { ip })))).toEqual({ 200: 6 });
    const onSecond = await burst(5, 1, () => graphql(second, '{ __typename }', { ip }));
    expect(onSecond.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 429]);
    expectRateLimited(onSecond[4]);
    expectRateLimited(await graphql(first, '{ __typename }', { ip }));
    expect(Number(await redis.get(`${prefix}rate-limit:ip:${ip}`))).toBeGreaterThanOrEqual(11);
  });

  it('shares the failed-authentication bucket: 20 bad tokens spread over both processes, then 429 on both', async () => {
    const ip = freshIp();
    const answers = await burst(20, 10, (index) => graphql(index % 2 === 0 ? first : second, '{ __typename }', { token: `forged.${index}`, ip }));
    expect(statusCounts(answers)).toEqual({ 401: 20 });
    expectRateLimited(await graphql(first, '{ __typename }', { token: 'forged.again', ip }));
    expectRateLimited(await graphql(second, '{ __typename }', { token: 'forged.again', ip }));
  });
});
