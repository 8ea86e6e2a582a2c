import { DataSource } from 'typeorm';
import { newKey } from '../support/fixtures';
import { startTestServer, TestDatabaseHandle } from '../support/harness';
import { databaseBefore } from '../support/migrations';
import { credits, partnerWithCustomer, TRANSFER } from '../support/partners';
import { CREATE_API_KEY } from '../support/api-keys';

/** MariaDB only (jest.config.js): SQLite's schema comes from the entities, it has no migrations. */
describe('ApiKeys migration on a populated MariaDB database', () => {
  let database: TestDatabaseHandle;
  let migrations: DataSource;
  let upgrade: () => Promise<string[]>;
  beforeAll(async () => {
    ({ database, migrations, upgrade } = await databaseBefore('ApiKeys'));
  });
  afterAll(async () => {
    await migrations?.destroy();
    await database?.drop();
  });

  const snapshot = async () => ({
    transfers: await migrations.query('SELECT * FROM credit_transfer ORDER BY id'),
    wallets: await migrations.query('SELECT * FROM wallet ORDER BY id'),
  });

  it('adds api_key beside the existing data, which stays as it was, and keys work after it', async () => {
    const before = await startTestServer({ database, env: { DATABASE_RUN_MIGRATIONS: 'false' } });
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(before, credits(100));
    await before.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '40', idempotencyKey: newKey() } }, ownerToken);
    await before.stop();
    const rowsBefore = await snapshot();

    expect(await upgrade()).toEqual(['ApiKeys1796600000000']);
    expect(await snapshot()).toEqual(rowsBefore);

    const after = await startTestServer({ database, env: { DATABASE_RUN_MIGRATIONS: 'true' } });
    try {
      const { createApiKey } = await after.ok(
        CREATE_API_KEY,
        { input: { accountId: partnerId, name: 'after migration', scopes: ['TRANSFERS_WRITE'] } },
        ownerToken,
      );
      const { transferCredits } = await after.ok(
        TRANSFER,
        { input: { customerAccountId: customerId, amount: '1', idempotencyKey: newKey() } },
        createApiKey.secret,
      );
      expect(transferCredits.partnerBalances.topUpBalance).toBe('59.000000');
    } finally {
      await after.stop();
    }
  });
});
