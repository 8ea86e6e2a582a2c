import { createAccount } from '../support/fixtures';
import { createTestDatabase, startTestServer } from '../support/harness';
import { LedgerActivity } from '../support/ledger-activity';

const SUMMARY = `query($period: ReportPeriodInput!) { creditSummaryReport(period: $period) { lines { accountId openingBalance usage transfersIn closingBalance } } }`;
const USAGE = `query($period: ReportPeriodInput!) { creditUsageReport(period: $period) { rows { service amount } } }`;

// MySQL rebuilds the rollup in its migration; the embedded SQLite file does it at start-up.

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
    await first.services.runner.transaction((manager) => manager.query('DELETE FROM account_activity_hour'));
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
    } finally {
      await second.stop();
      await database.drop();
    }
  });
});
