import { Role } from '../../src/auth/principal';
import { fixedClock } from '../../src/common/clock';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletKind } from '../../src/ledger/ledger.enums';
import { createAccount, grant, newKey } from '../support/fixtures';
import { codes, startTestServer, TestServer, QUIET_BACKGROUND_JOBS } from '../support/harness';
import { credits, fundTopUp, TRANSFER } from '../support/partners';
import { observeStatements } from '../support/query-counter';

/** The page both ways of asking for a history select: edges with their rows, and the page info. */
const PAGE = /* GraphQL */ `
  edges {
    cursor
    node {
      id
      occurredAt
      type
      amount
      counterparty {
        accountId
        name
      }
    }
  }
  pageInfo {
    hasNextPage
    hasPreviousPage
    startCursor
    endCursor
  }
`;

const HISTORY = /* GraphQL */ `
  query History($accountId: ID!, $filter: CreditHistoryFilterInput, $first: Int, $after: String, $last: Int, $before: String) {
    creditHistory(accountId: $accountId, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      ${PAGE}
    }
  }
`;

const ACCOUNT_HISTORY = /* GraphQL */ `
  query AccountHistory($accountId: ID!, $filter: CreditHistoryFilterInput, $first: Int, $after: String, $last: Int, $before: String) {
    account(id: $accountId) {
      creditHistory(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
        ${PAGE}
      }
    }
  }
`;

