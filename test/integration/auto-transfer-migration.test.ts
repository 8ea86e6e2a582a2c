import { DataSource } from 'typeorm';
import { AutoTransferRules1796420000000 } from '../../migrations/1796420000000-AutoTransferRules';
import { Role } from '../../src/auth/principal';
import { loadConfig } from '../../src/config';
import { createDataSource } from '../../src/database/data-source';
import { ENTITIES } from '../../src/server/modules';
import { createAccount, newKey } from '../support/fixtures';
import { createTestDatabase, startTestServer, TestDatabaseHandle, TestServer } from '../support/harness';
import { credits, fundTopUp, RECORD_USAGE, SET_AUTO_TRANSFER_RULE as SET_RULE, TRANSFER, usageEvent } from '../support/partners';

const RULE = /* GraphQL */ `
  query Rule($customerAccountId: ID!) {
    autoTransferRule(customerAccountId: $customerAccountId) {
      firings(first: 10) {
        status
        amount
      }
    }
  }
`;

/** Row counts of the tables that hold money and history: a migration of other tables leaves them as they were. */
async function moneyRows(dataSource: DataSource): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['ledger_transaction', 'ledger_entry', 'account_movement', 'credit_transfer', 'usage_event', 'wallet', 'outbox_event']) {
    const [{ count }] = (await dataSource.query(`SELECT COUNT(*) AS count FROM \`${table}\``)) as { count: string | number }[];
    counts[table] = Number(count);
  }
  return counts;
}

/**
 * The AutoTransferRules migration (after BigintIds) on a database the app has populated: taken
 * back and applied again as `npm run migrate` applies it, leaving every other row as it was, and
 * the app fires rules on the result. MariaDB only (jest.config.js): SQLite has no migrations.
 */
describe('the AutoTransferRules migration on a populated MariaDB database', () => {
  let database: TestDatabaseHandle;
  let server: TestServer | null = null;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await server?.stop();
    await database.drop();
  });

  const fires = async (running: TestServer, customerCredits: number) => {
    const partnerId = await createAccount(running, { kind: 'PARTNER' });
    const customerId = await createAccount(running, { partnerId });
    const owner = await running.userToken(partnerId, Role.OWNER);
    await fundTopUp(running, partnerId, credits(1000));
    await running.ok(TRANSFER, { input: { customerAccountId: customerId, amount: String(customerCredits), idempotencyKey: newKey() } }, owner);
    await running.ok(SET_RULE, { input: { customerAccountId: customerId, threshold: '50', targetBalance: '100', monthlyCap: '500' } }, owner);
    await running.ok(RECORD_USAGE, { events: [usageEvent(customerId, String(customerCredits - 40))] }, await running.meteringToken());
    for (let round = 0; round < 3; round++) {
      await running.services.outbox.drain();
      await running.services.autoTransferWorker.drain();
    }
    return (await running.ok(RULE, { customerAccountId: customerId }, owner)).autoTransferRule.firings;
  };

  it('is taken back and applied again on a populated database, and rules fire on the result', async () => {
    const first = await startTestServer({ database });
    expect(await fires(first, 100)).toEqual([{ status: 'SUCCEEDED', amount: '60.000000' }]);
    await first.stop();

    const dataSource = createDataSource(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...database.env }).database, ENTITIES);
    await dataSource.initialize();
    try {
      const before = await moneyRows(dataSource);
      // Taken back by hand rather than by undoLastMigration, which would take back whichever migration ran last.
      const queryRunner = dataSource.createQueryRunner();
      try {
        await new AutoTransferRules1796420000000().down(queryRunner);
      } finally {
        await queryRunner.release();
      }
      await dataSource.query('DELETE FROM schema_migrations WHERE name = ?', ['AutoTransferRules1796420000000']);
      expect(await dataSource.query(`SHOW TABLES LIKE 'auto_transfer%'`)).toEqual([]);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      expect(applied.map((migration) => migration.name)).toEqual(['AutoTransferRules1796420000000']);
      expect(await moneyRows(dataSource)).toEqual(before);
      expect((await dataSource.query(`SHOW TABLES LIKE 'auto_transfer%'`)).length).toBe(2);
    } finally {
      await dataSource.destroy();
    }

    server = await startTestServer({ database });
    expect(await fires(server, 200)).toEqual([{ status: 'SUCCEEDED', amount: '60.000000' }]);
    expect(await server.audit()).toEqual([]);
  });
});
