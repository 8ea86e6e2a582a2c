import { Role } from '../../src/auth/principal';
import { DEMO } from '../../src/demo/demo-accounts';
import { startTestServer, TestServer } from '../support/harness';

const DAY_MS = 24 * 3600 * 1000;

const PURCHASES = /* GraphQL */ `
  query Purchases($id: ID!) {
    topUps(accountId: $id, first: 20) {
      edges {
        node {
          id
          status
          origin
          amount
          charge {
            currency
            amount
          }
          createdAt
          completedAt
        }
      }
    }
  }
`;

const HISTORY_SOURCES = /* GraphQL */ `
  query Sources($id: ID!) {
    creditHistory(accountId: $id, first: 100) {
      edges {
        node {
          type
          amount
          occurredAt
          source {
            __typename
            ... on TopUpSource {
              topUpId
              method
              status
            }
            ... on TransferSource {
              transferId
              note
              actor {
                userId
                role
              }
            }
          }
        }
      }
    }
  }
`;

/**
 * The embedded demo is seeded through the paths a console's own actions take, so a fresh demo shows
 * what a used account would: purchases in the purchase list, a source on every history row, and the
 * partner user who made each transfer.
 */
describe('the demo seed', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ seedDemoData: true });
  });
  afterAll(async () => {
    await server.stop();
  });

  const history = async (accountId: string, token: string) =>
    (await server.ok(HISTORY_SOURCES, { id: accountId }, token)).creditHistory.edges.map((edge: { node: any }) => edge.node);

  it('lists its back-dated purchases in the purchase history, paid, with the credit history row pointing at each', async () => {
    for (const [accountId, amount, days] of [
      [DEMO.directCustomer, '250.000000', 28],
      [DEMO.partner, '5000.000000', 27],
    ] as const) {
      const token = await server.userToken(accountId, Role.OWNER);
      const purchases = (await server.ok(PURCHASES, { id: accountId }, token)).topUps.edges.map((edge: { node: any }) => edge.node);
      expect(purchases).toHaveLength(1);
      const [purchase] = purchases;
      expect(purchase).toMatchObject({ status: 'SUCCEEDED', origin: 'MANUAL', amount });
      const ageDays = (Date.now() - Date.parse(purchase.createdAt)) / DAY_MS;
      expect(Math.round(ageDays)).toBe(days);
      expect(purchase.completedAt).toBe(purchase.createdAt);
      const topUpRows = (await history(accountId, token)).filter((row: { type: string }) => row.type === 'TOP_UP');
      expect(topUpRows).toEqual([
        {
          type: 'TOP_UP',
          amount,
          occurredAt: purchase.createdAt,
          source: { __typename: 'TopUpSource', topUpId: purchase.id, method: expect.any(String), status: 'SUCCEEDED' },
        },
      ]);
    }
  });

  it('gives every seeded history row a source (the PENDING customer has none)', async () => {
    for (const accountId of [DEMO.directCustomer, DEMO.partner, ...DEMO.partnerCustomers.slice(0, 2)]) {
      const rows = await history(accountId, await server.adminToken());
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.filter((row: { source: unknown }) => row.source === null)).toEqual([]);
    }
  });

  it("records the partner's OWNER as the actor of the seeded transfers, shown on the partner's rows only", async () => {
    const partnerRows = (await history(DEMO.partner, await server.userToken(DEMO.partner, Role.OWNER))).filter(
      (row: { type: string }) => row.type === 'TRANSFER_OUT',
    );
    expect(partnerRows).toHaveLength(2);
    for (const row of partnerRows) {
      expect(row.source).toMatchObject({
        __typename: 'TransferSource',
        note: 'Welcome credits from your partner',
        actor: { userId: 'demo-partner-owner', role: 'OWNER' },
      });
    }
    const customerRows = (await history(DEMO.partnerCustomers[0], await server.userToken(DEMO.partnerCustomers[0], Role.OWNER))).filter(
      (row: { type: string }) => row.type === 'TRANSFER_IN',
    );
    expect(customerRows.map((row: { amount: string; source: { actor: unknown } }) => [row.amount, row.source.actor])).toEqual([['300.000000', null]]);
    expect(await server.audit()).toEqual([]);
  });
});
