import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { signToken } from '../../src/auth/jwt';
import { Role, Scope } from '../../src/auth/principal';
import { createLogger } from '../../src/common/logger';
import { DEVELOPMENT_JWT_SECRET, loadConfig } from '../../src/config';
import { demoModule } from '../../src/demo/demo.module';
import { MODULES } from '../../src/server/modules';
import { auditLedger } from '../../src/ledger/ledger-audit';
import { closeServices, createServices, Services } from '../../src/server/services';
import { CREATE_ACCOUNT } from '../support/fixtures';
import { BALANCES, CREDIT_HISTORY } from '../support/foundation';
import { GraphQLResult, TEST_RATE_LIMITS, TestServer } from '../support/harness';
import { ReplicatedMariaDb } from '../support/mariadb-replication';
import { credits, fundTopUp, TRANSFER } from '../support/partners';
import { seededRandom } from '../support/seeded-random';
import { ServerProcess, startServerProcess } from '../support/server-process';
import { collect, connect } from '../support/subscriptions';

/**
 * Three stateless server processes on one MariaDB primary with a read replica, and one Redis.
 *
 * MariaDB only: the test starts a primary and a replica of its own (test/support/mariadb-replication.ts)
 * and three `src/main.ts` processes on them. The embedded SQLite is one file inside one process; it
 * has no replica and is not shared by processes, so jest.config.js leaves this file out of the
 * SQLite project (test/integration/scale-out.test.ts covers two processes on either database).
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// jest.config.js checks Redis once and says loudly when it is missing (fatal under REQUIRE_REDIS=1).
const describeWithRedis = process.env.TEST_REDIS_AVAILABLE === '1' ? describe : describe.skip;

const BALANCE_CHANGED = `subscription($id: ID!) { balanceChanged(accountId: $id) { eventId accountId totalBalance } }`;
const TOP_UP_REPORT = /* GraphQL */ `
  query TopUps($period: ReportPeriodInput!) {
    creditTopUpReport(period: $period) {
      rows {
        kind
        accountId
        amount
      }
      totalTransferred
    }
  }
`;

interface Transfer {
  transferCredits: { transfer: { id: string; amount: string } };
}

const hour = 3_600_000;
/** A report period around now, on whole hours as reports require. */
const reportPeriod = () => ({
  from: new Date(Math.floor(Date.now() / hour) * hour - hour).toISOString(),
  to: new Date(Math.floor(Date.now() / hour) * hour + 2 * hour).toISOString(),
  timeZone: 'UTC',
});

