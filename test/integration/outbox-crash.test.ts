import { IsNull } from 'typeorm';
import { OutboxEventEntity } from '../../src/notifications/outbox.entity';
import { TopUpStatusChanged } from '../../src/payments/top-ups/top-up-events';
import { createTestDatabase, startTestServer, TestDatabaseHandle, TestServer } from '../support/harness';
import { balancesOf, createBuyer, createTopUp, ledgerTopUpCredits, readTopUp, subscribeToTopUp } from '../support/top-ups';

describe('outbox: a crash between commit and publish loses no payment notification', () => {
  let database: TestDatabaseHandle;
  let first: TestServer | null = null;
  let second: TestServer | null = null;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await database.drop();
  });

  it('delivers the committed top-up status change from a new server on the same database', async () => {
    first = await startTestServer({ database });
    const buyer = await createBuyer(first, { region: 'US' });
    const topUp = await createTopUp(first, buyer, { method: 'STRIPE', amount: '33' });

    // The process "dies" right after committing: its outbox relay stops, so nothing it commits from now on is published.
    await first.services.outbox.stop();
    const delivery = await first.standIns.stripe.succeed(topUp.providerReference);
    expect(delivery.delivery?.status).toBe(200);
    expect((await readTopUp(first, buyer, topUp.id)).status).toBe('SUCCEEDED');
    const pending = await first.services.runner.read((manager) =>
      manager.find(OutboxEventEntity, { where: { publishedAt: IsNull(), topic: TopUpStatusChanged.topic } }),
    );
    expect(pending.map((row) => JSON.parse(row.payload).key)).toEqual([topUp.id]);
    // Say it had claimed the rows just before dying: the lease keeps another process off them for a
    // moment, long enough for the subscriber below to connect to the new server first.
    await first.services.runner.transaction((manager) =>
      manager.update(OutboxEventEntity, { publishedAt: IsNull() }, { leaseOwner: 'crashed-process', leaseUntil: new Date(Date.now() + 3000) }),
    );
    await first.stop();
    first = null;

    second = await startTestServer({ database });
    // Listening on the new server's bus before the lease lapses: the committed event must come out of its outbox.
    const relayed = second.services.bus.subscribe(TopUpStatusChanged.topic, topUp.id)[Symbol.asyncIterator]();
    const firstRelayed = relayed.next();
    // A console subscribing now reads the committed state at once (its first message)…
    const subscription = await subscribeToTopUp(second, buyer.token, topUp);
    expect(subscription.current?.topUpStatusChanged).toMatchObject({
      topUpId: topUp.id,
      status: 'SUCCEEDED',
      topUpBalance: '33.000000',
      totalBalance: '33.000000',
    });
    // …and the new server publishes the row the dead one left, with its outbox id.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error('the outbox row was never published')), 15_000)));
    const { value } = await Promise.race([firstRelayed, timeout]).finally(() => clearTimeout(timer));
    expect(TopUpStatusChanged.readPublished(value)).toMatchObject({
      eventId: pending[0].id,
      topUpId: topUp.id,
      status: 'SUCCEEDED',
      topUpMicros: 33_000_000n,
      totalMicros: 33_000_000n,
    });
    await relayed.return?.();
    // The subscriber, which already has SUCCEEDED, is not told it again.
    await second.settle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(subscription.events).toEqual([]);
    await subscription.close();

    const unpublished = await second.services.runner.read((manager) => manager.count(OutboxEventEntity, { where: { publishedAt: IsNull() } }));
    expect(unpublished).toBe(0);
    expect(await balancesOf(second, buyer)).toMatchObject({ topUpBalance: '33.000000' });
    expect(await ledgerTopUpCredits(second, topUp.id)).toBe(1);
    expect(await second.audit()).toEqual([]);
  });
});
