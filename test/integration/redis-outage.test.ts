import { IsNull } from 'typeorm';
import { OutboxEventEntity } from '../../src/notifications/outbox.entity';
import { createAccount, grant } from '../support/fixtures';
import { BALANCES } from '../support/foundation';
import { startTestServer, TestServer } from '../support/harness';
import { PrivateRedis } from '../support/private-redis';
import { collect, connect, untilFirstEvent } from '../support/subscriptions';

const BALANCE_CHANGED = 'subscription($id: ID!) { balanceChanged(accountId: $id) { eventId accountId movementType amount } }';

/**
 * Redis (the notification bus between processes) goes away and comes back: the server keeps
 * answering, commits keep succeeding, and the notifications they wrote wait in the outbox and are
 * delivered once Redis is back. The Redis is the test's own, killed and restarted on its port.
 */
describe('a Redis outage delays notifications and loses none', () => {
  let redis: PrivateRedis;
  let server: TestServer;
  beforeAll(async () => {
    redis = await PrivateRedis.create();
    server = await startTestServer({ env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.kill();
  });

  const unpublished = () => server.services.runner.read((manager) => manager.count(OutboxEventEntity, { where: { publishedAt: IsNull() } }));

  it('keeps serving while Redis is down and delivers the waiting notifications when it returns', async () => {
    const accountId = await createAccount(server);
    const token = await server.userToken(accountId);
    const early = collect<any>(connect(server.websocketUrl, token), BALANCE_CHANGED, { id: accountId }, { currentStateFirst: true });
    // Grants of 1 until the subscription is live (those before it are not heard: plain pub/sub).
    const triggers = await untilFirstEvent(early, async () => void (await grant(server, accountId, '1')));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = early.events.length;

    await redis.kill();
    // Commits and reads go on, quickly.
    const started = Date.now();
    for (let index = 0; index < 3; index++) await grant(server, accountId, '2');
    expect((await server.ok(BALANCES, { accountId }, token)).balances.promotionalBalance).toBe(`${triggers + 6}.000000`);
    expect(Date.now() - started).toBeLessThan(5000);
    // A subscription opened during the outage is accepted too (it goes live when Redis returns).
    const late = collect<any>(connect(server.websocketUrl, token), BALANCE_CHANGED, { id: accountId }, { currentStateFirst: true });
    // The outbox tried, failed, and kept every row.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await unpublished()).toBeGreaterThanOrEqual(3);
    expect(early.events.length).toBe(before);

    await redis.start();
    const delivered = await early.waitFor(before + 3, 20_000);
    expect(delivered.slice(before).map((event) => event.balanceChanged.amount)).toEqual(['2.000000', '2.000000', '2.000000']);
    const deadline = Date.now() + 10_000;
    while ((await unpublished()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await unpublished()).toBe(0);

    // The late subscription is live now.
    await untilFirstEvent(late, async () => void (await grant(server, accountId, '1')), 20_000);
    expect(late.errors).toEqual([]);
    await early.close();
    await late.close();
    expect(await server.audit()).toEqual([]);
  });
});
