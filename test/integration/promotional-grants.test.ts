import { Role } from '../../src/auth/principal';
import { PromotionalGrantStatus1796108809318 } from '../../migrations/1796108809318-PromotionalGrantStatus';
import { createAccount, grant } from '../support/fixtures';
import { codes, startTestServer, TEST_DATABASE, TestServer, QUIET_BACKGROUND_JOBS } from '../support/harness';
import { backdateGrantExpiry, grantRow, RECORD_USAGE, usageEvent } from '../support/partners';
import { observeStatements } from '../support/query-counter';
import { migrateAgain } from '../support/migrations';

const PROMOTIONAL_GRANTS = /* GraphQL */ `
  query PromotionalGrants($accountId: ID!, $filter: PromotionalGrantFilterInput, $first: Int, $after: String) {
    promotionalGrants(accountId: $accountId, filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          amount
          remaining
          expiredAmount
          status
          expiresAt
          reason
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const BALANCES_WITH_NEXT_EXPIRY = /* GraphQL */ `
  query BalancesWithNextExpiry($accountId: ID!) {
    balances(accountId: $accountId) {
      totalBalance
      promotionalBalance
      nextExpiry {
        amount
        expiresAt
      }
    }
  }
`;

const CUSTOMERS_WITH_NEXT_EXPIRY = /* GraphQL */ `
  query CustomersWithNextExpiry($first: Int) {
    partnerCustomers(first: $first) {
      edges {
        node {
          id
          balances {
            totalBalance
            nextExpiry {
              amount
              expiresAt
            }
          }
        }
      }
    }
  }
