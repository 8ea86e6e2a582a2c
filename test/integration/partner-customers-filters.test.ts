import { Role } from '../../src/auth/principal';
import { createAccount, grant, newKey } from '../support/fixtures';
import { codes, startTestServer, TestServer, QUIET_BACKGROUND_JOBS } from '../support/harness';
import { credits, fundTopUp, RECORD_USAGE } from '../support/partners';
import { observeStatements } from '../support/query-counter';

const CUSTOMERS = /* GraphQL */ `
  query Customers(
    $filter: PartnerCustomerFilterInput
    $first: Int
    $after: String
    $sortBy: PartnerCustomerSort
    $sortDirection: SortDirection
    $period: ReportPeriodInput!
  ) {
    partnerCustomers(filter: $filter, first: $first, after: $after, sortBy: $sortBy, sortDirection: $sortDirection) {
      edges {
        cursor
        node {
          id
          name
          depleted
          balances {
            totalBalance
          }
          usage(period: $period)
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

interface Row {
  id: string;
  name: string;
  depleted: boolean;
  balances: { totalBalance: string };
  usage: string;
}

const hourStart = (offsetHours: number) => new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + offsetHours * 3_600_000).toISOString();

describe("partnerCustomers: the partner's Account screen (filters, balance order, usage per row)", () => {
  let server: TestServer;
  let token: string;
  /** name → id; balances 0, 5, 7 (promotional), 12, and one overdrawn by usage. */
  const ids: Record<string, string> = {};
  let strangerId: string;
  const period = { from: hourStart(-2), to: hourStart(2) };

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        ...QUIET_BACKGROUND_JOBS,
        EXPIRY_CHECK_CACHE_MS: '0',
        // No balance cache either: a page whose balances an earlier test read within the cache's
        // lifetime would skip the balances statement and count one less.
        BALANCE_CACHE_MS: '0',
      },
    });
    const partnerId = await createAccount(server, { kind: 'PARTNER', name: 'Screen Partner' });
    token = await server.userToken(partnerId, Role.VIEWER);
    for (const name of ['Empty', 'Five', 'Seven', 'Twelve', 'Overdrawn']) ids[name] = await createAccount(server, { partnerId, name });
    await fundTopUp(server, ids.Five, credits(5));
    await grant(server, ids.Seven, '7');
    await fundTopUp(server, ids.Twelve, credits(15));
    await fundTopUp(server, ids.Overdrawn, credits(1));
    const metering = await server.meteringToken();
    const usage = (accountId: string, amount: string) => ({ eventId: newKey(), accountId, service: 'compute', amount, occurredAt: new Date().toISOString() });
    await server.ok(RECORD_USAGE, { events: [usage(ids.Twelve, '1.5'), usage(ids.Twelve, '1.5'), usage(ids.Overdrawn, '3')] }, metering);
    // Another partner's customer never shows.
    const other = await createAccount(server, { kind: 'PARTNER' });
    strangerId = await createAccount(server, { partnerId: other, name: 'Stranger' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function all(variables: Record<string, unknown>): Promise<Row[]> {
    const rows: Row[] = [];
    let after: string | null = null;
    for (;;) {
      const data: any = await server.ok(CUSTOMERS, { period, ...variables, after }, token);
      rows.push(...data.partnerCustomers.edges.map((edge: { node: Row }) => edge.node));
      if (!data.partnerCustomers.pageInfo.hasNextPage) return rows;
      after = data.partnerCustomers.pageInfo.endCursor;
    }
  }
  const names = (rows: Row[]) => rows.map((row) => row.name);

  it('filters depleted customers, and those below a balance', async () => {
    expect(names(await all({ filter: { depleted: true } }))).toEqual(['Overdrawn']);
    expect(names(await all({ filter: { depleted: false } }))).toEqual(['Empty', 'Five', 'Seven', 'Twelve']);
    expect(names(await all({ filter: { totalBalanceBelow: '7' } }))).toEqual(['Empty', 'Five', 'Overdrawn']);
    expect(names(await all({ filter: { totalBalanceBelow: '7.000001', depleted: false } }))).toEqual(['Empty', 'Five', 'Seven']);
  });

  it('sorts by balance, lowest first, and pages through the same order', async () => {
    const expected = ['Overdrawn', 'Empty', 'Five', 'Seven', 'Twelve'];
    const onePage = await all({ sortBy: 'BALANCE', first: 100 });
    expect(names(onePage)).toEqual(expected);
    expect(onePage.map((row) => row.balances.totalBalance)).toEqual(['-2.000000', '0.000000', '5.000000', '7.000000', '12.000000']);
    expect(names(await all({ sortBy: 'BALANCE', first: 2 }))).toEqual(expected);
    expect(names(await all({ sortBy: 'BALANCE', first: 1, filter: { totalBalanceBelow: '10' } }))).toEqual(expected.slice(0, 4));
  });

  it('sorts by balance largest first with sortDirection DESC, and pages through the same order', async () => {
    const expected = ['Twelve', 'Seven', 'Five', 'Empty', 'Overdrawn'];
    const onePage = await all({ sortBy: 'BALANCE', sortDirection: 'DESC', first: 100 });
    expect(names(onePage)).toEqual(expected);
    expect(onePage.map((row) => row.balances.totalBalance)).toEqual(['12.000000', '7.000000', '5.000000', '0.000000', '-2.000000']);
    expect(names(await all({ sortBy: 'BALANCE', sortDirection: 'DESC', first: 2 }))).toEqual(expected);
    expect(names(await all({ sortBy: 'BALANCE', sortDirection: 'DESC', first: 1, filter: { totalBalanceBelow: '10' } }))).toEqual(expected.slice(1));
  });

  it('sorts by name Z to A with sortDirection DESC, and pages through the same order', async () => {
    const expected = ['Twelve', 'Seven', 'Overdrawn', 'Five', 'Empty'];
    expect(names(await all({ sortDirection: 'DESC', first: 100 }))).toEqual(expected);
    expect(names(await all({ sortDirection: 'DESC', first: 2 }))).toEqual(expected);
    expect(names(await all({ sortDirection: 'ASC', first: 2 }))).toEqual([...expected].reverse());
  });

  it('finds customers by a part of their account id as well as of their name', async () => {
    expect(names(await all({ filter: { search: ids.Seven } }))).toEqual(['Seven']);
    expect(names(await all({ filter: { search: ids.Twelve.slice(2).toUpperCase() } }))).toEqual(['Twelve']);
    expect(names(await all({ filter: { search: 'eLV' } }))).toEqual(['Twelve']);
    // The other partner's customer is not found by its id either.
    expect(await all({ filter: { search: strangerId } })).toEqual([]);
  });

  it('refuses a cursor of the other sort order or direction', async () => {
    const descending: any = await server.ok(CUSTOMERS, { period, first: 1, sortBy: 'BALANCE', sortDirection: 'DESC' }, token);
    const cursor = descending.partnerCustomers.pageInfo.endCursor;
    expect(codes(await server.call(CUSTOMERS, { period, first: 1, sortBy: 'BALANCE', after: cursor }, token))).toEqual(['BAD_USER_INPUT']);
    const byNameDescending: any = await server.ok(CUSTOMERS, { period, first: 1, sortDirection: 'DESC' }, token);
    const nameCursor = byNameDescending.partnerCustomers.pageInfo.endCursor;
    expect(codes(await server.call(CUSTOMERS, { period, first: 1, after: nameCursor }, token))).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a cursor of the other sort order', async () => {
    const byName: any = await server.ok(CUSTOMERS, { period, first: 1 }, token);
    const result = await server.call(CUSTOMERS, { period, first: 1, sortBy: 'BALANCE', after: byName.partnerCustomers.pageInfo.endCursor }, token);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });

  it("carries each customer's usage for the period, at a constant number of statements per page", async () => {
    const rows = await all({ first: 100 });
    expect(Object.fromEntries(rows.map((row) => [row.name, row.usage]))).toEqual({
      Empty: '0.000000',
      Five: '0.000000',
      Seven: '0.000000',
      Twelve: '3.000000',
      Overdrawn: '3.000000',
    });
    // A period before the usage sees none.
    const earlier = await all({ first: 100, period: { from: hourStart(-30), to: hourStart(-20) } } as never);
    expect(earlier.every((row) => row.usage === '0.000000')).toBe(true);

    const observer = observeStatements(server.services.dataSource);
    try {
      const count = (first: number) => observer.during(() => server.ok(CUSTOMERS, { period, first, sortBy: 'BALANCE' }, token));
      const two = await count(2);
      const five = await count(5);
      expect(five.length).toBe(two.length);
    } finally {
      observer.restore();
    }
  });

  it('refuses a usage period that is not on whole hours', async () => {
    const result = await server.call(CUSTOMERS, { period: { from: new Date(Date.parse(period.from) + 60_000).toISOString(), to: period.to } }, token);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });
});
