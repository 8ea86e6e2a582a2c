import { Role } from '../../src/auth/principal';
import { createAccount, grant, newKey, UPDATE_BILLING, VALID_BILLING } from '../support/fixtures';
import { startTestServer, TEST_DATABASE, TestServer, QUIET_BACKGROUND_JOBS } from '../support/harness';
import { appendMovements, historyCursorAt } from '../bench/data';
import { HISTORY_WITH_SOURCES } from '../support/history-sources';
import { backdateGrantExpiry, fundTopUp, credits, RECORD_USAGE, TRANSFER, usageEvent } from '../support/partners';
import { createTopUp, waitForStatus } from '../support/top-ups';
import { observeStatements } from '../support/query-counter';

const HISTORY = /* GraphQL */ `
  query History($id: ID!, $first: Int) {
    creditHistory(accountId: $id, first: $first) {
      edges {
        node {
          id
          type
          amount
          balanceAfter
          counterparty {
            accountId
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** A history page's counterparties come through the per-request dataloader: one batch, not one query per row. */
describe('credit history cost', () => {
  let server: TestServer;
  // No background outbox polling during the count: only the request's own statements are seen.
  beforeAll(async () => {
    server = await startTestServer({
      // The expiry check's cache outlives each test (the first read settles it, as below), and no
      // balance cache: on a busy machine the reads of one test could otherwise straddle a cache's
      // lifetime, and a read that finds it warm counts one statement less.
      env: {
        ...QUIET_BACKGROUND_JOBS,
        EXPIRY_CHECK_CACHE_MS: '60000',
        BALANCE_CACHE_MS: '0',
      },
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('costs the same number of SQL statements for a page of 5 as for a page of 60 rows with counterparties', async () => {
    const partnerId = await createAccount(server, { kind: 'PARTNER' });
    await fundTopUp(server, partnerId, credits(1000));
    const partnerToken = await server.userToken(partnerId, Role.OWNER);
    for (let index = 0; index < 30; index++) {
      const customerId = await createAccount(server, { partnerId });
      for (let repeat = 0; repeat < 2; repeat++) {
        await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '1', idempotencyKey: newKey() } }, partnerToken);
      }
    }
    await server.settle();
    const counter = observeStatements(server.services.dataSource);
    try {
      const read = (first: number) => counter.during(() => server.ok(HISTORY, { id: partnerId, first }, partnerToken));
      await read(1); // settles the lazy expiry check's per-process cache
      const small = await read(5);
      const large = await read(60);
      const result = await server.ok(HISTORY, { id: partnerId, first: 60 }, partnerToken);
      expect(result.creditHistory.edges).toHaveLength(60);
      expect(new Set(result.creditHistory.edges.map((edge: any) => edge.node.counterparty.accountId)).size).toBe(30);
      expect(large.length).toBe(small.length);
      expect(large.length).toBeLessThanOrEqual(3);
    } finally {
      counter.restore();
    }
  });

  it('costs the same number of SQL statements for a page of 5 as for a page of 50 rows with every kind of typed source', async () => {
    // A partner that buys through Stripe, transfers, consumes, and gets grants that expire: each
    // round adds one history row of each of the five kinds, so any page of 5 holds every kind.
    const stripe = server.standIns.stripe;
    const partnerAccountId = await createAccount(server, { kind: 'PARTNER', region: 'US' });
    const partner = { accountId: partnerAccountId, token: await server.userToken(partnerAccountId, Role.OWNER) };
    await server.ok(UPDATE_BILLING, { accountId: partnerAccountId, input: VALID_BILLING }, partner.token);
    const customerId = await createAccount(server, { partnerId: partner.accountId });
    const metering = await server.meteringToken();
    for (let round = 0; round < 10; round++) {
      const topUp = await createTopUp(server, partner, { method: 'STRIPE', amount: '10' });
      await stripe.succeed(topUp.providerReference);
      await waitForStatus(server, partner, topUp.id, 'SUCCEEDED');
      await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '1', idempotencyKey: newKey(), note: `round ${round}` } }, partner.token);
      await server.ok(RECORD_USAGE, { events: [usageEvent(partner.accountId, '1')] }, metering);
      const granted = (await grant(server, partner.accountId, '2', { expiresAt: new Date(Date.now() + 3600_000).toISOString() })).grantPromotionalCredits.grant;
      await backdateGrantExpiry(server, granted.id);
      await server.services.expiry.expireDueGrants();
    }
    await server.settle();
    const counter = observeStatements(server.services.dataSource);
    try {
      const read = (first: number) => counter.during(() => server.ok(HISTORY_WITH_SOURCES, { accountId: partner.accountId, first }, partner.token));
      await read(1); // settles the lazy expiry check's per-process cache
      const small = await read(5);
      const large = await read(50);
      const result = await server.ok(HISTORY_WITH_SOURCES, { accountId: partner.accountId, first: 50 }, partner.token);
      const typenames = result.creditHistory.edges.map((edge: any) => edge.node.source?.__typename);
      expect(typenames.filter((name: string) => name === 'TopUpSource')).toHaveLength(10);
      expect(typenames.filter((name: string) => name === 'TransferSource')).toHaveLength(10);
      expect(typenames.filter((name: string) => name === 'UsageSource')).toHaveLength(10);
      // Each round's grant and its expiry both name the grant.
      expect(typenames.filter((name: string) => name === 'PromotionalGrantSource')).toHaveLength(20);
      const firstFive = (await server.ok(HISTORY_WITH_SOURCES, { accountId: partner.accountId, first: 5 }, partner.token)).creditHistory.edges;
      expect(new Set(firstFive.map((edge: any) => edge.node.type)).size).toBe(5);
      expect(large.length).toBe(small.length);
      // The page, the counterparties (the transfers' two sides come from the same account loader),
      // and one lookup per kind of source: top-ups, transfers, usage events, grants by transaction,
      // expired grants by id.
      expect(large.length).toBeLessThanOrEqual(2 + 5);
    } finally {
      counter.restore();
    }
  });

  // MariaDB's plan for a deep keyset page depends on its statistics, so this needs a history of a
  // size where the planner once chose to walk back from the newest row (it did at 200,000 rows).
  // ANALYZE runs the page's own statements on this test's connection and reports the rows each
  // table access really read. SQLite has no such report; its plan is checked by the page tests.
  (TEST_DATABASE === 'mariadb' ? it : it.skip)('reads a page 100,000 rows deep without reading the rows in front of it', async () => {
    const accountId = await createAccount(server);
    await appendMovements(server, { accountIds: [accountId], rows: 200_000, startId: 50_000_000 });
    await server.services.dataSource.query('ANALYZE TABLE account_movement');
    const after = await historyCursorAt(server, accountId, 100_000);
    const token = await server.userToken(accountId);
    const logger = server.services.dataSource.logger;
    const original = logger.logQuery.bind(logger);
    const sent: { query: string; parameters: unknown[] }[] = [];
    logger.logQuery = (query, parameters, queryRunner) => {
      sent.push({ query, parameters: Array.isArray(parameters) ? parameters : [] });
      return original(query, parameters, queryRunner);
    };
    try {
      const page = await server.ok(
        `query($id: ID!, $after: String) { creditHistory(accountId: $id, first: 20, after: $after) { edges { cursor } } }`,
        { id: accountId, after },
        token,
      );
      expect(page.creditHistory.edges).toHaveLength(20);
    } finally {
      logger.logQuery = original;
    }
    const pageStatements = sent.filter(({ query }) => /FROM `account_movement`/.test(query) && /ORDER BY|LIMIT/.test(query));
    expect(pageStatements.length).toBeGreaterThan(0);
    for (const { query, parameters } of pageStatements) {
      const [analysed] = await server.services.dataSource.query(`ANALYZE FORMAT=JSON ${query}`, parameters);
      const rowsRead = [...JSON.stringify(analysed).matchAll(/\\?"r_rows\\?":\s*([\d.]+)/g)].map((match) => Number(match[1]));
      expect(rowsRead.length).toBeGreaterThan(0);
      // A page of 20 (and one more, to know whether rows follow): not the 100,000 rows in front of it.
      expect(Math.max(...rowsRead)).toBeLessThanOrEqual(100);
    }
  });
});
