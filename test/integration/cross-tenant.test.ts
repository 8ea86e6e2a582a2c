import { Role } from '../../src/auth/principal';
import { startTestServer, type TestServer } from '../support/harness';
import { parseCsv } from '../support/ledger-activity';
import { credits, partnerWithCustomer, RECLAIM, TRANSFER, TRANSFER_BATCH } from '../support/partners';

/** Every field a CreditMovement has, with every kind of typed source, as a customer's console reads them. */
const FULL_HISTORY = /* GraphQL */ `
  query FullHistory($accountId: ID!) {
    creditHistory(accountId: $accountId, first: 100) {
      edges {
        cursor
        node {
          id
          occurredAt
          type
          amount
          balanceAfter
          topUpBalanceAfter
          promotionalBalanceAfter
          counterparty {
            accountId
            name
          }
          reference
          description
          source {
            __typename
            ... on TransferSource {
              transferId
              note
              amount
              createdAt
              partner {
                accountId
                name
              }
              customer {
                accountId
                name
              }
              actor {
                userId
                role
              }
            }
            ... on ReclaimSource {
              reclaimId
              note
              amount
              createdAt
              partner {
                accountId
                name
              }
              customer {
                accountId
                name
              }
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

describe('nothing crosses tenants', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  async function csv(accountId: string, token: string): Promise<string> {
    const response = await fetch(`${server.url}/history.csv?${new URLSearchParams({ accountId })}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return response.text();
  }

  it("keeps the partner's idempotency keys of transfers, batches and reclaims out of everything the customer reads", async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(100));
    const marker = `XTENANT${process.pid}${Date.now().toString(36)}`;
    const keys = { transfer: `${marker}-transfer-key`, batch: `${marker}-batch-key`, reclaim: `${marker}-reclaim-key` };
    const note = `${marker} note to the customer`;

    await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '10', idempotencyKey: keys.transfer, note } }, ownerToken);
    const batch = await server.ok(
      TRANSFER_BATCH,
      { input: { idempotencyKey: keys.batch, mode: 'EACH_ON_ITS_OWN', rows: [{ customerAccountId: customerId, amount: '5', note }] } },
      ownerToken,
    );
    expect(batch.transferCreditsBatch.totals.okCount).toBe(1);
    await server.ok(RECLAIM, { input: { customerAccountId: customerId, amount: '2', idempotencyKey: keys.reclaim, note } }, ownerToken);

    // The customer's users, every role, through GraphQL (every field) and the CSV export.
    for (const role of [Role.OWNER, Role.BILLING_ADMIN, Role.VIEWER]) {
      const token = await server.userToken(customerId, role);
      const history = await server.ok(FULL_HISTORY, { accountId: customerId }, token);
      const rows = history.creditHistory.edges.map((edge: any) => edge.node);
      expect(rows.map((row: any) => row.type)).toEqual(['RECLAIM_OUT', 'TRANSFER_IN', 'TRANSFER_IN']);
      const graphql = JSON.stringify(history);
      const exported = await csv(customerId, token);
      expect(parseCsv(exported)).toHaveLength(3);
      for (const key of Object.values(keys)) {
        expect(graphql).not.toContain(key);
        expect(exported).not.toContain(key);
      }
      for (const row of rows) {
        expect(row.reference).toBeNull();
        // The partner's staff: the customer sees the partner, not who in it acted.
        expect(row.source.actor).toBeNull();
        // The note is written for the customer (docs/decisions: transfer notes are customer-facing).
        expect(row.source.note).toBe(note);
      }
    }

    // The partner, reading its customer's history and its own, and the platform admin still see the keys.
    const partnerReadsCustomer = JSON.stringify(await server.ok(FULL_HISTORY, { accountId: customerId }, ownerToken));
    const partnerOwn = JSON.stringify(await server.ok(FULL_HISTORY, { accountId: partnerId }, ownerToken));
    const adminReadsCustomer = JSON.stringify(await server.ok(FULL_HISTORY, { accountId: customerId }, await server.adminToken()));
    const partnerCsv = await csv(customerId, ownerToken);
    for (const key of [keys.transfer, keys.reclaim]) {
      expect(partnerReadsCustomer).toContain(key);
      expect(partnerOwn).toContain(key);
      expect(adminReadsCustomer).toContain(key);
      expect(partnerCsv).toContain(key);
    }
  });
});
