import { Role } from '../../src/auth/principal';
import { createAccount } from '../support/fixtures';
import { codes, startTestServer, TestServer } from '../support/harness';
import { LedgerActivity, parseCsv } from '../support/ledger-activity';

const AMOUNTS =
  'openingBalance transfersIn topUps grants reclaimsIn disputesWon adjustmentsIn creditsIn usage expiry transfersOut reversals refunds reclaimsOut adjustmentsOut voids creditsOut closingBalance';
const REPORTS = /* GraphQL */ `
  query Reports($period: ReportPeriodInput!, $customer: ID) {
    creditUsageReport(period: $period, customerAccountId: $customer) {
      rows { customerId customerName date service amount eventCount }
      customers { customerId customerName amount eventCount }
      totalUsage eventCount
    }
    creditTopUpReport(period: $period, customerAccountId: $customer) {
      rows { occurredAt kind accountId accountName amount reference actor actorRole actorName }
      customers { customerId customerName amount transferCount }
      totalTransferred partnerTopUps
    }
    creditSummaryReport(period: $period, customerAccountId: $customer) {
      lines { accountId accountName accountKind ${AMOUNTS} owedAtClose }
      customerTotals { ${AMOUNTS} }
    }
  }
`;
const PERIOD = { from: '2026-10-01T00:00:00+07:00', to: '2026-10-03T00:00:00+07:00' };
const at = (iso: string) => new Date(iso);

