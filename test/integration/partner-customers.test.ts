import { Role } from '../../src/auth/principal';
import { SET_STATUS } from '../support/foundation';
import { createAccount, grant } from '../support/fixtures';
import { codes, startTestServer, TestServer, QUIET_BACKGROUND_JOBS } from '../support/harness';
import { credits, fundTopUp, PARTNER_CUSTOMERS } from '../support/partners';
import { observeStatements } from '../support/query-counter';

interface CustomerNode {
  id: string;
  name: string;
  status: string;
  balances: { totalBalance: string; topUpBalance: string; promotionalBalance: string };
}

describe('partnerCustomers', () => {
  let server: TestServer;
  let partnerId: string;
  let token: string;
  const customers: { id: string; name: string; status: string }[] = [];

  beforeAll(async () => {
    // No background drains or expiry runs, so the statement count sees only the request's own; and no
    // expiry-check cache, so every page pays the check.
    server = await startTestServer({
      env: {
        ...QUIET_BACKGROUND_JOBS,
        EXPIRY_CHECK_CACHE_MS: '0',
        // No balance cache either: a page whose balances an earlier test read within the cache's
        // lifetime would skip the balances statement and count one less.
        BALANCE_CACHE_MS: '0',
      },
    });
    partnerId = await createAccount(server, { kind: 'PARTNER', name: 'Partner' });
    token = await server.userToken(partnerId, Role.VIEWER);
    const adminToken = await server.adminToken();
    for (let index = 0; index < 100; index++) {
      // Mixed case and a literal "%" in a few names, for the search cases.
      const name = index % 10 === 3 ? `Mekong ${String(index).padStart(3, '0')}` : index === 50 ? '100% Pho' : `Customer ${String(index).padStart(3, '0')}`;
      const status = index % 7 === 0 ? 'SUSPENDED' : 'ACTIVE';
      const id = await createAccount(server, { partnerId, name, status });
      customers.push({ id, name, status });
    }
    await fundTopUp(server, customers[1].id, credits(5));
    await grant(server, customers[2].id, '7');
    const otherPartner = await createAccount(server, { kind: 'PARTNER' });
    await createAccount(server, { partnerId: otherPartner, name: 'customer of another partner' });
    await server.ok(SET_STATUS, { accountId: otherPartner, status: 'ACTIVE' }, adminToken);
    await server.services.outbox.drain();
  });
  afterAll(async () => {
    await server.stop();
  });

  const page = async (variables: Record<string, unknown>, as = token) => server.call(PARTNER_CUSTOMERS, variables, as);

  async function all(variables: Record<string, unknown>): Promise<CustomerNode[]> {
    const nodes: CustomerNode[] = [];
    let after: string | null = null;
    for (;;) {
      const { partnerCustomers }: { partnerCustomers: { edges: { node: CustomerNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } =
        await server.ok(PARTNER_CUSTOMERS, { ...variables, after }, token);
      nodes.push(...partnerCustomers.edges.map((edge: { node: CustomerNode }) => edge.node));
      if (!partnerCustomers.pageInfo.hasNextPage) return nodes;
      after = partnerCustomers.pageInfo.endCursor;
    }
  }

  // Names here start with a digit or a capital, so the binary (SQLite) and case-insensitive (MariaDB) orders agree.
  const byNameThenId = (a: { name: string; id: string }, b: { name: string; id: string }) =>
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.id < b.id ? -1 : 1);

  it('walks every customer of the partner once, by name, with cursors', async () => {
    const walked = await all({ first: 7 });
    expect(walked.map((node) => node.id).sort()).toEqual(customers.map((customer) => customer.id).sort());
    expect(new Set(walked.map((node) => node.id)).size).toBe(100);
    expect(walked.map((node) => node.id)).toEqual([...customers].sort(byNameThenId).map((customer) => customer.id));
  });

  it('shows each customer with its status and balances', async () => {
    const walked = await all({ first: 100 });
    const funded = walked.find((node) => node.id === customers[1].id)!;
    const promoted = walked.find((node) => node.id === customers[2].id)!;
    expect(funded.balances).toEqual({ totalBalance: '5.000000', topUpBalance: '5.000000', promotionalBalance: '0.000000' });
    expect(promoted.balances).toEqual({ totalBalance: '7.000000', topUpBalance: '0.000000', promotionalBalance: '7.000000' });
    expect(walked.find((node) => node.id === customers[0].id)!.status).toBe('SUSPENDED');
  });

  it('filters by status', async () => {
    const suspended = await all({ first: 5, filter: { status: 'SUSPENDED' } });
    expect(suspended.map((node) => node.id).sort()).toEqual(
      customers
        .filter((customer) => customer.status === 'SUSPENDED')
        .map((customer) => customer.id)
        .sort(),
    );
  });

  it('searches names by case-insensitive substring, treating % and _ literally', async () => {
    const mekong = await all({ first: 4, filter: { search: 'mEKONG' } });
    expect(mekong).toHaveLength(10);
    expect(mekong.every((node) => node.name.startsWith('Mekong'))).toBe(true);
    expect((await all({ first: 10, filter: { search: 'ong 02' } })).map((node) => node.name)).toEqual(['Mekong 023']);
    expect((await all({ first: 10, filter: { search: '%' } })).map((node) => node.name)).toEqual(['100% Pho']);
    expect(await all({ first: 10, filter: { search: 'customer_0' } })).toEqual([]);
    const activeMekong = await all({ first: 10, filter: { search: 'mekong', status: 'ACTIVE' } });
    expect(activeMekong.map((node) => node.name)).not.toContain('Mekong 063');
    expect(activeMekong).toHaveLength(9);
  });

  it('costs the same small number of SQL statements for 10 and for 100 customers with balances', async () => {
    const observer = observeStatements(server.services.dataSource);
    try {
      const count = async (first: number) =>
        observer.during(async () => {
          const result = await page({ first });
          expect(result.errors).toEqual([]);
          expect(result.data.partnerCustomers.edges).toHaveLength(first);
        });
      const ten = await count(10);
      const hundred = await count(100);
      expect(hundred.length).toBe(ten.length);
      // The partner check, the page, the expiry check and the balances: one statement each.
      expect(hundred.length).toBeLessThanOrEqual(4);
    } finally {
      observer.restore();
    }
  });

  it('refuses non-partners and bad paging arguments', async () => {
    expect(codes(await page({ first: 5 }, await server.userToken(customers[1].id)))).toEqual(['FORBIDDEN']);
    expect(codes(await page({ first: 5 }, await server.meteringToken()))).toEqual(['FORBIDDEN']);
    expect(codes(await page({ first: 5 }, await server.adminToken()))).toEqual(['FORBIDDEN']);
    expect(codes(await page({ first: 5 }, ''))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await page({ first: 0 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await page({ first: 101 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await page({ first: 5, after: 'not-a-cursor' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await page({ first: 5, filter: { search: 'x'.repeat(101) } }))).toEqual(['BAD_USER_INPUT']);
  });
});
