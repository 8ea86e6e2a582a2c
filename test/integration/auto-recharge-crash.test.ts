import { IsNull } from 'typeorm';
import { AutoRecharge1796500000000 } from '../../migrations/1796500000000-AutoRecharge';
import { AutoRechargeAttemptEntity } from '../../src/payments/auto-recharge/entities/auto-recharge-attempt.entity';
import { OutboxEventEntity } from '../../src/notifications/outbox.entity';
import { autoTopUps, CARDS, saveCard, SET_AUTO_RECHARGE } from '../support/auto-recharge';
import { createTestDatabase, startTestServer, TEST_DATABASE, TestDatabaseHandle, TestServer } from '../support/harness';
import { credits, fundTopUp, RECORD_USAGE, usageEvent } from '../support/partners';
import { balancesOf, Buyer, countRows, createBuyer, createTopUp, ledgerTopUpCredits } from '../support/top-ups';
import { eventually } from '../support/webhook-receiver';
import { migrateAgain } from '../support/migrations';

/**
 * Auto-recharge across a process that dies: the crossing's movement committed, but the process
 * died before its outbox event was consumed (or before the fired charge was asked). Another process
 * on the same database fires and charges it, once.
 */
describe('auto-recharge: a crash between commit and firing still fires once', () => {
  let database: TestDatabaseHandle;
  const servers: TestServer[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const server of servers) await server.stop();
    await database.drop();
  });

  async function start(): Promise<TestServer> {
    const server = await startTestServer({ database });
    servers.push(server);
    return server;
  }

  async function stop(server: TestServer): Promise<void> {
    servers.splice(servers.indexOf(server), 1);
    await server.stop();
  }

  async function fundedCustomerWithRule(server: TestServer): Promise<Buyer> {
    const buyer = await createBuyer(server, { region: 'US' });
    await fundTopUp(server, buyer.accountId, credits(60));
    const paymentMethodId = await saveCard(server, buyer, CARDS.succeeds);
    await server.ok(SET_AUTO_RECHARGE, { input: { threshold: '50', amount: '20', monthlyCap: '100', paymentMethodId } }, buyer.token);
    await server.services.outbox.drain();
    return buyer;
  }

  const useUp = async (server: TestServer, buyer: Buyer) =>
    server.ok(RECORD_USAGE, { events: [usageEvent(buyer.accountId, '15')] }, await server.meteringToken());

  async function expectChargedOnce(server: TestServer, buyer: Buyer) {
    const [topUp] = await eventually(async () => {
      const list = await autoTopUps(server, buyer);
      return list.length === 1 && list[0].status === 'SUCCEEDED' ? list : undefined;
    }, 'the auto-recharge top-up to succeed');
    // Consumed once more, as a process whose lease lapsed would: still one top-up, one credit.
    await server.services.runner.transaction((manager) => manager.query('UPDATE outbox_event SET publishedAt = NULL, leaseOwner = NULL, leaseUntil = NULL'));
    await server.services.outbox.drain();
    await server.services.autoRechargeWorker.drain();
    expect(await autoTopUps(server, buyer)).toHaveLength(1);
    expect(await ledgerTopUpCredits(server, topUp.id)).toBe(1);
    expect(await countRows(server, 'SELECT COUNT(*) AS count FROM auto_recharge_attempt WHERE accountId = ?', [buyer.accountId])).toBe(1);
    expect(await balancesOf(server, buyer)).toMatchObject({ totalBalance: '65.000000' });
    expect(await server.audit()).toEqual([]);
  }

  it('fires from a new process when the crossing committed but its event was never consumed', async () => {
    const first = await start();
    const buyer = await fundedCustomerWithRule(first);
    // The process "dies" right after the usage commits: its outbox relay stops, so the event is never consumed there.
    await first.services.outbox.stop();
    await useUp(first, buyer);
    expect(await first.services.runner.read((manager) => manager.count(AutoRechargeAttemptEntity, { where: { accountId: buyer.accountId } }))).toBe(0);
    // It had claimed the rows just before dying: the lease keeps the next process off them until it lapses.
    await first.services.runner.transaction((manager) =>
      manager.update(OutboxEventEntity, { publishedAt: IsNull() }, { leaseOwner: 'crashed-process', leaseUntil: new Date(Date.now() + 1500) }),
    );
    await stop(first);

    const second = await start();
    await expectChargedOnce(second, buyer);
    await stop(second);
  });

  it('charges from a new process when the firing committed but the charge was never asked', async () => {
    const first = await start();
    const buyer = await fundedCustomerWithRule(first);
    // The process "dies" after the firing commits, before its worker asks Stripe.
    await first.services.autoRechargeWorker.stop();
    await useUp(first, buyer);
    const fired = await eventually(async () => {
      const attempts = await first.services.runner.read((manager) => manager.find(AutoRechargeAttemptEntity, { where: { accountId: buyer.accountId } }));
      return attempts.length === 1 ? attempts[0] : undefined;
    }, 'the crossing to fire');
    expect(fired).toMatchObject({ status: 'DUE', chargeAttempts: 0 });
    expect(await autoTopUps(first, buyer)).toMatchObject([{ status: 'PENDING', providerReference: null }]);
    await stop(first);

    const second = await start();
    await expectChargedOnce(second, buyer);
    await stop(second);
  });

  // MySQL migrations do not run on the embedded SQLite, whose schema comes from the entities.
  (TEST_DATABASE === 'mariadb' ? it : it.skip)('migrates a populated database: earlier top-ups become MANUAL and keep every row', async () => {
    const server = await start();
    const buyer = await createBuyer(server, { region: 'US' });
    const manual = await createTopUp(server, buyer, { method: 'STRIPE', amount: '12' });
    const before = await countRows(server, 'SELECT COUNT(*) AS count FROM top_up');
    await migrateAgain(server, new AutoRecharge1796500000000());
    expect(await countRows(server, 'SELECT COUNT(*) AS count FROM top_up')).toBe(before);
    expect(await countRows(server, "SELECT COUNT(*) AS count FROM top_up WHERE origin <> 'MANUAL'")).toBe(0);
    const { topUps } = await server.ok(
      `query ($id: ID!) { topUps(accountId: $id) { edges { node { id origin amount } } } }`,
      { id: buyer.accountId },
      buyer.token,
    );
    expect(topUps.edges.map((edge: { node: unknown }) => edge.node)).toEqual([{ id: manual.id, origin: 'MANUAL', amount: '12.000000' }]);
    // The recreated tables work: a card saved and a rule set after the migration.
    const paymentMethodId = await saveCard(server, buyer);
    const { setAutoRecharge } = await server.ok(SET_AUTO_RECHARGE, { input: { threshold: '5', amount: '10', monthlyCap: '20', paymentMethodId } }, buyer.token);
    expect(setAutoRecharge.status).toBe('ACTIVE');
    await stop(server);
  });
});