`;

interface GrantNode {
  id: string;
  amount: string;
  remaining: string;
  expiredAmount: string;
  status: string;
  expiresAt: string | null;
  reason: string;
  createdAt: string;
}

const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600 * 1000).toISOString();

describe('promotionalGrants and Balances.nextExpiry', () => {
  let server: TestServer;
  beforeAll(async () => {
    // No timer and no expiry-check cache: every expiry here is the lazy one before a read. No pollers
    // either: a statement count must not catch a background job's query.
    server = await startTestServer({
      env: {
        ...QUIET_BACKGROUND_JOBS,
        EXPIRY_CHECK_CACHE_MS: '0',
      },
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  const grantId = async (accountId: string, amount: string, expiresAt?: string) =>
    (await grant(server, accountId, amount, { expiresAt })).grantPromotionalCredits.grant.id as string;
  const use = async (accountId: string, amount: string) => server.ok(RECORD_USAGE, { events: [usageEvent(accountId, amount)] }, await server.meteringToken());

  /** Every grant of a filter, walked page by page. */
  async function walk(accountId: string, filter: Record<string, unknown> | null, first: number, token?: string): Promise<GrantNode[]> {
    const nodes: GrantNode[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const data: any = await server.ok(PROMOTIONAL_GRANTS, { accountId, filter, first, after }, token ?? (await server.userToken(accountId, Role.VIEWER)));
      nodes.push(...data.promotionalGrants.edges.map((edge: { node: GrantNode }) => edge.node));
      if (!data.promotionalGrants.pageInfo.hasNextPage) return nodes;
      after = data.promotionalGrants.pageInfo.endCursor;
    }
    throw new Error('more than 50 pages');
  }
  const nextExpiryOf = async (accountId: string) => (await server.ok(BALANCES_WITH_NEXT_EXPIRY, { accountId }, await server.userToken(accountId))).balances;

  describe('one account through partial use, full use and expiry', () => {
    let accountId: string;
    const ids: Record<'later' | 'never' | 'soon' | 'soonToo' | 'middle', string> = { later: '', never: '', soon: '', soonToo: '', middle: '' };
    const soonInstant = inDays(1);

    beforeAll(async () => {
      accountId = await createAccount(server);
      ids.later = await grantId(accountId, '10', inDays(3));
      ids.never = await grantId(accountId, '4');
      ids.soon = await grantId(accountId, '6', soonInstant);
      ids.soonToo = await grantId(accountId, '3', soonInstant);
      ids.middle = await grantId(accountId, '8', inDays(2));
      // Usage draws the soonest expiry first, the lower id among equals: 2 of "soon".
      await use(accountId, '2');
    });

    it('lists active grants soonest expiry first, never-expiring last, with what remains after partial usage', async () => {
      const active = await walk(accountId, { active: true }, 2);
      expect(active.map((node) => node.id)).toEqual([ids.soon, ids.soonToo, ids.middle, ids.later, ids.never]);
      expect(active.map((node) => [node.amount, node.remaining, node.status])).toEqual([
        ['6.000000', '4.000000', 'ACTIVE'],
        ['3.000000', '3.000000', 'ACTIVE'],
        ['8.000000', '8.000000', 'ACTIVE'],
        ['10.000000', '10.000000', 'ACTIVE'],
        ['4.000000', '4.000000', 'ACTIVE'],
      ]);
      expect(active[0]).toMatchObject({ reason: 'test grant', expiresAt: soonInstant, expiredAmount: '0.000000' });
      expect(active[4].expiresAt).toBeNull();
      expect(Date.parse(active[0].createdAt)).toBeLessThanOrEqual(Date.now());
      // Every page size walks the same list.
      expect((await walk(accountId, { active: true }, 1)).map((node) => node.id)).toEqual(active.map((node) => node.id));
      expect((await walk(accountId, { active: true }, 100)).map((node) => node.id)).toEqual(active.map((node) => node.id));
    });

    it('gives the balances the next expiry: the remainder of every grant expiring at the soonest instant', async () => {
      expect(await nextExpiryOf(accountId)).toEqual({
        totalBalance: '29.000000',
        promotionalBalance: '29.000000',
        nextExpiry: { amount: '7.000000', expiresAt: soonInstant },
      });
    });

    it('shows USED_UP and EXPIRED grants, with remaining 0 once expired, and moves the next expiry on', async () => {
      await use(accountId, '7'); // the rest of "soon" (4) and all of "soonToo" (3)
      await backdateGrantExpiry(server, ids.middle);
      // The grants list is the first read after the expiry passed: it expires the grant itself.
      const all = await walk(accountId, null, 2);
      expect(all.map((node) => node.id)).toEqual([ids.middle, ids.soonToo, ids.soon, ids.never, ids.later]);
      expect(all.map((node) => [node.status, node.remaining, node.expiredAmount])).toEqual([
        ['EXPIRED', '0.000000', '8.000000'],
        ['USED_UP', '0.000000', '0.000000'],
        ['USED_UP', '0.000000', '0.000000'],
        ['ACTIVE', '4.000000', '0.000000'],
        ['ACTIVE', '10.000000', '0.000000'],
      ]);
      expect((await grantRow(server, ids.middle)).remainingMicros).toBe(0n);
      expect(await nextExpiryOf(accountId)).toMatchObject({ promotionalBalance: '14.000000', nextExpiry: { amount: '10.000000' } });
      expect(await server.audit()).toEqual([]);
    });

    it('filters inactive grants and grants expiring before an instant', async () => {
      expect((await walk(accountId, { active: false }, 1)).map((node) => node.id)).toEqual([ids.middle, ids.soonToo, ids.soon]);
      expect((await walk(accountId, { active: true }, 1)).map((node) => node.id)).toEqual([ids.later, ids.never]);
      expect((await walk(accountId, { expiringBefore: inDays(2.5) }, 2)).map((node) => node.id)).toEqual([ids.middle, ids.soonToo, ids.soon]);
      expect((await walk(accountId, { active: true, expiringBefore: inDays(4) }, 2)).map((node) => node.id)).toEqual([ids.later]);
      expect(await walk(accountId, { active: true, expiringBefore: inDays(2.5) }, 2)).toEqual([]);
      expect((await walk(accountId, { active: false, expiringBefore: inDays(1.5) }, 5)).map((node) => node.id)).toEqual([ids.middle, ids.soonToo, ids.soon]);
      expect(await walk(accountId, { active: false, expiringBefore: new Date(Date.now() - 3600_000).toISOString() }, 5)).toEqual([]);
    });

    it('refuses bad paging arguments and a cursor of another order', async () => {
      const token = await server.userToken(accountId);
      const { promotionalGrants } = await server.ok(PROMOTIONAL_GRANTS, { accountId, first: 1 }, token);
      expect(
        codes(await server.call(PROMOTIONAL_GRANTS, { accountId, filter: { active: true }, first: 1, after: promotionalGrants.pageInfo.endCursor }, token)),
      ).toEqual(['BAD_USER_INPUT']);
      expect(codes(await server.call(PROMOTIONAL_GRANTS, { accountId, first: 1, after: 'not-a-cursor' }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await server.call(PROMOTIONAL_GRANTS, { accountId, first: 0 }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await server.call(PROMOTIONAL_GRANTS, { accountId, first: 101 }, token))).toEqual(['BAD_USER_INPUT']);
    });

    // MySQL migrations do not run on the embedded SQLite, whose schema comes from the entities.
    (TEST_DATABASE === 'mariadb' ? it : it.skip)('migrates a populated database: expired grants get their expired amount back from the ledger', async () => {
      await migrateAgain(server, new PromotionalGrantStatus1796108809318());
      const statuses = (await walk(accountId, null, 10)).map((node) => [node.id, node.status, node.expiredAmount]);
      expect(statuses).toEqual([
        [ids.middle, 'EXPIRED', '8.000000'],
        [ids.soonToo, 'USED_UP', '0.000000'],
        [ids.soon, 'USED_UP', '0.000000'],
        [ids.never, 'ACTIVE', '0.000000'],
        [ids.later, 'ACTIVE', '0.000000'],
      ]);
    });
  });

  it('has no next expiry without an expiring grant with something left', async () => {
    const accountId = await createAccount(server);
    expect((await nextExpiryOf(accountId)).nextExpiry).toBeNull();
    await grantId(accountId, '5');
    expect((await nextExpiryOf(accountId)).nextExpiry).toBeNull();
    const used = await grantId(accountId, '1', inDays(1));
    await use(accountId, '1');
    expect((await grantRow(server, used)).remainingMicros).toBe(0n);
    expect((await nextExpiryOf(accountId)).nextExpiry).toBeNull();
  });

  it('lets the account, its partner and the admin list grants, and nobody else', async () => {
    const partnerId = await createAccount(server, { kind: 'PARTNER' });
    const customerId = await createAccount(server, { partnerId });
    const otherId = await createAccount(server);
    const id = await grantId(customerId, '2', inDays(5));
    const list = async (token: string, accountId = customerId) => server.call(PROMOTIONAL_GRANTS, { accountId, first: 5 }, token);
    const ids = (result: any) => result.data.promotionalGrants.edges.map((edge: { node: GrantNode }) => edge.node.id);
    expect(ids(await list(await server.userToken(customerId, Role.VIEWER)))).toEqual([id]);
    expect(ids(await list(await server.userToken(partnerId, Role.VIEWER)))).toEqual([id]);
    expect(ids(await list(await server.adminToken()))).toEqual([id]);
    expect(codes(await list(await server.userToken(otherId)))).toEqual(['FORBIDDEN']);
    expect(codes(await list(await server.meteringToken()))).toEqual(['FORBIDDEN']);
    expect(codes(await list(''))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await list(await server.adminToken(), 'no-such-account'))).toEqual(['NOT_FOUND']);
  });

  it("costs one statement more, not one per row, for a page of a partner's customers with their next expiry", async () => {
    const partnerId = await createAccount(server, { kind: 'PARTNER' });
    const expiries = new Map<string, { amount: string; expiresAt: string }>();
    for (let index = 0; index < 40; index++) {
      const customerId = await createAccount(server, { partnerId, name: `Customer ${String(index).padStart(3, '0')}` });
      if (index % 3 === 0) continue; // some without any grant
      const expiresAt = inDays(1 + index);
      await grantId(customerId, String(index), expiresAt);
      await grantId(customerId, '1', inDays(90));
      expiries.set(customerId, { amount: `${index}.000000`, expiresAt });
    }
    const token = await server.userToken(partnerId, Role.VIEWER);
    await server.settle(); // the grants' notifications and the work they woke, so only the request's statements are counted
    const observer = observeStatements(server.services.dataSource);
    try {
      const count = async (first: number) =>
        observer.during(async () => {
          const { partnerCustomers } = await server.ok(CUSTOMERS_WITH_NEXT_EXPIRY, { first }, token);
          expect(partnerCustomers.edges).toHaveLength(first);
          for (const { node } of partnerCustomers.edges) {
            expect(node.balances.nextExpiry).toEqual(expiries.get(node.id) ?? null);
          }
        });
      const ten = await count(10);
      const forty = await count(40);
      expect(forty.length).toBe(ten.length);
      // The partner check, the page, the expiry check, the balances and the next expiries.
      expect(forty.length).toBeLessThanOrEqual(5);
    } finally {
      observer.restore();
    }
  });
});