describeWithRedis('three processes on a MariaDB primary with a read replica and one Redis (MariaDB only)', () => {
  const prefix = `scale-${randomBytes(4).toString('hex')}:`;
  let database: ReplicatedMariaDb;
  let servers: ServerProcess[] = [];
  /** Not a server: the test's own services on the primary, to fund partners through the ledger and to audit it. */
  let control: Services;
  let redis: Redis;
  let turn = 0;
  let subjects = 0;

  /** The next process, round-robin, as a load balancer would pick it. */
  const next = () => servers[turn++ % servers.length];
  const call = <T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<GraphQLResult<T>> =>
    next().call<T>(query, variables, token);
  const ok = async <T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<T> => {
    const result = await call<T>(query, variables, token);
    if (result.errors.length > 0) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data as T;
  };
  const adminToken = () => signToken(DEVELOPMENT_JWT_SECRET, { sub: 'admin', scopes: [Scope.ADMIN] });
  const userToken = (accountId: string, role = Role.OWNER) => signToken(DEVELOPMENT_JWT_SECRET, { sub: `user-${++subjects}`, accountId, role });

  async function createAccount(input: { kind: 'CUSTOMER' | 'PARTNER'; partnerId?: string }): Promise<string> {
    const id = `${input.kind.toLowerCase()}-${randomBytes(5).toString('hex')}`;
    await ok(
      CREATE_ACCOUNT,
      { input: { id, kind: input.kind, name: `Account ${id}`, region: 'VN', status: 'ACTIVE', partnerId: input.partnerId ?? null } },
      await adminToken(),
    );
    return id;
  }

  /** A funded partner with `customerCount` customers, created through the round-robin. */
  async function partnerWithCustomers(fundedCredits: number, customerCount: number) {
    const partnerId = await createAccount({ kind: 'PARTNER' });
    const customerIds = [];
    for (let index = 0; index < customerCount; index++) customerIds.push(await createAccount({ kind: 'CUSTOMER', partnerId }));
    // fundTopUp reads only `services` (runner, ledger, outbox) from the server it is given.
    await fundTopUp({ services: control } as unknown as TestServer, partnerId, credits(fundedCredits));
    return { partnerId, customerIds, ownerToken: await userToken(partnerId) };
  }

  const transfer = (server: ServerProcess, token: string, input: { customerAccountId: string; amount: string; idempotencyKey: string }) =>
    server.call<Transfer>(TRANSFER, { input }, token);
  const newKey = () => `scale-${randomBytes(6).toString('hex')}`;

  async function totalOn(server: ServerProcess, accountId: string, token: string): Promise<string> {
    const result = await server.call(BALANCES, { accountId }, token);
    expect(result.errors).toEqual([]);
    return result.data.balances.totalBalance;
  }

  async function historyOn(server: ServerProcess, accountId: string, token: string): Promise<string[]> {
    const result = await server.call(CREDIT_HISTORY, { accountId, first: 50 }, token);
    expect(result.errors).toEqual([]);
    return result.data.creditHistory.edges.map((edge: { node: { type: string; amount: string } }) => `${edge.node.type} ${edge.node.amount}`);
  }

  async function topUpReportOn(server: ServerProcess, token: string) {
    const result = await server.call(TOP_UP_REPORT, { period: reportPeriod() }, token);
    expect(result.errors).toEqual([]);
    return result.data.creditTopUpReport as { rows: { kind: string; accountId: string; amount: string }[]; totalTransferred: string };
  }

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    database = await ReplicatedMariaDb.start();
    const { primaryUrl, replicaUrl } = await database.createDatabase(`credits_scale_${randomBytes(4).toString('hex')}`);
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: primaryUrl,
      DATABASE_REPLICA_URL: replicaUrl,
      DATABASE_POOL_SIZE: '8',
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      SEED_DEMO_DATA: 'false',
      OUTBOX_POLL_INTERVAL_MS: '200',
      ...TEST_RATE_LIMITS,
    };
    // The first process migrates the empty database; the other two start on the migrated schema.
    const first = await startServerProcess('server-1', { ...env, DATABASE_RUN_MIGRATIONS: 'true' });
    servers = [first, ...(await Promise.all([startServerProcess('server-2', env), startServerProcess('server-3', env)]))];
    control = await createServices(
      loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: primaryUrl, REDIS_URL, REDIS_KEY_PREFIX: prefix, SEED_DEMO_DATA: 'false' }),
      createLogger('silent'),
      { modules: [...MODULES, demoModule()] },
    );
  }, 240_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    if (control) await closeServices(control);
    await database?.destroy();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis?.disconnect();
  }, 60_000);

  afterEach(async () => {
    // A failed test must not leave the next one with replication paused.
    if (database?.replica.running) await database.resumeReplication();
  });

  it('runs three processes, each ready, on the Redis bus', async () => {
    for (const server of servers) {
      const ready = await fetch(server.graphqlUrl.replace('/graphql', '/readyz'));
      expect(await ready.json()).toMatchObject({ status: 'ready', database: 'mysql', bus: 'redis' });
    }
    expect(new Set(servers.map((server) => server.graphqlUrl)).size).toBe(3);
  });

  it('delivers every balance change to subscribers on all three processes, whichever process caused it', async () => {
    const { customerIds, ownerToken } = await partnerWithCustomers(100, 1);
    const [customerId] = customerIds;
    const customerToken = await userToken(customerId);
    const subscribers = servers.map((server) =>
      collect<{ balanceChanged: { eventId: string; totalBalance: string } }>(
        connect(server.websocketUrl, customerToken),
        BALANCE_CHANGED,
        { id: customerId },
        { currentStateFirst: true },
      ),
    );
    try {
      // Each process holds one Redis subscription per channel: three subscribers mean all three are live.
      const channel = `${prefix}notification:BALANCE_CHANGED:${customerId}`;
      const deadline = Date.now() + 15_000;
      while (Number(((await redis.call('PUBSUB', 'NUMSUB', channel)) as [string, number])[1]) < 3) {
        if (Date.now() > deadline) throw new Error(`not every process subscribed to ${channel}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // One transfer through each process.
      for (const server of servers) {
        const result = await transfer(server, ownerToken, { customerAccountId: customerId, amount: '1', idempotencyKey: newKey() });
        expect(result.errors).toEqual([]);
      }
      for (const subscriber of subscribers) {
        const events = await subscriber.waitFor(3, 15_000);
        expect(events.map((event) => event.balanceChanged.totalBalance).sort()).toEqual(['1.000000', '2.000000', '3.000000']);
        expect(new Set(events.map((event) => event.balanceChanged.eventId)).size).toBe(3);
      }
      const eventIdsPerSubscriber = subscribers.map((subscriber) =>
        subscriber.events
          .map((event) => event.balanceChanged.eventId)
          .sort()
          .join(),
      );
      expect(new Set(eventIdsPerSubscriber).size).toBe(1);
    } finally {
      await Promise.all(subscribers.map((subscriber) => subscriber.close()));
    }
  });

  it('makes one transfer of a key sent to all three processes at once and retried on each', async () => {
    const { partnerId, customerIds, ownerToken } = await partnerWithCustomers(50, 1);
    const input = { customerAccountId: customerIds[0], amount: '5', idempotencyKey: newKey() };

    const concurrent = await Promise.all(servers.map((server) => transfer(server, ownerToken, input)));
    for (const result of concurrent) expect(result.errors).toEqual([]);
    const ids = new Set(concurrent.map((result) => result.data!.transferCredits.transfer.id));
    expect(ids.size).toBe(1);

    // Retries, one after another, each on another process than the last.
    for (const server of [...servers].reverse()) {
      const retry = await transfer(server, ownerToken, input);
      expect(retry.errors).toEqual([]);
      expect(retry.data!.transferCredits.transfer.id).toBe([...ids][0]);
    }
    // The same key for a different transfer is refused wherever it lands.
    const reused = await transfer(servers[1], ownerToken, { ...input, amount: '6' });
    expect(reused.errors.map((error) => error.extensions?.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);

    expect(await totalOn(next(), partnerId, ownerToken)).toBe('45.000000');
    expect(await totalOn(next(), customerIds[0], ownerToken)).toBe('5.000000');
  });

  it('keeps every invariant when a hot partner’s transfers are spread over the three processes', async () => {
    const funded = 300;
    const { partnerId, customerIds, ownerToken } = await partnerWithCustomers(funded, 6);
    const random = seededRandom(12);
    const requests = Array.from({ length: 90 }, (_, index) => ({
      customerAccountId: customerIds[index % customerIds.length],
      amount: String(1 + Math.floor(random() * 9)),
      idempotencyKey: newKey(),
    }));
    const received = new Map<string, bigint>(customerIds.map((id) => [id, 0n]));
    const transferIds = new Set<string>();
    let refused = 0;
    // Fifteen in flight at a time, round-robin over the processes.
    for (let start = 0; start < requests.length; start += 15) {
      const batch = requests.slice(start, start + 15);
      const results = await Promise.all(batch.map((input) => transfer(next(), ownerToken, input)));
      results.forEach((result, index) => {
        if (result.errors.length > 0) {
          expect(result.errors.map((error) => error.extensions?.code)).toEqual(['INSUFFICIENT_CREDITS']);
          refused++;
          return;
        }
        transferIds.add(result.data!.transferCredits.transfer.id);
        received.set(batch[index].customerAccountId, received.get(batch[index].customerAccountId)! + credits(Number(batch[index].amount)));
      });
    }
    const transferred = [...received.values()].reduce((sum, amount) => sum + amount, 0n);
    // The funding runs out (about 450 credits asked of 300): both outcomes happened.
    expect(refused).toBeGreaterThan(0);
    expect(transferIds.size).toBe(requests.length - refused);

    const micros = (total: string) => BigInt(total.replace('.', ''));
    expect(micros(await totalOn(next(), partnerId, ownerToken))).toBe(credits(funded) - transferred);
    for (const customerId of customerIds) expect(micros(await totalOn(next(), customerId, ownerToken))).toBe(received.get(customerId));
    const [{ stored }] = await control.dataSource.query('SELECT COUNT(*) AS stored FROM credit_transfer WHERE partnerAccountId = ?', [partnerId]);
    expect(Number(stored)).toBe(transferIds.size);
    expect(await auditLedger(control.dataSource)).toEqual([]);
  });

  it('reads history and reports from the replica and balances from the primary: a lagging replica shows the transfer late, balances at once', async () => {
    const { customerIds, ownerToken } = await partnerWithCustomers(100, 1);
    const [customerId] = customerIds;
    expect((await transfer(next(), ownerToken, { customerAccountId: customerId, amount: '10', idempotencyKey: newKey() })).errors).toEqual([]);
    await database.waitForReplica();
    for (const server of servers) expect(await historyOn(server, customerId, ownerToken)).toEqual(['TRANSFER_IN 10.000000']);

    await database.pauseReplication();
    expect((await transfer(next(), ownerToken, { customerAccountId: customerId, amount: '7', idempotencyKey: newKey() })).errors).toEqual([]);
    for (const server of servers) {
      expect(await totalOn(server, customerId, ownerToken)).toBe('17.000000');
      expect(await historyOn(server, customerId, ownerToken)).toEqual(['TRANSFER_IN 10.000000']);
      expect((await topUpReportOn(server, ownerToken)).totalTransferred).toBe('10.000000');
    }

    await database.resumeReplication();
    await database.waitForReplica();
    for (const server of servers) {
      expect(await historyOn(server, customerId, ownerToken)).toEqual(['TRANSFER_IN 7.000000', 'TRANSFER_IN 10.000000']);
      const report = await topUpReportOn(server, ownerToken);
      expect(report.totalTransferred).toBe('17.000000');
      // The partner's own funding is a TOP_UP row beside the two transfers.
      expect(
        report.rows
          .filter((row) => row.kind === 'TRANSFER')
          .map((row) => row.amount)
          .sort(),
      ).toEqual(['10.000000', '7.000000']);
    }
  });

  it('keeps money paths, balances, history and reports working when the replica dies (reads fall back to the primary)', async () => {
    const { partnerId, customerIds, ownerToken } = await partnerWithCustomers(100, 1);
    const [customerId] = customerIds;
    expect((await transfer(next(), ownerToken, { customerAccountId: customerId, amount: '10', idempotencyKey: newKey() })).errors).toEqual([]);
    await database.waitForReplica();

    await database.replica.kill();
    for (const server of servers) {
      const result = await transfer(server, ownerToken, { customerAccountId: customerId, amount: '1', idempotencyKey: newKey() });
      expect(result.errors).toEqual([]);
    }
    for (const server of servers) {
      expect(await totalOn(server, customerId, ownerToken)).toBe('13.000000');
      expect(await totalOn(server, partnerId, ownerToken)).toBe('87.000000');
      // Served by the primary: the transfers made after the replica died are there.
      expect(await historyOn(server, customerId, ownerToken)).toEqual([
        'TRANSFER_IN 1.000000',
        'TRANSFER_IN 1.000000',
        'TRANSFER_IN 1.000000',
        'TRANSFER_IN 10.000000',
      ]);
      expect((await topUpReportOn(server, ownerToken)).totalTransferred).toBe('13.000000');
      await server.waitForOutput('read replica unreachable: history and reports read from the primary');
    }
    expect(await auditLedger(control.dataSource)).toEqual([]);
  });
});
