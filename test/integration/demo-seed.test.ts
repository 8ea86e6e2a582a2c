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

const DOCUMENTS = /* GraphQL */ `
  query Documents($id: ID!) {
    receipts(accountId: $id, first: 10) {
      edges {
        node {
          number
          paidAt
          line {
            credits
          }
          creditNotes {
            id
            number
            reason
            credits
            issuedAt
            cancelledBy {
              id
            }
          }
          debitNotes {
            number
            reason
            credits
            issuedAt
            creditNoteId
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
    // The direct customer's purchase, then two it disputed at the provider (one dispute lost, its
    // purchase REFUNDED; one won, SUCCEEDED again); the partner's purchase.
    for (const [accountId, expected] of [
      [
        DEMO.directCustomer,
        [
          { amount: '30.000000', days: 23.5, status: 'SUCCEEDED' },
          { amount: '40.000000', days: 24.5, status: 'REFUNDED' },
          { amount: '220.000000', days: 28, status: 'SUCCEEDED' },
        ],
      ],
      [DEMO.partner, [{ amount: '5000.000000', days: 27, status: 'SUCCEEDED' }]],
    ] as const) {
      const token = await server.userToken(accountId, Role.OWNER);
      const purchases = (await server.ok(PURCHASES, { id: accountId }, token)).topUps.edges.map((edge: { node: any }) => edge.node);
      expect(purchases.map(({ amount, status }: { amount: string; status: string }) => ({ amount, status }))).toEqual(
        expected.map(({ amount, status }) => ({ amount, status })),
      );
      const topUpRows = (await history(accountId, token)).filter((row: { type: string }) => row.type === 'TOP_UP');
      expect(topUpRows).toHaveLength(expected.length);
      for (const [index, purchase] of purchases.entries()) {
        expect(purchase.origin).toBe('MANUAL');
        const ageDays = (Date.now() - Date.parse(purchase.createdAt)) / DAY_MS;
        expect(Math.round(ageDays * 2) / 2).toBe(expected[index].days);
        expect(purchase.completedAt).toBe(purchase.createdAt);
        expect(topUpRows.filter((row: { source: { topUpId: string } }) => row.source.topUpId === purchase.id)).toEqual([
          {
            type: 'TOP_UP',
            amount: purchase.amount,
            occurredAt: purchase.createdAt,
            source: { __typename: 'TopUpSource', topUpId: purchase.id, method: expect.any(String), status: purchase.status },
          },
        ]);
      }
    }
  });

  it("documents the seeded disputes: the lost one's credit note stands, the won one's is cancelled by a debit note, each dated with its dispute", async () => {
    const token = await server.userToken(DEMO.directCustomer, Role.OWNER);
    await server.settle();
    const receipts = (await server.ok(DOCUMENTS, { id: DEMO.directCustomer }, token)).receipts.edges.map((edge: { node: any }) => edge.node);
    const days = (instant: string) => Math.round(((Date.now() - Date.parse(instant)) / DAY_MS) * 2) / 2;
    const summary = receipts.map((receipt: any) => ({
      credits: receipt.line.credits,
      paidDaysAgo: days(receipt.paidAt),
      creditNotes: receipt.creditNotes.map((note: any) => ({
        reason: note.reason,
        credits: note.credits,
        daysAgo: days(note.issuedAt),
        cancelled: note.cancelledBy !== null,
      })),
      debitNotes: receipt.debitNotes.map((note: any) => ({
        reason: note.reason,
        credits: note.credits,
        daysAgo: days(note.issuedAt),
        cancels: note.creditNoteId,
      })),
    }));
    expect(summary).toEqual([
      {
        credits: '30.000000',
        paidDaysAgo: 23.5,
        creditNotes: [{ reason: 'DISPUTE', credits: '30.000000', daysAgo: 23, cancelled: true }],
        debitNotes: [{ reason: 'DISPUTE_WON', credits: '30.000000', daysAgo: 22.5, cancels: receipts[0].creditNotes[0].id }],
      },
      { credits: '40.000000', paidDaysAgo: 24.5, creditNotes: [{ reason: 'DISPUTE', credits: '40.000000', daysAgo: 24, cancelled: false }], debitNotes: [] },
      { credits: '220.000000', paidDaysAgo: 28, creditNotes: [], debitNotes: [] },
    ]);
    for (const receipt of receipts) {
      expect(receipt.number).toMatch(/^RC-\d{4}-\d{6}$/);
      for (const note of [...receipt.creditNotes, ...receipt.debitNotes]) expect(note.number).toMatch(/^(CN|DN)-\d{4}-\d{6}$/);
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
