import { Role } from '../../src/auth/principal';
import type { TestServer } from './harness';
import { createAccount, newKey, UPDATE_BILLING, VALID_BILLING } from './fixtures';
import { type Buyer, countRows } from './top-ups';

/** GraphQL documents and helpers for the refund tests (refundTopUp). */

export const REFUND_FIELDS = /* GraphQL */ `
  id topUpId accountId method status amount reason providerReference failureReason
  money { currency amountMinor amount }
  topUp { id status amount reversedAmount refundedAmount }
`;

export const REFUND_TOP_UP = /* GraphQL */ `
  mutation RefundTopUp($input: RefundTopUpInput!) { refundTopUp(input: $input) { ${REFUND_FIELDS} } }
`;

export const TOP_UP_REFUNDS = /* GraphQL */ `
  query TopUpRefunds($id: ID!) {
    topUp(id: $id) {
      status
      refundedAmount
      reversedAmount
      refunds {
        id
        status
        amount
        reason
        failureReason
        providerReference
      }
    }
  }
`;

/** Asks the admin API for a refund; never throws on GraphQL errors. */
export async function refundTopUp(server: TestServer, input: { topUpId: string; amount: string; reason?: string; idempotencyKey?: string }) {
  return server.call(REFUND_TOP_UP, { input: { reason: 'The customer asked for it', idempotencyKey: newKey(), ...input } }, await server.adminToken());
}

/** An ACTIVE partner (it buys credits and transfers them) with billing information, and its OWNER's token. */
export async function partnerBuyer(server: TestServer, region = 'US'): Promise<Buyer> {
  const accountId = await createAccount(server, { kind: 'PARTNER', region });
  const token = await server.userToken(accountId, Role.OWNER);
  await server.ok(UPDATE_BILLING, { accountId, input: VALID_BILLING }, token);
  return { accountId, token };
}

/** How many REFUND postings name the top-up (the credits leaving, and coming back after a refusal). */
export const refundPostings = (server: TestServer, topUpId: string) =>
  countRows(server, `SELECT COUNT(*) AS count FROM ledger_transaction WHERE type = 'REFUND' AND reference = ?`, [`topup:${topUpId}`]);

export const reversalPostings = (server: TestServer, topUpId: string) =>
  countRows(server, `SELECT COUNT(*) AS count FROM ledger_transaction WHERE type = 'TOP_UP_REVERSAL' AND reference = ?`, [`topup:${topUpId}`]);
