import { codes, startTestServer, TestServer } from '../support/harness';
import { createAccount, grant } from '../support/fixtures';
import { allMovements, CREDIT_HISTORY, isNewestFirst, Movement } from '../support/foundation';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletKind } from '../../src/ledger/ledger.enums';

describe('credit history', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const page = async (accountId: string, variables: Record<string, unknown> = {}) =>
    server.call(CREDIT_HISTORY, { accountId, ...variables }, await server.userToken(accountId));

  /**
   * Posts through the real ledger service, for the movement types the foundation has no mutation
   * for yet (a top-up paid into the top-up wallet, then usage taken from it).
   */
  async function postTopUpThenUsage(accountId: string, topUpMicros: bigint, usageMicros: bigint) {
    const { runner, ledger } = server.services;
    const key = `${accountId}:${topUpMicros}:${usageMicros}:${Math.random()}`;
    await runner.transaction((manager) =>
      ledger.post(manager, {
        type: LedgerTransactionType.TOP_UP,
        idempotencyKey: `topup:${key}`,
        reference: 'top-up-1',
        legs: [
          { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PAYMENT_CLEARING, amountMicros: -topUpMicros },
          { accountId, walletKind: WalletKind.TOPUP, amountMicros: topUpMicros },
        ],
      }),
    );
    await runner.transaction((manager) =>
      ledger.post(manager, {
        type: LedgerTransactionType.USAGE,
        idempotencyKey: `usage:${key}`,
        reference: 'usage-event-1',
        legs: [
          { accountId, walletKind: WalletKind.TOPUP, amountMicros: -usageMicros },
          { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.USAGE_REVENUE, amountMicros: usageMicros },
        ],
      }),
    );
  }

  it('is empty for a new account', async () => {
    const accountId = await createAccount(server);
    expect((await page(accountId)).data.creditHistory).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('shows each movement with its balances after, counterparty and reference', async () => {
    const accountId = await createAccount(server);
    await grant(server, accountId, '5', { idempotencyKey: 'history-grant-1' });
    await postTopUpThenUsage(accountId, 3_000_000n, 1_250_000n);
    const movements = (await page(accountId)).data.creditHistory.edges.map((edge: { node: Movement }) => edge.node);
    expect(movements).toMatchObject([
      {
        type: 'USAGE',
        amount: '-1.250000',
        balanceAfter: '6.750000',
        topUpBalanceAfter: '1.750000',
        promotionalBalanceAfter: '5.000000',
        counterparty: { accountId: null, name: 'Platform usage' },
        reference: 'usage-event-1',
      },
      { type: 'TOP_UP', amount: '3.000000', balanceAfter: '8.000000', counterparty: { name: 'Payment' } },
      {
        type: 'PROMOTIONAL_GRANT',
        amount: '5.000000',
        balanceAfter: '5.000000',
        counterparty: { name: 'Platform promotion' },
        reference: 'grant:history-grant-1',
        description: 'test grant',
      },
    ]);
    expect(await server.audit()).toEqual([]);
  });

  it('walks every page, each entry exactly once, newest first', async () => {
    const accountId = await createAccount(server);
    for (let index = 1; index <= 23; index++) await grant(server, accountId, `${index}`);
    for (const first of [1, 4, 23, 100]) {
      const movements = await allMovements(server, accountId, { first });
      expect(movements.map((movement) => movement.amount)).toEqual(Array.from({ length: 23 }, (_, index) => `${23 - index}.000000`));
      expect(isNewestFirst(movements)).toBe(true);
    }
  });

  it('walks every page exactly once while new movements keep arriving', async () => {
    const accountId = await createAccount(server);
    for (let index = 0; index < 30; index++) await grant(server, accountId, '1');
    let running = true;
    let addedDuringWalk = 0;
    const background = (async () => {
      while (running) {
        await grant(server, accountId, '0.5');
        addedDuringWalk++;
      }
    })();
    // One more grant between every two pages, so arrivals interleave with the walk for certain.
    const walked = await allMovements(server, accountId, {
      first: 3,
      onPage: async () => {
        await grant(server, accountId, '0.25');
        addedDuringWalk++;
      },
    });
    running = false;
    await background;

    const everything = await allMovements(server, accountId, { first: 100 });
    expect(addedDuringWalk).toBeGreaterThan(0);
    expect(new Set(walked.map((movement) => movement.id)).size).toBe(walked.length);
    expect(walked.length).toBeGreaterThanOrEqual(30);
    expect(isNewestFirst(walked)).toBe(true);
    // What the walk saw is exactly the oldest part of the history: nothing skipped, nothing repeated.
    expect(walked).toEqual(everything.slice(everything.length - walked.length));
    expect(everything.length).toBe(30 + addedDuringWalk);
    expect(isNewestFirst(everything)).toBe(true);
  });

  it('filters by type', async () => {
    const accountId = await createAccount(server);
    await grant(server, accountId, '2');
    await postTopUpThenUsage(accountId, 5_000_000n, 1_000_000n);
    await grant(server, accountId, '3');
    const types = async (filterTypes: string[]) =>
      (await allMovements(server, accountId, { filter: { types: filterTypes }, first: 1 })).map((movement) => `${movement.type} ${movement.amount}`);
    expect(await types(['PROMOTIONAL_GRANT'])).toEqual(['PROMOTIONAL_GRANT 3.000000', 'PROMOTIONAL_GRANT 2.000000']);
    expect(await types(['USAGE', 'TOP_UP'])).toEqual(['USAGE -1.000000', 'TOP_UP 5.000000']);
    expect(await types(['TRANSFER_IN'])).toEqual([]);
    expect(await types([])).toHaveLength(4);
  });

  it('filters by period, from inclusive and to exclusive', async () => {
    const accountId = await createAccount(server);
    for (let index = 1; index <= 8; index++) await grant(server, accountId, `${index}`);
    const everything = await allMovements(server, accountId);
    const from = everything[5].occurredAt;
    const to = everything[1].occurredAt;
    const expected = everything.filter((movement) => movement.occurredAt >= from && movement.occurredAt < to);
    const filtered = await allMovements(server, accountId, { filter: { from, to }, first: 2 });
    expect(filtered).toEqual(expected);
    expect(filtered).toContainEqual(everything[5]);
    expect(filtered).not.toContainEqual(everything[1]);
    expect(await allMovements(server, accountId, { filter: { from: everything[0].occurredAt } })).toContainEqual(everything[0]);
    expect(await allMovements(server, accountId, { filter: { to: everything[7].occurredAt } })).toEqual([]);
  });

  it('pages the history of an account through Account.creditHistory too', async () => {
    const accountId = await createAccount(server);
    for (let index = 1; index <= 3; index++) await grant(server, accountId, `${index}`);
    const query = `query($id: ID!, $first: Int = 2, $after: String) { account(id: $id) { creditHistory(first: $first, after: $after) { edges { node { amount } } pageInfo { hasNextPage endCursor } } } }`;
    const token = await server.userToken(accountId);
    const first = (await server.ok(query, { id: accountId }, token)).account.creditHistory;
    expect(first.edges.map((edge: { node: Movement }) => edge.node.amount)).toEqual(['3.000000', '2.000000']);
    const second = (await server.ok(query, { id: accountId, after: first.pageInfo.endCursor }, token)).account.creditHistory;
    expect(second).toEqual({ edges: [{ node: { amount: '1.000000' } }], pageInfo: { hasNextPage: false, endCursor: expect.any(String) } });
    expect(codes(await server.call(query, { id: accountId, first: 101 }, token))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await server.call(query, { id: accountId, after: 'garbage' }, token))).toEqual(['BAD_USER_INPUT']);
  });

  describe('refusals', () => {
    let accountId: string;
    beforeAll(async () => {
      accountId = await createAccount(server);
      await grant(server, accountId, '1');
    });

    it.each([0, -1, 101, 1000])('refuses a page size of %p with BAD_USER_INPUT', async (first) => {
      expect(codes(await page(accountId, { first }))).toEqual(['BAD_USER_INPUT']);
    });

    it('accepts a page size of 100', async () => {
      expect(codes(await page(accountId, { first: 100 }))).toEqual([]);
    });

    it.each([
      ['garbage', 'not-a-cursor'],
      ['base64 of something else', Buffer.from('hello:world').toString('base64url')],
      ['an empty-looking cursor', '===='],
      ['an overlong number', Buffer.from(`${'9'.repeat(20)}:1`).toString('base64url')],
    ])('refuses a %s cursor with BAD_USER_INPUT', async (_label, after) => {
      expect(codes(await page(accountId, { after }))).toEqual(['BAD_USER_INPUT']);
    });

    it('refuses a period whose end is not after its start', async () => {
      const at = new Date().toISOString();
      expect(codes(await page(accountId, { filter: { from: at, to: at } }))).toEqual(['BAD_USER_INPUT']);
    });

    it('refuses a period bound that is not a date', async () => {
      expect(codes(await page(accountId, { filter: { from: 'yesterday' } }))).toEqual(['BAD_USER_INPUT']);
    });

    it('refuses an unknown movement type', async () => {
      expect(codes(await page(accountId, { filter: { types: ['GIFT'] } }))).toEqual(['BAD_USER_INPUT']);
    });
  });
});
