import { createAccount } from '../support/fixtures';
import { createTestDatabase, startTestServer, TestServer } from '../support/harness';
import { LedgerActivity } from '../support/ledger-activity';

const SUMMARY = `query($period: ReportPeriodInput!) { creditSummaryReport(period: $period) { lines { accountId openingBalance usage transfersIn closingBalance } } }`;
const USAGE = `query($period: ReportPeriodInput!) { creditUsageReport(period: $period) { rows { service amount } } }`;

// MySQL rebuilds the rollup in its migration; the embedded SQLite file does it at start-up.

/** Both rollup tiers, as text, in key order. */
async function rollupRows(server: TestServer): Promise<{ hours: Record<string, string>[]; days: Record<string, string>[] }> {
  const read = async (table: string, bucket: string) => {
    const rows: Record<string, unknown>[] = await server.services.dataSource.query(
      `SELECT accountId, movementType, ${bucket}, service, amountMicros, movementCount FROM ${table} ORDER BY accountId, movementType, ${bucket}, service`,
    );
    return rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, String(value)])));
  };
  return { hours: await read('account_activity_hour', 'bucketHour'), days: await read('account_activity_day', 'bucketDay') };
}

describe('rollup backfill of an embedded database', () => {
  it('rebuilds the rollup from the credit history of a file written before the rollup existed', async () => {
    const database = await createTestDatabase();
    const first = await startTestServer({ database });
    const activity = new LedgerActivity(first);
    const partner = await createAccount(first, { kind: 'PARTNER' });
    const customer = await createAccount(first, { partnerId: partner });
    await activity.topUp(partner, 50_000_000n, new Date('2026-10-01T01:00:00Z'));
    await activity.transfer(partner, customer, 20_000_000n, new Date('2026-10-01T02:00:00Z'));
    await activity.usage(customer, 3_000_000n, new Date('2026-10-01T03:15:00Z'), 'compute');
    const written = await rollupRows(first);
    expect(written.days.length).toBeGreaterThan(0);
    await first.services.runner.transaction(async (manager) => {
      await manager.query('DELETE FROM account_activity_hour');
      await manager.query('DELETE FROM account_activity_day');
    });
    await first.stop();

    const second = await startTestServer({ database });
    try {
      const token = await second.userToken(partner);
      const period = { from: '2026-10-01T02:00:00Z', to: '2026-10-02T00:00:00Z' };
      const { creditSummaryReport } = await second.ok(SUMMARY, { period }, token);
      expect(creditSummaryReport.lines[0]).toEqual({
        accountId: customer,
        openingBalance: '0.000000',
        transfersIn: '20.000000',
        usage: '3.000000',
        closingBalance: '17.000000',
      });
      const { creditUsageReport } = await second.ok(USAGE, { period }, token);
      expect(creditUsageReport.rows).toEqual([{ service: 'unknown', amount: '3.000000' }]);
      // Both tiers rebuilt: what the writer wrote, but for the usage's service, which history never kept.
      const unknownService = (rows: Record<string, string>[]) =>
        rows.map((row) => ({ ...row, service: row.movementType === 'USAGE' ? 'unknown' : row.service }));
      expect(await rollupRows(second)).toEqual({ hours: unknownService(written.hours), days: unknownService(written.days) });
    } finally {
      await second.stop();
      await database.drop();
    }
  });

  it('fills the daily tier of a file written before it existed from the hourly rollup', async () => {
    const database = await createTestDatabase();
    const first = await startTestServer({ database });
    const activity = new LedgerActivity(first);
    const partner = await createAccount(first, { kind: 'PARTNER' });
    const customer = await createAccount(first, { partnerId: partner });
    await activity.topUp(partner, 50_000_000n, new Date('2026-10-01T23:00:00Z'));
    await activity.transfer(partner, customer, 20_000_000n, new Date('2026-10-01T23:59:59.999Z'));
    await activity.usage(customer, 3_000_000n, new Date('2026-10-02T00:00:00Z'), 'compute');
    await activity.usage(customer, 1_000_000n, new Date('2026-10-03T05:00:00Z'), 'storage');
    const written = await rollupRows(first);
    await first.services.runner.transaction((manager) => manager.query('DELETE FROM account_activity_day'));
    await first.stop();

    const second = await startTestServer({ database });
    try {
      // The hours were kept (services and all), so the days come back exactly as written.
      expect(await rollupRows(second)).toEqual(written);
      const { creditSummaryReport } = await second.ok(
        SUMMARY,
        { period: { from: '2026-10-01T00:00:00Z', to: '2026-10-04T00:00:00Z', timeZone: 'UTC' } },
        await second.userToken(partner),
      );
      expect(creditSummaryReport.lines[0]).toMatchObject({ transfersIn: '20.000000', usage: '4.000000', closingBalance: '16.000000' });
    } finally {
      await second.stop();
      await database.drop();
    }
  });
});