interface Edge {
  cursor: string;
  node: { id: string; occurredAt: string; type: string; amount: string };
}
interface Page {
  edges: Edge[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const T1 = new Date('2024-03-01T10:00:00.000Z');
const T2 = new Date('2024-03-02T10:00:00.000Z');
const T3 = new Date('2024-03-03T10:00:00.000Z');

describe('credit history paged backwards (last/before) and the full PageInfo', () => {
  let server: TestServer;
  // No background outbox polling: the statement count sees only the request's own statements.
  beforeAll(async () => {
    server = await startTestServer({
      env: QUIET_BACKGROUND_JOBS,
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  /** Posts through the real ledger at a chosen moment, so many movements share one timestamp. */
  async function post(accountId: string, type: 'TOP_UP' | 'USAGE', micros: bigint, occurredAt: Date) {
    const { runner, ledger } = server.services;
    const wallet = type === 'TOP_UP' ? WalletKind.PAYMENT_CLEARING : WalletKind.USAGE_REVENUE;
    const sign = type === 'TOP_UP' ? 1n : -1n;
    await runner.transaction((manager) =>
      ledger.withClock(fixedClock(occurredAt)).post(manager, {
        type: type === 'TOP_UP' ? LedgerTransactionType.TOP_UP : LedgerTransactionType.USAGE,
        idempotencyKey: `${type}:${newKey()}`,
        reference: `${type.toLowerCase()}-${micros}`,
        legs: [
          { accountId: SYSTEM_ACCOUNT_ID, walletKind: wallet, amountMicros: -sign * micros },
          { accountId, walletKind: WalletKind.TOPUP, amountMicros: sign * micros },
        ],
      }),
    );
  }

  /**
   * 7 movements at each of T1, T2 and T3 (top-ups and usage alternating, all at the same
   * millisecond), then 3 promotional grants now: 24 rows whose page boundaries fall inside runs of
   * equal timestamps for most page sizes.
   */
  async function accountWithTies(): Promise<string> {
    const accountId = await createAccount(server);
    let amount = 1;
    for (const at of [T1, T2, T3]) {
      for (let index = 0; index < 7; index++) {
        await post(accountId, index % 2 === 0 ? 'TOP_UP' : 'USAGE', BigInt(index % 2 === 0 ? 10_000_000 + amount : amount), at);
        amount++;
      }
    }
    for (let index = 1; index <= 3; index++) await grant(server, accountId, `${index}`);
    return accountId;
  }

  async function read(query: string, variables: Record<string, unknown>, token: string): Promise<Page> {
    const data = await server.ok(query, variables, token);
    return query === HISTORY ? data.creditHistory : data.account.creditHistory;
  }

  async function forwardPages(query: string, accountId: string, size: number, filter?: Record<string, unknown>): Promise<Page[]> {
    const token = await server.userToken(accountId);
    const pages: Page[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await read(query, { accountId, filter, first: size, after }, token);
      pages.push(page);
      if (!page.pageInfo.hasNextPage) return pages;
      after = page.pageInfo.endCursor;
      if (pages.length > 200) throw new Error('no end');
    }
  }

  /** From the end (the oldest rows) back to the newest, as a console's "last page" then "previous" buttons do. */
  async function backwardPages(query: string, accountId: string, size: number, filter?: Record<string, unknown>): Promise<Page[]> {
    const token = await server.userToken(accountId);
    const pages: Page[] = [];
    let before: string | null = null;
    for (;;) {
      const page = await read(query, { accountId, filter, last: size, before }, token);
      pages.push(page);
      if (!page.pageInfo.hasPreviousPage) return pages;
      before = page.pageInfo.startCursor;
      if (pages.length > 200) throw new Error('no end');
    }
  }

  const ids = (page: Page) => page.edges.map((edge) => edge.node.id);

  function expectConsistentPageInfo(pages: Page[], direction: 'forward' | 'backward') {
    pages.forEach((page, index) => {
      expect(page.pageInfo.startCursor).toBe(page.edges.at(0)?.cursor ?? null);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
      const isFirstRead = index === 0;
      const isLastRead = index === pages.length - 1;
      if (direction === 'forward') {
        // The first page starts at the newest row; each later one has the previous pages before it.
        expect(page.pageInfo.hasPreviousPage).toBe(!isFirstRead);
        expect(page.pageInfo.hasNextPage).toBe(!isLastRead);
      } else {
        // The first backward read holds the oldest rows; each later one has the pages read before it after it.
        expect(page.pageInfo.hasNextPage).toBe(!isFirstRead);
        expect(page.pageInfo.hasPreviousPage).toBe(!isLastRead);
      }
    });
  }

  /** The rows of a backward walk: chunks of `size` counted from the oldest row, each newest first. */
  function chunksFromTheEnd(all: string[], size: number): string[][] {
    const chunks: string[][] = [];
    for (let end = all.length; end > 0; end -= size) chunks.push(all.slice(Math.max(0, end - size), end));
    return chunks;
  }

  const FILTERS: [string, () => Record<string, unknown> | undefined][] = [
    ['no filter', () => undefined],
    ['one type', () => ({ types: ['USAGE'] })],
    ['two types (two index ranges merged)', () => ({ types: ['TOP_UP', 'PROMOTIONAL_GRANT'] })],
    ['a period', () => ({ from: T2.toISOString(), to: T3.toISOString() })],
    ['a period from a tie onwards', () => ({ from: T2.toISOString() })],
    ['types and a period', () => ({ types: ['TOP_UP', 'USAGE'], from: T1.toISOString(), to: new Date(T3.getTime() + 1).toISOString() })],
  ];

  describe.each(FILTERS)('with %s', (_label, filterOf) => {
    let accountId: string;
    beforeAll(async () => {
      accountId = await accountWithTies();
    });

    it.each([1, 2, 3, 4, 5, 7, 8, 24, 100])('walks backwards from the end through the same rows as forwards, page size %p', async (size) => {
      const filter = filterOf();
      const forward = await forwardPages(HISTORY, accountId, size, filter);
      const backward = await backwardPages(HISTORY, accountId, size, filter);
      const all = forward.flatMap(ids);
      expect(all.length).toBeGreaterThan(0);
      expect(new Set(all).size).toBe(all.length);
      // Every row once, in the same newest-first order, when the backward pages are read in reverse.
      expect([...backward].reverse().flatMap(ids)).toEqual(all);
      expect(backward.map(ids)).toEqual(chunksFromTheEnd(all, size));
      // Where the page size divides the row count the pages are the very same pages, reversed.
      if (all.length % size === 0) expect([...backward].reverse()).toEqual(forward);
      for (const page of backward) {
        const times = page.edges.map((edge) => Date.parse(edge.node.occurredAt));
        expect(times).toEqual([...times].sort((a, b) => b - a));
      }
      expectConsistentPageInfo(forward, 'forward');
      expectConsistentPageInfo(backward, 'backward');
    });
  });

  it('the filters really cut the rows, and the period filters contain page boundaries inside a tie', async () => {
    const accountId = await accountWithTies();
    const count = async (filter?: Record<string, unknown>) => (await forwardPages(HISTORY, accountId, 100, filter)).flatMap(ids).length;
    expect(await count()).toBe(24);
    expect(await count({ types: ['USAGE'] })).toBe(9);
    expect(await count({ types: ['TOP_UP', 'PROMOTIONAL_GRANT'] })).toBe(15);
    expect(await count({ from: T2.toISOString(), to: T3.toISOString() })).toBe(7);
    expect(await count({ from: T2.toISOString() })).toBe(17);
  });

  it('pages Account.creditHistory backwards the same way', async () => {
    const accountId = await accountWithTies();
    for (const size of [5, 6]) {
      const forward = await forwardPages(ACCOUNT_HISTORY, accountId, size);
      const backward = await backwardPages(ACCOUNT_HISTORY, accountId, size);
      expect([...backward].reverse().flatMap(ids)).toEqual(forward.flatMap(ids));
      expect(backward.map(ids)).toEqual(chunksFromTheEnd(forward.flatMap(ids), size));
      expectConsistentPageInfo(forward, 'forward');
      expectConsistentPageInfo(backward, 'backward');
    }
  });

  it('turns round in the middle: the page before a forward page is the page that came before it', async () => {
    const accountId = await accountWithTies();
    const token = await server.userToken(accountId);
    const forward = await forwardPages(HISTORY, accountId, 4);
    const third = forward[2];
    const back = await read(HISTORY, { accountId, last: 4, before: third.pageInfo.startCursor }, token);
    expect(back).toEqual(forward[1]);
    const next = await read(HISTORY, { accountId, first: 4, after: back.pageInfo.endCursor }, token);
    expect(next).toEqual(third);
  });

  it('answers hasPreviousPage and hasNextPage from the rows under the filter, even for a cursor from another list', async () => {
    const accountId = await accountWithTies();
    const token = await server.userToken(accountId);
    const everything = (await forwardPages(HISTORY, accountId, 100))[0].edges;
    const newestAtT3 = everything.find((edge) => edge.node.occurredAt === T3.toISOString())!;
    // Under "before T3" nothing is at or newer than a T3 row: the page after it has no previous page.
    const beforeT3 = await read(HISTORY, { accountId, filter: { to: T3.toISOString() }, first: 3, after: newestAtT3.cursor }, token);
    expect(beforeT3.edges.map((edge) => edge.node.occurredAt)).toEqual([T2, T2, T2].map((at) => at.toISOString()));
    expect(beforeT3.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    // Without the filter the same cursor has rows before it.
    expect((await read(HISTORY, { accountId, first: 3, after: newestAtT3.cursor }, token)).pageInfo).toMatchObject({
      hasPreviousPage: true,
      hasNextPage: true,
    });
    // The mirror image: under "from T2" nothing is at or older than a T1 row: the page before it has no next page.
    const newestAtT1 = everything.find((edge) => edge.node.occurredAt === T1.toISOString())!;
    const fromT2 = await read(HISTORY, { accountId, filter: { from: T2.toISOString() }, last: 3, before: newestAtT1.cursor }, token);
    expect(fromT2.edges.map((edge) => edge.node.occurredAt)).toEqual([T2, T2, T2].map((at) => at.toISOString()));
    expect(fromT2.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    expect((await read(HISTORY, { accountId, last: 3, before: newestAtT1.cursor }, token)).pageInfo).toMatchObject({
      hasPreviousPage: true,
      hasNextPage: true,
    });
  });

  it('answers an empty history with an empty page both ways', async () => {
    const accountId = await createAccount(server);
    const token = await server.userToken(accountId);
    const empty = { edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } };
    expect(await read(HISTORY, { accountId, first: 5 }, token)).toEqual(empty);
    expect(await read(HISTORY, { accountId, last: 5 }, token)).toEqual(empty);
  });

  describe('refusals', () => {
    let accountId: string;
    let cursor: string;
    beforeAll(async () => {
      accountId = await createAccount(server);
      await grant(server, accountId, '1');
      await grant(server, accountId, '2');
      cursor = (await read(HISTORY, { accountId, first: 1 }, await server.userToken(accountId))).pageInfo.endCursor!;
    });

    it.each([
      ['first with last', () => ({ first: 2, last: 2 })],
      ['after with before', () => ({ after: cursor, before: cursor })],
      ['first with before', () => ({ first: 2, before: cursor })],
      ['last with after', () => ({ last: 2, after: cursor })],
      ['last of 0', () => ({ last: 0 })],
      ['last of -1', () => ({ last: -1 })],
      ['last of 101', () => ({ last: 101 })],
      ['a before cursor this API never gave out', () => ({ last: 1, before: 'not-a-cursor' })],
      ['a before cursor that decodes to something else', () => ({ before: Buffer.from('hello:world').toString('base64url') })],
    ])('refuses %s with BAD_USER_INPUT, on both fields', async (_label, args) => {
      const token = await server.userToken(accountId);
      expect(codes(await server.call(HISTORY, { accountId, ...args() }, token))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await server.call(ACCOUNT_HISTORY, { accountId, ...args() }, token))).toEqual(['BAD_USER_INPUT']);
    });

    it('accepts last of 100 and before alone (a default page of 20)', async () => {
      const token = await server.userToken(accountId);
      expect((await read(HISTORY, { accountId, last: 100 }, token)).edges).toHaveLength(2);
      const olderOnly = await read(HISTORY, { accountId, before: cursor }, token);
      // Nothing is newer than the newest row; the row itself follows the (empty) page.
      expect(olderOnly.edges).toHaveLength(0);
      expect(olderOnly.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    });
  });

  describe('cost', () => {
    let partnerId: string;
    let partnerToken: string;
    beforeAll(async () => {
      partnerId = await createAccount(server, { kind: 'PARTNER' });
      await fundTopUp(server, partnerId, credits(1000));
      partnerToken = await server.userToken(partnerId, Role.OWNER);
      for (let index = 0; index < 30; index++) {
        const customerId = await createAccount(server, { partnerId });
        for (let repeat = 0; repeat < 2; repeat++) {
          await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '1', idempotencyKey: newKey() } }, partnerToken);
        }
      }
      await server.services.outbox.drain();
    });

    it('costs the same number of SQL statements for a backward page of 5 as of 60 rows, from the end and from a cursor', async () => {
      // 61 rows: the partner's top-up, then 60 transfers. Cursors at both ends leave 60 rows to read.
      const oldest = (await read(HISTORY, { accountId: partnerId, last: 1 }, partnerToken)).pageInfo.startCursor;
      const newest = (await read(HISTORY, { accountId: partnerId, first: 1 }, partnerToken)).pageInfo.endCursor;
      const counter = observeStatements(server.services.dataSource);
      try {
        const statements = (variables: Record<string, unknown>) =>
          counter.during(() => server.ok(HISTORY, { accountId: partnerId, ...variables }, partnerToken));
        await statements({ last: 1 }); // settles the lazy expiry check's per-process cache
        const fromEndSmall = await statements({ last: 5 });
        const fromEndLarge = await statements({ last: 60 });
        expect(fromEndLarge.length).toBe(fromEndSmall.length);
        expect(fromEndLarge.length).toBeLessThanOrEqual(3);
        // From a cursor: one more statement, the LIMIT 1 seek that answers hasNextPage.
        const fromCursorSmall = await statements({ last: 5, before: oldest });
        const fromCursorLarge = await statements({ last: 60, before: oldest });
        expect(fromCursorLarge.length).toBe(fromCursorSmall.length);
        expect(fromCursorLarge.length).toBe(fromEndLarge.length + 1);
        // A forward page from a cursor the same way.
        const forwardSmall = await statements({ first: 5, after: newest });
        const forwardLarge = await statements({ first: 60, after: newest });
        expect(forwardLarge.length).toBe(forwardSmall.length);
        expect(forwardLarge.length).toBe(fromCursorLarge.length);
      } finally {
        counter.restore();
      }
      const large = await read(HISTORY, { accountId: partnerId, last: 60, before: oldest }, partnerToken);
      expect(large.edges).toHaveLength(60);
      expect(new Set(large.edges.map((edge) => (edge.node as any).counterparty.accountId)).size).toBe(30);
      expect(large.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    });

    it('fills startCursor and hasPreviousPage on the forward-only connections too', async () => {
      const customers = /* GraphQL */ `
        query Customers($first: Int, $after: String) {
          partnerCustomers(first: $first, after: $after) {
            edges {
              cursor
            }
            pageInfo {
              hasNextPage
              hasPreviousPage
              startCursor
              endCursor
            }
          }
        }
      `;
      const first = (await server.ok(customers, { first: 12 }, partnerToken)).partnerCustomers;
      const second = (await server.ok(customers, { first: 12, after: first.pageInfo.endCursor }, partnerToken)).partnerCustomers;
      const third = (await server.ok(customers, { first: 12, after: second.pageInfo.endCursor }, partnerToken)).partnerCustomers;
      for (const [page, previous, next] of [
        [first, false, true],
        [second, true, true],
        [third, true, false],
      ]) {
        expect(page.pageInfo).toEqual({ hasNextPage: next, hasPreviousPage: previous, startCursor: page.edges[0].cursor, endCursor: page.edges.at(-1).cursor });
      }
      expect(third.edges).toHaveLength(6);

      const accountId = await createAccount(server);
      for (let index = 1; index <= 3; index++) await grant(server, accountId, `${index}`);
      const grants = /* GraphQL */ `
        query Grants($accountId: ID!, $after: String) {
          promotionalGrants(accountId: $accountId, first: 2, after: $after) {
            edges {
              cursor
            }
            pageInfo {
              hasNextPage
              hasPreviousPage
              startCursor
              endCursor
            }
          }
        }
      `;
      const token = await server.userToken(accountId);
      const top = (await server.ok(grants, { accountId }, token)).promotionalGrants;
      expect(top.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: top.edges[0].cursor, endCursor: top.edges[1].cursor });
      const rest = (await server.ok(grants, { accountId, after: top.pageInfo.endCursor }, token)).promotionalGrants;
      expect(rest.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: rest.edges[0].cursor, endCursor: rest.edges[0].cursor });
    });

    it('prices last like first in the query cost limit', async () => {
      const nested = (size: string) => `query { partnerCustomers(first: 100) { edges { node { creditHistory(${size}) { edges { cursor } } } } } }`;
      // 100 customers × 100 movements is over the default limit of 5000 whichever way the pages go…
      for (const size of ['first: 100', 'last: 100']) {
        const refused = await server.call(nested(size), {}, partnerToken);
        expect(codes(refused)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
        expect(refused.errors[0].message).toContain('costs 20301');
      }
      // …and 100 × 20 is under it, the same both ways.
      for (const size of ['first: 20', 'last: 20']) expect(codes(await server.call(nested(size), {}, partnerToken))).toEqual([]);
    });
  });
});
