import { Role } from '../../src/auth/principal';
import type { StripeStandIn } from '../../src/demo/stand-ins/stripe.stand-in';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletKind } from '../../src/ledger/ledger.enums';
import { createAccount, grant, newKey } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';
import { parseCsv } from '../support/ledger-activity';
import { backdateGrantExpiry, credits, fundTopUp, RECORD_USAGE, TRANSFER, usageEvent } from '../support/partners';
import { HISTORY_WITH_SOURCES } from '../support/history-sources';
import { createBuyer, createTopUp, waitForStatus } from '../support/top-ups';

const TOP_UP_REPORT = /* GraphQL */ `
  query TopUpReport($period: ReportPeriodInput!) {
    creditTopUpReport(period: $period) {
      rows {
        occurredAt
        kind
        accountId
        accountName
        amount
        reference
        actor
        actorRole
        actorName
      }
    }
  }
`;

const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600 * 1000).toISOString();

async function history(server: TestServer, accountId: string, token: string, first = 10) {
  const result = await server.ok(HISTORY_WITH_SOURCES, { accountId, first }, token);
  return result.creditHistory.edges.map((edge: any) => edge.node);
}

describe('credit history sources', () => {
  let server: TestServer;
  let stripe: StripeStandIn;
  beforeAll(async () => {
    server = await startTestServer({ env: { EXPIRY_JOB_INTERVAL_MS: '0', EXPIRY_CHECK_CACHE_MS: '0' } });
    stripe = server.standIns.stripe;
  });
  afterAll(async () => {
    await server.stop();
  });

  it('shows a Stripe top-up paid through the signed webhook, and its refund, with method, currency and charge', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '25.5' });
    expect((await stripe.succeed(topUp.providerReference)).delivery?.status).toBe(200);
    await waitForStatus(server, buyer, topUp.id, 'SUCCEEDED');

    const [bought] = await history(server, buyer.accountId, buyer.token);
    expect(bought).toEqual({
      type: 'TOP_UP',
      amount: '25.500000',
      source: {
        __typename: 'TopUpSource',
        topUpId: topUp.id,
        method: 'STRIPE',
        status: 'SUCCEEDED',
        amount: '25.500000',
        reversedAmount: '0.000000',
        charge: { currency: 'USD', amountMinor: '2550', amount: '25.50', creditPrice: '1.00' },
      },
    });

    expect((await stripe.refund(topUp.providerReference, { amountMinor: 550 })).delivery?.status).toBe(200);
    const [reversal, original] = await history(server, buyer.accountId, buyer.token);
    expect(reversal).toMatchObject({
      type: 'TOP_UP_REVERSAL',
      amount: '-5.500000',
      source: { __typename: 'TopUpSource', topUpId: topUp.id, reversedAmount: '5.500000' },
    });
    expect(original.source).toMatchObject({ topUpId: topUp.id, reversedAmount: '5.500000' });
    // A VIEWER reads the same typed rows: they reveal no payment secrets.
    const viewer = await server.userToken(buyer.accountId, Role.VIEWER);
    expect((await history(server, buyer.accountId, viewer))[1].source.charge.amountMinor).toBe('2550');
  });

  it('shows a transfer with its id, note, both sides, and the acting user on the partner row only', async () => {
    const partnerId = await createAccount(server, { kind: 'PARTNER', name: 'Actor Partner' });
    const customerId = await createAccount(server, { partnerId, name: 'Actor Customer' });
    await fundTopUp(server, partnerId, credits(100));
    const billingAdmin = await server.userToken(partnerId, Role.BILLING_ADMIN);
    const { sub } = JSON.parse(Buffer.from(billingAdmin.split('.')[1], 'base64url').toString());
    const { transferCredits } = await server.ok(
      TRANSFER,
      { input: { customerAccountId: customerId, amount: '12.5', idempotencyKey: newKey(), note: 'Invoice 42' } },
      billingAdmin,
    );

    const expected = {
      __typename: 'TransferSource',
      transferId: transferCredits.transfer.id,
      note: 'Invoice 42',
      amount: '12.500000',
      createdAt: transferCredits.transfer.createdAt,
      partner: { accountId: partnerId, name: 'Actor Partner' },
      customer: { accountId: customerId, name: 'Actor Customer' },
    };
    const [out] = await history(server, partnerId, billingAdmin);
    expect(out).toEqual({ type: 'TRANSFER_OUT', amount: '-12.500000', source: { ...expected, actor: { userId: sub, role: 'BILLING_ADMIN' } } });
    const [received] = await history(server, customerId, await server.userToken(customerId, Role.VIEWER));
    expect(received).toEqual({ type: 'TRANSFER_IN', amount: '12.500000', source: { ...expected, actor: null } });
  });

  it('shows a usage row with its service and event id, and the split between the balances', async () => {
    const accountId = await createAccount(server);
    await fundTopUp(server, accountId, credits(10));
    await grant(server, accountId, '1');
    const event = usageEvent(accountId, '3.25', { service: 'object-storage', occurredAt: '2026-01-02T03:04:05.000Z' });
    await server.ok(RECORD_USAGE, { events: [event] }, await server.meteringToken());
    const [usage] = await history(server, accountId, await server.userToken(accountId));
    expect(usage).toEqual({
      type: 'USAGE',
      amount: '-3.250000',
      source: {
        __typename: 'UsageSource',
        eventId: event.eventId,
        service: 'object-storage',
        occurredAt: '2026-01-02T03:04:05.000Z',
        amount: '3.250000',
        promotionalAmount: '1.000000',
        topUpAmount: '2.250000',
      },
    });
  });

  it('shows a grant with its id, reason and expiry, and the expiry row names the grant that expired', async () => {
    const accountId = await createAccount(server);
    const expiresAt = inDays(2);
    const granted = (await grant(server, accountId, '7', { expiresAt })).grantPromotionalCredits.grant;
    const token = await server.userToken(accountId);
    const [grantRow] = await history(server, accountId, token);
    const source = { __typename: 'PromotionalGrantSource', grantId: granted.id, reason: expect.any(String), amount: '7.000000', expiresAt };
    expect(grantRow).toEqual({ type: 'PROMOTIONAL_GRANT', amount: '7.000000', source });

    await backdateGrantExpiry(server, granted.id);
    const [expiry, sameGrant] = await history(server, accountId, token);
    expect(expiry).toEqual({ type: 'PROMOTIONAL_EXPIRY', amount: '-7.000000', source: { ...source, expiresAt: expect.any(String) } });
    expect(expiry.source.expiresAt).toBe(sameGrant.source.expiresAt);
    expect(new Date(expiry.source.expiresAt).getTime()).toBeLessThan(Date.now());
  });

  it('gives no source to movements recorded without a business row, and none from another account', async () => {
    const accountId = await createAccount(server);
    await fundTopUp(server, accountId, credits(3));
    const buyer = await createBuyer(server, { region: 'US' });
    const foreign = await createTopUp(server, buyer, { method: 'STRIPE', amount: '10' });
    // A reference naming someone else's top-up (as a hand-made posting could) links to nothing.
    const { runner, ledger } = server.services;
    await runner.transaction((manager) =>
      ledger.post(manager, {
        type: LedgerTransactionType.TOP_UP,
        idempotencyKey: `test:${newKey()}`,
        reference: `topup:${foreign.id}`,
        legs: [
          { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PAYMENT_CLEARING, amountMicros: -credits(1) },
          { accountId, walletKind: WalletKind.TOPUP, amountMicros: credits(1) },
        ],
      }),
    );
    const rows = await history(server, accountId, await server.userToken(accountId));
    expect(rows.map((row: any) => [row.type, row.source])).toEqual([
      ['TOP_UP', null],
      ['TOP_UP', null],
    ]);
  });

  it('shows who made each transfer in the top-up report, in GraphQL and in CSV', async () => {
    const partnerId = await createAccount(server, { kind: 'PARTNER' });
    const customerId = await createAccount(server, { partnerId });
    await fundTopUp(server, partnerId, credits(100));
    const owner = await server.userToken(partnerId, Role.OWNER);
    const billingAdmin = await server.userToken(partnerId, Role.BILLING_ADMIN);
    const subOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub;
    await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '1', idempotencyKey: newKey() } }, owner);
    await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '2', idempotencyKey: newKey() } }, billingAdmin);
    // Reports take whole hours: the hour before this one up to the end of the next one (a fresh partner has nothing else).
    const hour = 3600_000;
    const thisHour = Math.floor(Date.now() / hour) * hour;
    const period = { from: new Date(thisHour - hour).toISOString(), to: new Date(thisHour + 2 * hour).toISOString() };

    const { creditTopUpReport } = await server.ok(TOP_UP_REPORT, { period }, owner);
    const transfers = creditTopUpReport.rows.filter((row: any) => row.kind === 'TRANSFER');
    expect(transfers.map((row: any) => [row.amount, row.actor, row.actorRole])).toEqual([
      ['1.000000', subOf(owner), 'OWNER'],
      ['2.000000', subOf(billingAdmin), 'BILLING_ADMIN'],
    ]);
    // The funding is a top-up of the partner: it has no actor.
    expect(creditTopUpReport.rows.filter((row: any) => row.kind === 'TOP_UP').map((row: any) => [row.actor, row.actorRole])).toEqual([[null, null]]);

    const response = await fetch(`${server.url}/reports/top-ups.csv?${new URLSearchParams(period)}`, { headers: { authorization: `Bearer ${owner}` } });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body.split('\r\n')[0]).toBe('occurredAt,kind,accountId,accountName,amount,reference,actor,actorRole,actorName');
    expect(parseCsv(body)).toEqual(
      creditTopUpReport.rows.map((row: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value === null ? '' : String(value)])),
      ),
    );
  });
});