describe('partner reports narrowed to one customer (the customer detail screen)', () => {
  let server: TestServer;
  let partnerId: string;
  let customerIds: string[];
  let partnerToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    const activity = new LedgerActivity(server);
    partnerId = await createAccount(server, { kind: 'PARTNER', name: 'Narrowing Reseller' });
    customerIds = [
      await createAccount(server, { partnerId, name: 'Alpha' }),
      await createAccount(server, { partnerId, name: 'Bravo' }),
      await createAccount(server, { partnerId, name: 'Charlie (quiet)' }),
    ];
    partnerToken = await server.userToken(partnerId, Role.VIEWER);
    await activity.topUp(partnerId, 500_000_000n, at('2026-09-30T10:00:00Z'));
    await activity.transfer(partnerId, customerIds[0], 40_000_000n, at('2026-09-30T11:00:00Z'), 'before-period');
    await activity.topUp(partnerId, 100_000_000n, at('2026-10-01T01:00:00Z'), 'partner-own-top-up');
    await activity.transfer(partnerId, customerIds[0], 30_000_000n, at('2026-10-01T02:00:00Z'), 'alpha-1');
    await activity.transfer(partnerId, customerIds[1], 20_000_000n, at('2026-10-01T03:00:00Z'), 'bravo-1');
    await activity.usage(customerIds[0], 7_500_000n, at('2026-10-01T05:00:00Z'), 'compute');
    await activity.usage(customerIds[0], 2_250_000n, at('2026-10-02T05:00:00Z'), 'storage');
    await activity.usage(customerIds[1], 1_000_000n, at('2026-10-01T06:00:00Z'), 'compute');
    await activity.grant(customerIds[1], 5_000_000n, at('2026-10-01T07:00:00Z'));
    await activity.transfer(partnerId, customerIds[0], 1_000_000n, at('2026-10-02T08:00:00Z'), 'alpha-2');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("equals each customer's slice of the all-customers reports", async () => {
    const all = await server.ok(REPORTS, { period: PERIOD }, partnerToken);
    for (const customerId of customerIds) {
      const one = await server.ok(REPORTS, { period: PERIOD, customer: customerId }, partnerToken);

      const usageCustomer = all.creditUsageReport.customers.find((row: { customerId: string }) => row.customerId === customerId);
      expect(one.creditUsageReport.rows).toEqual(all.creditUsageReport.rows.filter((row: { customerId: string }) => row.customerId === customerId));
      expect(one.creditUsageReport.customers).toEqual([usageCustomer]);
      expect(one.creditUsageReport.totalUsage).toBe(usageCustomer.amount);
      expect(one.creditUsageReport.eventCount).toBe(usageCustomer.eventCount);

      const topUpCustomer = all.creditTopUpReport.customers.find((row: { customerId: string }) => row.customerId === customerId);
      expect(one.creditTopUpReport.rows).toEqual(
        all.creditTopUpReport.rows.filter((row: { kind: string; accountId: string }) => row.kind === 'TRANSFER' && row.accountId === customerId),
      );
      expect(one.creditTopUpReport.customers).toEqual([topUpCustomer]);
      expect(one.creditTopUpReport.totalTransferred).toBe(topUpCustomer.amount);
      // The partner's own purchases are not about this customer.
      expect(one.creditTopUpReport.partnerTopUps).toBe('0.000000');

      const line = all.creditSummaryReport.lines.find((row: { accountId: string }) => row.accountId === customerId);
      expect(one.creditSummaryReport.lines).toEqual([line]);
      const { accountId: _id, accountName: _name, accountKind: _kind, owedAtClose: _owed, ...amounts } = line;
      expect(one.creditSummaryReport.customerTotals).toEqual(amounts);
    }
    // The slices are not trivially empty: Alpha has usage on two days and two transfers in the period.
    const alpha = await server.ok(REPORTS, { period: PERIOD, customer: customerIds[0] }, partnerToken);
    expect(alpha.creditUsageReport.rows).toHaveLength(2);
    expect(alpha.creditTopUpReport.rows.map((row: { reference: string }) => row.reference)).toEqual(['alpha-1', 'alpha-2']);
    expect(alpha.creditSummaryReport.lines[0]).toMatchObject({
      openingBalance: '40.000000',
      transfersIn: '31.000000',
      usage: '9.750000',
      closingBalance: '61.250000',
    });
  });

  it('serves the narrowed reports as CSV with exactly the GraphQL rows', async () => {
    const customer = customerIds[0];
    const one = await server.ok(REPORTS, { period: PERIOD, customer }, partnerToken);
    const query = new URLSearchParams({ ...PERIOD, customerAccountId: customer }).toString();
    const expected: [string, Record<string, unknown>[]][] = [
      ['usage', one.creditUsageReport.rows],
      ['top-ups', one.creditTopUpReport.rows],
      ['summary', one.creditSummaryReport.lines],
    ];
    for (const [name, rows] of expected) {
      const response = await fetch(`${server.url}/reports/${name}.csv?${query}`, { headers: { authorization: `Bearer ${partnerToken}` } });
      expect(response.status).toBe(200);
      expect(parseCsv(await response.text())).toEqual(
        rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value === null ? '' : String(value)]))),
      );
    }
  });

  it("refuses another partner's customer and an unknown id alike, in GraphQL and CSV", async () => {
    const otherPartner = await createAccount(server, { kind: 'PARTNER' });
    const strangerCustomer = await createAccount(server, { partnerId: otherPartner });
    const directCustomer = await createAccount(server, {});
    for (const customer of [strangerCustomer, directCustomer, 'no-such-account', partnerId]) {
      for (const field of ['creditUsageReport', 'creditTopUpReport', 'creditSummaryReport']) {
        const query = `query One($period: ReportPeriodInput!, $customer: ID) { ${field}(period: $period, customerAccountId: $customer) { __typename } }`;
        expect(codes(await server.call(query, { period: PERIOD, customer }, partnerToken))).toEqual(['FORBIDDEN']);
      }
      const response = await fetch(`${server.url}/reports/summary.csv?${new URLSearchParams({ ...PERIOD, customerAccountId: customer })}`, {
        headers: { authorization: `Bearer ${partnerToken}` },
      });
      expect(response.status).toBe(403);
    }
    const repeated = await fetch(`${server.url}/reports/usage.csv?${new URLSearchParams(PERIOD)}&customerAccountId=a&customerAccountId=b`, {
      headers: { authorization: `Bearer ${partnerToken}` },
    });
    expect(repeated.status).toBe(400);
  });
});
