import { DataSource } from 'typeorm';
import { startTestServer, TestDatabaseHandle } from '../support/harness';
import { databaseBefore } from '../support/migrations';
import { receiptOf } from '../support/receipts';
import { createBuyer, createTopUp } from '../support/top-ups';

/** MariaDB only (jest.config.js): SQLite's schema comes from the entities, it has no migrations. */
describe('Receipts migration on a populated MariaDB database', () => {
  let database: TestDatabaseHandle;
  let migrations: DataSource;
  let upgrade: () => Promise<string[]>;
  beforeAll(async () => {
    ({ database, migrations, upgrade } = await databaseBefore('Receipts', 'DebitNotes'));
  });
  afterAll(async () => {
    await migrations?.destroy();
    await database?.drop();
  });

  const snapshot = async () => ({
    accounts: await migrations.query('SELECT * FROM account ORDER BY id'),
    billing: await migrations.query('SELECT * FROM billing_info ORDER BY accountId'),
    topUps: await migrations.query('SELECT * FROM top_up ORDER BY id'),
    wallets: await migrations.query('SELECT * FROM wallet ORDER BY id'),
  });

  it('adds the receipt tables beside the existing data, which stays as it was; a purchase started before it gets its receipt when paid after', async () => {
    const before = await startTestServer({ database, env: { DATABASE_RUN_MIGRATIONS: 'false' } });
    const buyer = await createBuyer(before, { region: 'US' });
    const topUp = await createTopUp(before, buyer, { method: 'STRIPE', amount: '10' });
    const stripe = before.standIns.stripe;
    const intent = stripe.findIntentByTopUpId(topUp.id)!;
    await before.stop();
    const rowsBefore = await snapshot();
    expect(await migrations.query(`SHOW TABLES LIKE 'receipt'`)).toEqual([]);

    expect(await upgrade()).toEqual(['Receipts1796810000000', 'DebitNotes1797000000000']);
    expect(await snapshot()).toEqual(rowsBefore);

    const after = await startTestServer({ database, env: { DATABASE_RUN_MIGRATIONS: 'true' } });
    try {
      // The stand-ins are the new server's: the intent the first server made is paid by a signed event of the same shape.
      const payload = JSON.stringify({
        id: 'evt_after_migration',
        object: 'event',
        type: 'payment_intent.succeeded',
        data: { object: { id: intent.id, object: 'payment_intent', amount: 1000, amount_received: 1000, currency: 'usd', metadata: { topUpId: topUp.id } } },
      });
      expect((await after.standIns.stripe.deliver({ payload, signatureHeader: after.standIns.stripe.sign(payload) })).status).toBe(200);
      const receipt = await receiptOf(after, buyer, topUp.id);
      expect(receipt).toMatchObject({ number: expect.stringMatching(/^RC-\d{4}-000001$/), line: { total: '10.00', currency: 'USD' } });
      expect(await after.audit()).toEqual([]);
    } finally {
      await after.stop();
    }
  });
});
