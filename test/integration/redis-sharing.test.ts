import { createHash, randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { CREATE_ACCOUNT, grant } from '../support/fixtures';
import { BALANCES } from '../support/foundation';
import { createTestDatabase, startTestServer, TestDatabaseHandle, TestServer } from '../support/harness';
import { collect, connect } from '../support/subscriptions';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const BALANCE_CHANGED = `subscription($id: ID!) { balanceChanged(accountId: $id) { eventId accountId totalBalance } }`;

// jest.config.js checks Redis once and says loudly when it is missing (fatal under REQUIRE_REDIS=1).
const describeWithRedis = process.env.TEST_REDIS_AVAILABLE === '1' ? describe : describe.skip;

/** One POST with a raw body (graphql-request cannot send an APQ request without a query). */
async function post(server: TestServer, body: Record<string, unknown>, token: string) {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { data?: Record<string, any> | null; errors?: { extensions?: { code?: string } }[] };
}

/** Waits until Redis has a subscriber on `channel`: the subscription is live on the server. */
async function untilSubscribed(redis: Redis, channel: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [, subscribers] = (await redis.call('PUBSUB', 'NUMSUB', channel)) as [string, number];
    if (Number(subscribers) > 0) return;
    if (Date.now() > deadline) throw new Error(`nobody subscribed to ${channel}; channels: ${JSON.stringify(await redis.call('PUBSUB', 'CHANNELS', '*'))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Two deployments (each its own database and REDIS_KEY_PREFIX) on one Redis, the first with two
 * processes: persisted queries registered on one process are found by the other, and neither the
 * persisted queries nor the notification channels of one deployment reach the other.
 */
describeWithRedis('sharing one Redis: persisted queries and prefixed channels', () => {
  const prefix = `test-${randomBytes(4).toString('hex')}:`;
  const otherPrefix = `test-${randomBytes(4).toString('hex')}:`;
  let redis: Redis;
  let firstDatabase: TestDatabaseHandle;
  let otherDatabase: TestDatabaseHandle;
  let first: TestServer;
  let second: TestServer;
  let other: TestServer;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    firstDatabase = await createTestDatabase();
    otherDatabase = await createTestDatabase();
    first = await startTestServer({ database: firstDatabase, env: { REDIS_URL, REDIS_KEY_PREFIX: prefix, GRAPHQL_PERSISTED_QUERY_TTL_SECONDS: '600' } });
    second = await startTestServer({ database: firstDatabase, env: { REDIS_URL, REDIS_KEY_PREFIX: prefix } });
    other = await startTestServer({ database: otherDatabase, env: { REDIS_URL, REDIS_KEY_PREFIX: otherPrefix } });
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await other?.stop();
    await firstDatabase?.drop();
    await otherDatabase?.drop();
    const keys = [...(await redis.keys(`${prefix}*`)), ...(await redis.keys(`${otherPrefix}*`))];
    if (keys.length > 0) await redis.del(...keys);
    redis?.disconnect();
  });

  async function accountIn(server: TestServer, id: string): Promise<void> {
    await server.ok(
      CREATE_ACCOUNT,
      { input: { id, kind: 'CUSTOMER', name: `Account ${id}`, region: 'VN', status: 'ACTIVE', partnerId: null } },
      await server.adminToken(),
    );
  }

  it('finds a query registered on one process from another, under the prefix and with the TTL', async () => {
    const accountId = `apq-${randomBytes(4).toString('hex')}`;
    await accountIn(first, accountId);
    const token = await first.userToken(accountId);
    // A text no other test sends, so the hash cannot already be registered.
    const query = `${BALANCES} # ${accountId}`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const persistedQuery = { extensions: { persistedQuery: { version: 1, sha256Hash } }, variables: { accountId } };

    // Not known anywhere yet: the client is told to send the text.
    expect((await post(second, persistedQuery, token)).errors?.map((error) => error.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);

    const registered = await post(first, { ...persistedQuery, query }, token);
    expect(registered.errors).toBeUndefined();
    expect(registered.data?.balances.totalBalance).toBe('0.000000');

    // Apollo writes the entry after answering; wait for it in Redis.
    const key = `${prefix}apq:${sha256Hash}`;
    const deadline = Date.now() + 5000;
    while ((await redis.exists(key)) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await redis.get(key)).toBe(query);
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(500);
    expect(ttl).toBeLessThanOrEqual(600);

    // The hash alone now works on the other process of the same deployment …
    const byHash = await post(second, persistedQuery, token);
    expect(byHash.errors).toBeUndefined();
    expect(byHash.data?.balances).toMatchObject({ accountId, totalBalance: '0.000000' });
    // … and not on a deployment with another prefix, though it shares the Redis.
    expect((await post(other, persistedQuery, await other.adminToken())).errors?.map((error) => error.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('publishes notifications on channels under the prefix, unheard by a deployment with another prefix', async () => {
    // The same account id in both deployments' databases: only the prefix keeps their events apart.
    const accountId = `bus-${randomBytes(4).toString('hex')}`;
    await accountIn(first, accountId);
    await accountIn(other, accountId);
    const mine = collect<{ balanceChanged: { totalBalance: string } }>(
      connect(second.websocketUrl, await second.userToken(accountId)),
      BALANCE_CHANGED,
      {
        id: accountId,
      },
      { currentStateFirst: true },
    );
    const theirs = collect<{ balanceChanged: { totalBalance: string } }>(
      connect(other.websocketUrl, await other.userToken(accountId)),
      BALANCE_CHANGED,
      {
        id: accountId,
      },
      { currentStateFirst: true },
    );
    try {
      await untilSubscribed(redis, `${prefix}notification:BALANCE_CHANGED:${accountId}`);
      await untilSubscribed(redis, `${otherPrefix}notification:BALANCE_CHANGED:${accountId}`);
      expect(await redis.call('PUBSUB', 'NUMSUB', `BALANCE_CHANGED:${accountId}`)).toEqual([`BALANCE_CHANGED:${accountId}`, 0]);

      await grant(first, accountId, '3');
      const [event] = await mine.waitFor(1);
      expect(event.balanceChanged.totalBalance).toBe('3.000000');
      // Published to Redis at the same moment as the event above; give a stray delivery time to land.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(theirs.events).toEqual([]);
      expect(theirs.errors).toEqual([]);
    } finally {
      await mine.close();
      await theirs.close();
    }
  });
});
