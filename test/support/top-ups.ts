import { Role } from '../../src/auth/principal';
import type { TestServer } from './harness';
import { createAccount, UPDATE_BILLING, VALID_BILLING } from './fixtures';
import { collect, CollectedSubscription, connect } from './subscriptions';

export const RETURN_URL = 'http://localhost:5173/billing/top-up/return';

export const TOP_UP_FIELDS = /* GraphQL */ `
  id accountId status method amount reversedAmount refundedAmount providerReference failureReason failureCode expiresAt completedAt
  charge { currency amountMinor amount creditPrice }
  payment { method clientSecret approvalUrl redirectUrl nextAction { type url clientSecret } }
`;

export const CREATE_TOP_UP = /* GraphQL */ `
  mutation CreateTopUp($input: CreateTopUpInput!) { createTopUp(input: $input) { ${TOP_UP_FIELDS} } }
`;
export const TOP_UP = /* GraphQL */ `query TopUp($id: ID!) { topUp(id: $id) { ${TOP_UP_FIELDS} } }`;
export const CANCEL_TOP_UP = /* GraphQL */ `mutation Cancel($id: ID!) { cancelTopUp(id: $id) { ${TOP_UP_FIELDS} } }`;
export const CAPTURE_PAYPAL = /* GraphQL */ `
  mutation Capture($input: CapturePayPalTopUpInput!) { capturePayPalTopUp(input: $input) { ${TOP_UP_FIELDS} } }
`;
export const TOP_UP_STATUS_CHANGED = /* GraphQL */ `
  subscription TopUpStatus($id: ID!) {
    topUpStatusChanged(topUpId: $id) {
      eventId
      topUpId
      accountId
      status
      amount
      reversedAmount
      totalBalance
      topUpBalance
      promotionalBalance
      failureReason
      failureCode
      vi: failureMessage(locale: VI)
    }
  }
`;
export const BALANCES = /* GraphQL */ `
  query Balances($id: ID!) {
    balances(accountId: $id) {
      totalBalance
      topUpBalance
      promotionalBalance
    }
  }
`;

export interface Buyer {
  accountId: string;
  token: string;
}

/** An ACTIVE customer with billing information (unless told otherwise) and an OWNER token. */
export async function createBuyer(
  server: TestServer,
  options: { region?: string; billing?: boolean; status?: string; partnerId?: string; role?: Role } = {},
): Promise<Buyer> {
  const accountId = await createAccount(server, { region: options.region ?? 'VN', status: options.status ?? 'ACTIVE', partnerId: options.partnerId });
  const owner = await server.userToken(accountId, Role.OWNER);
  if (options.billing !== false) await server.ok(UPDATE_BILLING, { accountId, input: VALID_BILLING }, owner);
  return { accountId, token: options.role ? await server.userToken(accountId, options.role) : owner };
}

let keyCounter = 0;
export const topUpKey = () => `topup-key-${process.pid}-${Date.now()}-${++keyCounter}`;

export async function createTopUp(
  server: TestServer,
  buyer: Buyer,
  input: { amount?: string; method: 'STRIPE' | 'PAYPAL' | 'VNPAY'; idempotencyKey?: string; returnUrl?: string },
) {
  const result = await server.ok(
    CREATE_TOP_UP,
    {
      input: {
        amount: input.amount ?? '25',
        method: input.method,
        idempotencyKey: input.idempotencyKey ?? topUpKey(),
        returnUrl: input.returnUrl ?? RETURN_URL,
      },
    },
    buyer.token,
  );
  return result.createTopUp;
}

export async function readTopUp(server: TestServer, buyer: Buyer, id: string) {
  return (await server.ok(TOP_UP, { id }, buyer.token)).topUp;
}

export async function balancesOf(server: TestServer, buyer: Buyer) {
  return (await server.ok(BALANCES, { id: buyer.accountId }, buyer.token)).balances;
}

/** Polls until the top-up reaches `status` (webhooks answer after commit, but some paths are async). */
export async function waitForStatus(server: TestServer, buyer: Buyer, id: string, status: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const topUp = await readTopUp(server, buyer, id);
    if (topUp.status === status) return topUp;
    if (Date.now() > deadline) throw new Error(`top-up ${id} is ${topUp.status}, expected ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The id of the harmless probe event the authorisation matrix publishes to see whether a subscription is live. */
export const PROBE_EVENT_ID = '0';

/**
 * Subscribes to a top-up's status changes and returns once the subscription is live: its first
 * message, the top-up as it is now, is sent after the server listens on the bus. That message is
 * in `current`; `events` collects the changes after it.
 */
export async function subscribeToTopUp(server: TestServer, token: string, topUp: { id: string; accountId: string }): Promise<CollectedSubscription<any>> {
  const subscription = collect<any>(connect(server.websocketUrl, token), TOP_UP_STATUS_CHANGED, { id: topUp.id }, { currentStateFirst: true });
  await subscription.waitForCurrent().catch(() => undefined);
  return subscription;
}

export function probePayload(topUp: { id: string; accountId: string }) {
  return {
    eventId: Number(PROBE_EVENT_ID),
    topUpId: topUp.id,
    accountId: topUp.accountId,
    status: 'PENDING',
    amountMicros: '0',
    reversedMicros: '0',
    failureReason: null,
    topUpMicros: '0',
    promotionalMicros: '0',
    totalMicros: '0',
    occurredAt: new Date().toISOString(),
  };
}

/** Counts rows with plain SQL (both databases), for "exactly once" assertions. */
export async function countRows(server: TestServer, sql: string, parameters: unknown[] = []): Promise<number> {
  const rows = (await server.services.dataSource.query(sql, parameters)) as { count: number | string }[];
  return Number(rows[0].count);
}

export async function ledgerTopUpCredits(server: TestServer, topUpId: string): Promise<number> {
  return countRows(server, `SELECT COUNT(*) AS count FROM ledger_transaction WHERE idempotencyKey = ?`, [`topup:${topUpId}`]);
}

/** Plays a person in a browser submitting a stand-in page's form: a POST, its redirect not followed. */
export async function postForm(url: string, fields: Record<string, string>) {
  return fetch(url, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });
}
