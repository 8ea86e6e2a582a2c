import { randomBytes } from 'node:crypto';
import { BALANCES } from '../support/foundation';
import { createAccount, newKey } from '../support/fixtures';
import { codes, GraphQLResult, startTestServer, TestDatabaseHandle, TestServer } from '../support/harness';
import { credits, partnerWithCustomer, TRANSFER } from '../support/partners';
import { PrivateMariaDb } from '../support/private-mariadb';
import { TcpProxy } from '../support/tcp-proxy';
import { createBuyer, createTopUp } from '../support/top-ups';

/**
 * MariaDB only: these tests kill and restart a database, which needs a server process of their own
 * (test/support/private-mariadb.ts). The embedded SQLite is a file inside the process and cannot
 * become unreachable the same way, so jest.config.js leaves this file out of the SQLite project.
 */
const POOL_SIZE = 6;

/** One GraphQL POST with its HTTP status (graphql-request hides the status). */
async function post(server: TestServer, query: string, variables: Record<string, unknown>, token: string) {
  const started = Date.now();
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLResult;
  return { status: response.status, body, elapsedMs: Date.now() - started };
}

/** A log line of the server under test, as pino wrote it. */
interface LogLine {
  level: number;
  msg: string;
  component?: string;
  dependency?: string;
}

