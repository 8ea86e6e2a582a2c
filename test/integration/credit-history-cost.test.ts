import { Role } from '../../src/auth/principal';
import { createAccount, newKey } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';
import { fundTopUp, credits, TRANSFER } from '../support/partners';
import { observeStatements } from '../support/query-counter';

const HISTORY = /* GraphQL */ `
  query History($id: ID!, $first: Int) {
    creditHistory(accountId: $id, first: $first) {
      edges { node { id type amount balanceAfter counterparty { accountId name } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/** A history page's counterparties come through the per-request dataloader: one batch, not one query per row. */
describe('credit history cost', () => {
  let server: TestServer;
  // No background outbox polling during the count: only the request's own statements are seen.
  beforeAll(async () => { server = await startTestServer({ env: { OUTBOX_POLL_INTERVAL_MS: '600000', WEBHOOK_POLL_INTERVAL_MS: '600000' } }); });
  afterAll(async () => { await server.stop(); });

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
    await server.services.outbox.flush();
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
});
