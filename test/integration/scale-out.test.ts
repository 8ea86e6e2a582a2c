import { createTestDatabase, startTestServer, TestDatabaseHandle, TestServer } from '../support/harness';
import { createAccount, grant } from '../support/fixtures';
import { collect, connect, untilFirstEvent } from '../support/subscriptions';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const BALANCE_CHANGED = `subscription($id: ID!) { balanceChanged(accountId: $id) { eventId accountId totalBalance movementType } }`;

/**
 * Two stateless processes (here: two servers in one test process, each with its own
 * connections) share one database and Redis: a change made through one reaches a subscriber
 * connected to the other, exactly once per outbox event.
 */
// jest.config.js checks Redis once and says loudly when it is missing (fatal under REQUIRE_REDIS=1).
const describeWithRedis = process.env.TEST_REDIS_AVAILABLE === '1' ? describe : describe.skip;

describeWithRedis('scale-out over Redis', () => {
  let database: TestDatabaseHandle;
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    first = await startTestServer({ database, env: { REDIS_URL } });
    second = await startTestServer({ database, env: { REDIS_URL } });
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await database?.drop();
  });

  it('reports the Redis bus as ready', async () => {
    const response = await fetch(`${second.url}/readyz`);
    expect(await response.json()).toMatchObject({ status: 'ready', bus: 'redis' });
  });

  it('delivers a balance change made on one process to a subscriber on the other, once per event', async () => {
    const accountId = await createAccount(first);
    const subscription = collect<{ balanceChanged: { eventId: string; totalBalance: string } }>(
      connect(second.websocketUrl, await second.userToken(accountId)),
      BALANCE_CHANGED,
      { id: accountId },
      { currentStateFirst: true },
    );
    try {
      // Grants until the subscription is live (graphql-ws has no "subscribed" ack), then one more.
      let granted = await untilFirstEvent(subscription, async () => {
        await grant(first, accountId, '1');
      });
      await grant(first, accountId, '1');
      granted++;
      const last = `${granted}.000000`;
      const deadline = Date.now() + 10_000;
      while (!subscription.events.some((event) => event.balanceChanged.totalBalance === last) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const totals = subscription.events.map((event) => event.balanceChanged.totalBalance);
      expect(totals).toContain(last);
      const eventIds = subscription.events.map((event) => event.balanceChanged.eventId);
      expect(new Set(eventIds).size).toBe(eventIds.length);
    } finally {
      await subscription.close();
    }
    expect(await first.audit()).toEqual([]);
  });
});