describe('database faults on a private MariaDB (MariaDB only: the test kills its own mariadbd)', () => {
  let database: PrivateMariaDb;
  let server: TestServer;
  let handle: TestDatabaseHandle;
  const logLines: LogLine[] = [];

  beforeAll(async () => {
    database = await PrivateMariaDb.start();
    const url = await database.createDatabase(`credits_faults_${randomBytes(4).toString('hex')}`);
    handle = { env: { DATABASE_URL: url, DATABASE_RUN_MIGRATIONS: 'true' }, drop: async () => undefined };
    server = await startTestServer({
      database: handle,
      // No balance cache: every read below must reach the database (a cached balance would answer 200
      // while it is down, as documented for BALANCE_CACHE_MS).
      env: {
        DATABASE_POOL_SIZE: String(POOL_SIZE),
        DATABASE_CONNECT_TIMEOUT_MS: '1500',
        DATABASE_ACQUIRE_TIMEOUT_MS: '1000',
        BALANCE_CACHE_MS: '0',
        LOG_LEVEL: 'info',
      },
      logDestination: { write: (line) => void logLines.push(JSON.parse(line) as LogLine) },
    });
  }, 120_000);
  afterEach(async () => {
    // A failed test must not leave the next one without its database.
    if (!database.running) await database.restart();
  });
  afterAll(async () => {
    await server?.stop();
    await database?.destroy();
  });

  /** Fills the pool: every connection is open, idle, and about to die with the server. */
  async function warmPool(token: string, accountId: string) {
    const results = await Promise.all(Array.from({ length: POOL_SIZE * 3 }, () => server.call(BALANCES, { accountId }, token)));
    for (const result of results) expect(result.errors).toEqual([]);
  }

  it('answers SERVICE_UNAVAILABLE (retryable, HTTP 503) quickly while the database is down, and recovers without a restart', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(100));
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '20' });
    const customerToken = await server.userToken(customerId);
    await warmPool(ownerToken, partnerId);

    const linesBefore = logLines.length;
    await database.kill();

    const read = await post(server, BALANCES, { accountId: partnerId }, ownerToken);
    expect(read.status).toBe(503);
    expect(read.body.data).toBeNull();
    expect(read.body.errors.map((error) => error.extensions)).toEqual([{ code: 'SERVICE_UNAVAILABLE', retryable: true }]);
    expect(read.elapsedMs).toBeLessThan(3000);

    const transferKey = newKey();
    const transfer = await post(server, TRANSFER, { input: { customerAccountId: customerId, amount: '7', idempotencyKey: transferKey } }, ownerToken);
    expect(transfer.status).toBe(503);
    expect(codes(transfer.body)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(transfer.body.errors[0].extensions?.retryable).toBe(true);

    // Many at once, as a busy front end would send: all refused the same way, none hangs.
    const burst = await Promise.all(Array.from({ length: 20 }, () => post(server, BALANCES, { accountId: customerId }, customerToken)));
    expect(new Set(burst.map((answer) => answer.status))).toEqual(new Set([503]));
    expect(new Set(burst.flatMap((answer) => codes(answer.body)))).toEqual(new Set(['SERVICE_UNAVAILABLE']));
    expect(Math.max(...burst.map((answer) => answer.elapsedMs))).toBeLessThan(3000);

    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);

    const period = 'from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z';
    const csv = await fetch(`${server.url}/reports/usage.csv?${period}`, { headers: { authorization: `Bearer ${ownerToken}` } });
    expect(csv.status).toBe(503);
    expect(((await csv.json()) as GraphQLResult).errors[0].extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });

    // The provider is told to deliver again later (and would).
    const delivery = await server.standIns.stripe.succeed(topUp.providerReference);
    expect(delivery.delivery?.status).toBe(503);

    // The pollers (outbox, workers) meet the outage every round: still one line for all of it.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await database.restart();

    // Every pooled connection died with the old server. Not one request may fail on them.
    const afterwards = await Promise.all(Array.from({ length: POOL_SIZE * 4 }, () => server.call(BALANCES, { accountId: partnerId }, ownerToken)));
    expect(afterwards.flatMap(codes)).toEqual([]);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    // The refused transfer replayed with its key is applied once; the webhook redelivered credits once.
    const replay = await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '7', idempotencyKey: transferKey } }, ownerToken);
    expect(replay.transferCredits.customerBalances.topUpBalance).toBe('7.000000');
    const again = await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '7', idempotencyKey: transferKey } }, ownerToken);
    expect(again.transferCredits.transfer.id).toBe(replay.transferCredits.transfer.id);
    const redelivery = await server.standIns.stripe.deliver(delivery);
    expect(redelivery.status).toBe(200);
    expect((await server.ok(BALANCES, { accountId: buyer.accountId }, buyer.token)).balances.topUpBalance).toBe('20.000000');
    expect(await server.audit()).toEqual([]);

    // The logs: one warning when the outage began and one info line when it ended, none per poll.
    const outageLines = () => logLines.slice(linesBefore).filter((line) => line.component === 'outages' && line.dependency === 'database');
    const deadline = Date.now() + 10_000;
    while (!outageLines().some((line) => line.level === 30) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(outageLines().map((line) => `${line.level} ${line.msg.split(':')[0]}`)).toEqual([
      '40 database unreachable',
      expect.stringMatching(/^30 database reachable again after \d+\.\d s$/),
    ]);
    expect(logLines.slice(linesBefore).filter((line) => /drain failed|job failed|sweep failed/.test(line.msg))).toEqual([]);
  });

  it('retries a request that meets a dead pooled connection on a fresh one, so no request fails on one', async () => {
    // A second server reaches the same database through a relay that can make its pooled
    // connections die unnoticed (as behind a load balancer, or after a failover).
    const proxy = await TcpProxy.start(database.port);
    const viaProxy = await startTestServer({
      database: { env: { DATABASE_URL: handle.env.DATABASE_URL.replace(`:${database.port}/`, `:${proxy.port}/`) }, drop: async () => undefined },
      env: { DATABASE_POOL_SIZE: String(POOL_SIZE) },
    });
    try {
      const { customerId, ownerToken } = await partnerWithCustomer(viaProxy, credits(50));
      const token = await viaProxy.userToken(customerId);
      for (let round = 0; round < 3; round++) {
        const warm = await Promise.all(Array.from({ length: POOL_SIZE * 3 }, () => viaProxy.call(BALANCES, { accountId: customerId }, token)));
        expect(warm.flatMap(codes)).toEqual([]);
        expect(proxy.breakOpenConnections()).toBeGreaterThan(1);
        // Reads, and transfers (a transaction whose START meets the dead connection), all succeed.
        const reads = Promise.all(Array.from({ length: POOL_SIZE * 2 }, () => viaProxy.call(BALANCES, { accountId: customerId }, token)));
        const transfers = Promise.all(
          Array.from({ length: 3 }, () =>
            viaProxy.call(TRANSFER, { input: { customerAccountId: customerId, amount: '1', idempotencyKey: newKey() } }, ownerToken),
          ),
        );
        expect([...(await reads), ...(await transfers)].flatMap(codes)).toEqual([]);
      }
      expect((await viaProxy.ok(BALANCES, { accountId: customerId }, token)).balances.topUpBalance).toBe('9.000000');
      expect(await viaProxy.audit()).toEqual([]);
    } finally {
      await viaProxy.stop();
      await proxy.close();
    }
  });

  it('answers SERVICE_UNAVAILABLE within DATABASE_ACQUIRE_TIMEOUT_MS when every pooled connection stays busy', async () => {
    const accountId = await createAccount(server);
    const token = await server.userToken(accountId);
    // Hold every connection of the pool, as statements stuck on a frozen database would.
    const held = await Promise.all(
      Array.from({ length: POOL_SIZE }, async () => {
        const runner = server.services.dataSource.createQueryRunner();
        await runner.connect();
        return runner;
      }),
    );
    try {
      const answer = await post(server, BALANCES, { accountId }, token);
      expect(answer.status).toBe(503);
      expect(codes(answer.body)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(answer.elapsedMs).toBeGreaterThanOrEqual(900);
      expect(answer.elapsedMs).toBeLessThan(2500);
    } finally {
      await Promise.all(held.map((runner) => runner.release()));
    }
    expect((await server.call(BALANCES, { accountId }, token)).errors).toEqual([]);
  });
});
