import { ActivityDays1796400000000 } from '../../migrations/1796400000000-ActivityDays';
import { rebuildDailyRollup, rebuildHourlyRollup } from '../../src/reports/rollup-backfill';
import { createAccount } from '../support/fixtures';
import { startTestServer, TEST_DATABASE, TestServer } from '../support/harness';
import { LedgerActivity } from '../support/ledger-activity';
import { migrateAgain } from '../support/migrations';

const SUMMARY = `query($period: ReportPeriodInput!) { creditSummaryReport(period: $period) { lines { accountId openingBalance transfersIn usage closingBalance } } }`;

/** Every instant sits on or next to an hour or UTC-day edge: the writer's rule and the backfill's SQL must bucket them alike. */
const EDGES = [
  '2026-10-01T00:00:00.000Z',
  '2026-10-01T00:59:59.999Z',
  '2026-10-01T01:00:00.000Z',
  '2026-10-01T16:59:59.999Z',
  '2026-10-01T17:00:00.000Z',
  '2026-10-01T23:59:59.999Z',
  '2026-10-02T00:00:00.000Z',
  '2026-10-02T00:00:00.001Z',
  '2026-10-03T23:30:00.000Z',
];

type Row = Record<string, string>;

/** Both tiers' rows of some accounts, as text, in key order. */
async function rollupOf(server: TestServer, accountIds: string[]): Promise<{ hours: Row[]; days: Row[] }> {
  const list = accountIds.map((id) => `'${id}'`).join(', ');
  const read = async (table: string, bucket: string) => {
    const rows: Record<string, unknown>[] = await server.services.dataSource.query(
      `SELECT accountId, movementType, ${bucket}, service, amountMicros, movementCount FROM ${table} WHERE accountId IN (${list}) ORDER BY accountId, movementType, ${bucket}, service`,
    );
    return rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, String(value)])));
  };
  return { hours: await read('account_activity_hour', 'bucketHour'), days: await read('account_activity_day', 'bucketDay') };
}

describe('the rollup daily tier', () => {
  let server: TestServer;
  let partner: string;
  let customer: string;

  beforeAll(async () => {
    server = await startTestServer();
    const activity = new LedgerActivity(server);
    partner = await createAccount(server, { kind: 'PARTNER' });
    customer = await createAccount(server, { partnerId: partner });
    await activity.topUp(partner, 900_000_000n, new Date('2026-09-30T23:00:00Z'));
    for (const [index, edge] of EDGES.entries()) {
      await activity.transfer(partner, customer, BigInt(10_000_000 + index), new Date(edge));
      // No service: the backfill (which never knew services) and the writer then agree on 'unknown'.
      await activity.usage(customer, BigInt(1_000_000 + index), new Date(edge));
    }
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is rebuilt by the backfill exactly as the writer wrote it, hours and days, at every edge', async () => {
    const written = await rollupOf(server, [partner, customer]);
    expect(written.hours.length).toBeGreaterThan(written.days.length);
    expect(written.days.map((row) => row.bucketDay)).toContain(String(Date.UTC(2026, 9, 1) / 86_400_000));
    const { runner } = server.services;
    await runner.transaction(async (manager) => {
      for (const table of ['account_activity_hour', 'account_activity_day']) {
        await manager.query(`DELETE FROM ${table} WHERE accountId IN (?, ?)`, [partner, customer]);
      }
    });
    expect(await rollupOf(server, [partner, customer])).toEqual({ hours: [], days: [] });
    await runner.transaction(async (manager) => {
      await rebuildHourlyRollup(manager, runner.dialect, [partner, customer]);
      await rebuildDailyRollup(manager, runner.dialect, [partner, customer]);
    });
    expect(await rollupOf(server, [partner, customer])).toEqual(written);
  });

  it('answers a report across the edges to the micro-credit from both tiers', async () => {
    const token = await server.userToken(partner);
    const period = { from: '2026-09-30T17:00:00Z', to: '2026-10-03T01:00:00Z', timeZone: 'UTC' };
    const { creditSummaryReport } = await server.ok(SUMMARY, { period }, token);
    const transfers = EDGES.reduce((sum, _edge, index) => sum + 10_000_000 + index, 0);
    const usage = EDGES.slice(0, -1).reduce((sum, _edge, index) => sum + 1_000_000 + index, 0); // the last edge is after `to`
    const credits = (micros: number) => (micros / 1e6).toFixed(6);
    expect(creditSummaryReport.lines[0]).toEqual({
      accountId: customer,
      openingBalance: '0.000000',
      transfersIn: credits(transfers - 10_000_000 - (EDGES.length - 1)),
      usage: credits(usage),
      closingBalance: credits(transfers - 10_000_000 - (EDGES.length - 1) - usage),
    });
  });

  // MySQL migrations do not run on the embedded SQLite, whose schema comes from the entities (its
  // start-up backfill is tested in reports-backfill.test.ts).
  (TEST_DATABASE === 'mariadb' ? it : it.skip)('is filled from the hourly rollup by its migration on a populated database', async () => {
    const before = await rollupOf(server, [partner, customer]);
    const [{ total: daysBefore }] = await server.services.dataSource.query('SELECT COUNT(*) AS total FROM account_activity_day');
    await migrateAgain(server, new ActivityDays1796400000000());
    expect(await rollupOf(server, [partner, customer])).toEqual(before);
    const [{ total: daysAfter }] = await server.services.dataSource.query('SELECT COUNT(*) AS total FROM account_activity_day');
    expect(Number(daysAfter)).toBe(Number(daysBefore));
  });
});
