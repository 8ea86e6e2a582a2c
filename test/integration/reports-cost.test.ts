import { createAccount } from '../support/fixtures';
import { QUIET_BACKGROUND_JOBS, startTestServer, TestServer } from '../support/harness';
import { LedgerActivity } from '../support/ledger-activity';

const PERIOD = { from: '2026-10-01T00:00:00+07:00', to: '2026-10-02T00:00:00+07:00' };
const REPORTS = {
  usage: `query($period: ReportPeriodInput!) { creditUsageReport(period: $period) { rows { customerId date service amount eventCount } totalUsage eventCount } }`,
  topUps: `query($period: ReportPeriodInput!) { creditTopUpReport(period: $period) { rows { occurredAt kind accountId amount } totalTransferred } }`,
  summary: `query($period: ReportPeriodInput!) { creditSummaryReport(period: $period) { lines { accountId openingBalance usage closingBalance } } }`,
};
/** Statements of the background jobs (outbox publishing, promotional expiry) and transaction control are not the report's. */
const BACKGROUND_OR_CONTROL = /outbox_event|promotional_grant|^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SET TRANSACTION|SAVEPOINT|RELEASE)/i;

describe('report cost', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: QUIET_BACKGROUND_JOBS });
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Runs `work` and returns the SQL statements it sent (every statement passes the DataSource's logger). */
  async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
    const statements: string[] = [];
    const logger = server.services.dataSource.logger;
    const original = logger.logQuery.bind(logger);
    logger.logQuery = (query, parameters, queryRunner) => {
      if (!BACKGROUND_OR_CONTROL.test(query)) statements.push(query);
      return original(query, parameters, queryRunner);
    };
    try {
      await work();
    } finally {
      logger.logQuery = original;
    }
    return statements;
  }

  async function runReports(token: string) {
    // The notifications of the postings above (and their consumers: thresholds, webhooks) are
    // published after each commit; let them finish so only the reports' own statements are counted.
    await server.services.outbox.drain();
    const counts: Record<string, number> = {};
    const results: Record<string, any> = {};
    for (const [name, query] of Object.entries(REPORTS)) {
      counts[name] = (
        await statementsOf(async () => {
          results[name] = await server.ok(query, { period: PERIOD }, token);
        })
      ).length;
    }
    return { counts, results };
  }

  it('sends the same SQL statements for 10 and for 1000 postings in the same hour', async () => {
    const activity = new LedgerActivity(server);
    const partner = await createAccount(server, { kind: 'PARTNER' });
    const customers = [await createAccount(server, { partnerId: partner }), await createAccount(server, { partnerId: partner })];
    const token = await server.userToken(partner);
    await activity.topUp(partner, 1_000_000_000n, new Date('2026-10-01T00:00:00Z'));
    for (const customer of customers) await activity.transfer(partner, customer, 400_000_000n, new Date('2026-10-01T00:30:00Z'));

    // All usage lands in the same hour bucket (01:00Z) and services, in time order.
    const start = new Date('2026-10-01T01:00:00Z').getTime();
    const postUsage = async (from: number, count: number) => {
      const events = Array.from({ length: count }, (_, offset) => from + offset).map((index) => ({
        accountId: customers[index % 2],
        amountMicros: 1_000n + BigInt(index),
        at: new Date(start + index),
        service: index % 3 === 0 ? 'storage' : 'compute',
      }));
      for (let batch = 0; batch < events.length; batch += 100) await activity.usageBatch(events.slice(batch, batch + 100));
    };
    await postUsage(0, 10);
    const few = await runReports(token);
    await postUsage(10, 990);
    const many = await runReports(token);

    expect(many.counts).toEqual(few.counts);
    expect(few.counts.summary).toBeLessThanOrEqual(8);
    expect(few.results.usage.creditUsageReport.eventCount).toBe(10);
    expect(many.results.usage.creditUsageReport.eventCount).toBe(1000);
    // The rollup holds one row per account, service and hour, however many postings went in.
    expect(many.results.usage.creditUsageReport.rows).toHaveLength(few.results.usage.creditUsageReport.rows.length);
    expect(await server.audit()).toEqual([]);
  }, 180_000);
});
