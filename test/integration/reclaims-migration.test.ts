import { DataSource } from 'typeorm';
import { newKey } from '../support/fixtures';
import { startTestServer, TestDatabaseHandle } from '../support/harness';
import { databaseBefore } from '../support/migrations';
import { credits, partnerWithCustomer, RECLAIM, RECORD_USAGE, TRANSFER, usageEvent } from '../support/partners';

const SUMMARY = `query($period: ReportPeriodInput!) {
  creditSummaryReport(period: $period) { lines { accountId openingBalance creditsIn creditsOut reclaimsIn reclaimsOut closingBalance } }
}`;

/** MariaDB only (jest.config.js): SQLite's schema comes from the entities, it has no migrations. */
describe('Reclaims migration on a populated MariaDB database', () => {
  let database: TestDatabaseHandle;
  let migrations: DataSource;
  let upgrade: () => Promise<string[]>;
  beforeAll(async () => {
    ({ database, migrations, upgrade } = await databaseBefore('Reclaims'));
  });
  afterAll(async () => {
    await migrations?.destroy();
    await database?.drop();
  });

  const tables = async () =>
    (
      (await migrations.query(
        `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'credit_reclaim'`,
      )) as { name: string }[]
    ).map((table) => table.name);
  const snapshot = async () => ({
    transfers: await migrations.query('SELECT * FROM credit_transfer ORDER BY id'),
    movements: await migrations.query('SELECT * FROM account_movement ORDER BY id'),
    wallets: await migrations.query('SELECT * FROM wallet ORDER BY id'),
  });

  it('adds credit_reclaim beside the existing history, which stays as it was, and reclaims work on after it', async () => {
    expect(await tables()).toEqual([]);
    // The previous schema, populated by the app itself (migrations off: it must not upgrade the schema).
    const before = await startTestServer({ database, env: { DATABASE_RUN_MIGRATIONS: 'false' } });
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(before, credits(100));
    const transfer = { customerAccountId: customerId, amount: '40', idempotencyKey: newKey() };
    const answer = await before.ok(TRANSFER, { input: transfer }, ownerToken);
    await before.ok(RECORD_USAGE, { events: [usageEvent(customerId, '5')] }, await before.meteringToken());
    await before.stop();
    const rowsBefore = await snapshot();

    expect(await upgrade()).toEqual(['Reclaims1796411000000']);
    expect(await tables()).toEqual(['credit_reclaim']);
    expect(await snapshot()).toEqual(rowsBefore);

    const after = await startTestServer({ database, env: { DATABASE_RUN_MIGRATIONS: 'true' } });
    try {
      expect(await after.ok(TRANSFER, { input: transfer }, ownerToken)).toEqual(answer);
      const input = { customerAccountId: customerId, amount: '35', idempotencyKey: newKey() };
      const { reclaimCredits } = await after.ok(RECLAIM, { input }, ownerToken);
      expect(reclaimCredits.customerBalances.topUpBalance).toBe('0.000000');
      expect(reclaimCredits.partnerBalances.topUpBalance).toBe('95.000000');
      expect((await after.ok(RECLAIM, { input }, ownerToken)).reclaimCredits).toEqual(reclaimCredits);

      // The summary over history written before and after the migration reconciles.
      const hour = 3_600_000;
      const now = Math.floor(Date.now() / hour) * hour;
      const period = { from: new Date(now - hour).toISOString(), to: new Date(now + 2 * hour).toISOString() };
      const { creditSummaryReport } = await after.ok(SUMMARY, { period }, ownerToken);
      const line = (accountId: string) => creditSummaryReport.lines.find((candidate: { accountId: string }) => candidate.accountId === accountId);
      expect(line(customerId)).toMatchObject({ creditsIn: '40.000000', reclaimsOut: '35.000000', creditsOut: '40.000000', closingBalance: '0.000000' });
      expect(line(partnerId)).toMatchObject({ reclaimsIn: '35.000000', closingBalance: '95.000000' });
      expect(await after.audit()).toEqual([]);
    } finally {
      await after.stop();
    }
  }, 120_000);
});
