import { TopUpRefunds1796818700000 } from '../../migrations/1796818700000-TopUpRefunds';
import { startTestServer, TestServer } from '../support/harness';
import { migrateAgain } from '../support/migrations';
import { refundTopUp } from '../support/refunds';
import { balancesOf, createBuyer, createTopUp, readTopUp } from '../support/top-ups';

/** MariaDB only (jest.config.js): SQLite's schema comes from the entities, it has no migrations. */
describe('TopUpRefunds migration on a populated MariaDB database', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('keeps every paid top-up refundable in full, and refunds work on the migrated schema', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const paid = await createTopUp(server, buyer, { method: 'STRIPE', amount: '40' });
    await server.standIns.stripe.succeed(paid.providerReference);
    const open = await createTopUp(server, buyer, { method: 'STRIPE', amount: '15' });
    const before = await Promise.all([readTopUp(server, buyer, paid.id), readTopUp(server, buyer, open.id)]);

    // The previous release's schema (no refunds), with these rows in it, then the migration.
    await migrateAgain(server, new TopUpRefunds1796818700000());

    expect(await Promise.all([readTopUp(server, buyer, paid.id), readTopUp(server, buyer, open.id)])).toEqual(before);
    expect(before.map((topUp) => topUp.refundedAmount)).toEqual(['0.000000', '0.000000']);
    const refund = await refundTopUp(server, { topUpId: paid.id, amount: '40' });
    expect(refund.data.refundTopUp).toMatchObject({
      status: 'PENDING',
      money: { amountMinor: '4000' },
      topUp: { status: 'REFUNDED', refundedAmount: '40.000000' },
    });
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '0.000000' });
    expect(await server.audit()).toEqual([]);
  });
});
