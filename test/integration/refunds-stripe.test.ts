import { In } from 'typeorm';
import type { StripeStandIn } from '../../src/demo/stand-ins';
import { AccountMovementEntity } from '../../src/balances/history/entities/account-movement.entity';
import { CreditMovementType } from '../../src/ledger/ledger.enums';
import { newKey, createAccount } from '../support/fixtures';
import { codes, startTestServer, TestServer } from '../support/harness';
import { parseCsv } from '../support/ledger-activity';
import { receiptOf } from '../support/receipts';
import { RECORD_USAGE, TRANSFER, usageEvent } from '../support/partners';
import { partnerBuyer, refundPostings, refundTopUp, reversalPostings, TOP_UP_REFUNDS } from '../support/refunds';
import { balancesOf, Buyer, countRows, createBuyer, createTopUp, readTopUp } from '../support/top-ups';

const HISTORY_WITH_SOURCES = /* GraphQL */ `
  query History($id: ID!) {
    creditHistory(accountId: $id, first: 10) {
      edges {
        node {
          type
          amount
          topUpBalanceAfter
          description
          source {
            __typename
            ... on TopUpSource {
              topUpId
              status
              reversedAmount
              refundedAmount
            }
          }
        }
      }
    }
  }
`;

const SUMMARY = /* GraphQL */ `
  query Summary($period: ReportPeriodInput!) {
    creditSummaryReport(period: $period) {
      lines {
        accountId
        openingBalance
        topUps
        transfersOut
        usage
        refunds
        reversals
        creditsOut
        closingBalance
      }
    }
    creditTopUpReport(period: $period) {
      rows {
        kind
        accountId
        amount
        reference
      }
      partnerTopUps
    }
  }
`;

describe('refundTopUp through Stripe', () => {
  let server: TestServer;
  let stripe: StripeStandIn;
  beforeAll(async () => {
    server = await startTestServer();
    ({ stripe } = server.standIns);
  });
  afterAll(async () => {
    await server.stop();
  });
  afterEach(async () => {
    expect(await server.audit()).toEqual([]);
  });

  /** A top-up the buyer paid by card (the credits are on its top-up balance). */
  async function paidTopUp(buyer: Buyer, amount: string) {
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount });
    expect((await stripe.succeed(topUp.providerReference)).delivery?.status).toBe(200);
    return topUp;
  }

  const refundsAtStripe = (paymentIntentId: string) => stripe.refunds.refundsOf(paymentIntentId).filter((refund) => refund.metadata.refundId);

  it('takes the credits at once, leaves the charge.refunded it causes alone, and is confirmed by refund.updated', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await paidTopUp(buyer, '50');

    const first = await refundTopUp(server, { topUpId: topUp.id, amount: '20', reason: 'Bought twice by mistake' });
    expect(first.errors).toEqual([]);
    const refund = first.data.refundTopUp;
    expect(refund).toMatchObject({
      topUpId: topUp.id,
      accountId: buyer.accountId,
      method: 'STRIPE',
      status: 'PENDING',
      amount: '20.000000',
      reason: 'Bought twice by mistake',
      money: { currency: 'USD', amountMinor: '2000', amount: '20.00' },
      topUp: { status: 'PARTIALLY_REFUNDED', refundedAmount: '20.000000', reversedAmount: '0.000000' },
    });
    expect(refund.providerReference).toMatch(/^re_/);
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '30.000000' });
    // Stripe's charge.refunded (cumulative 20.00) reached the webhook and reversed nothing more.
    const chargeRefunded = stripe.events.filter((event) => event.event.type === 'charge.refunded').at(-1);
    expect(chargeRefunded?.delivery?.status).toBe(200);
    expect(await reversalPostings(server, topUp.id)).toBe(0);

    expect((await stripe.settleRefund(refund.providerReference, 'succeeded')).delivery?.status).toBe(200);
    const seenByBuyer = (await server.ok(TOP_UP_REFUNDS, { id: topUp.id }, buyer.token)).topUp;
    expect(seenByBuyer).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: '20.000000' });
    // The admin's reason is the platform's: the account's users do not see it.
    expect(seenByBuyer.refunds).toEqual([
      { id: refund.id, status: 'SUCCEEDED', amount: '20.000000', reason: null, failureReason: null, providerReference: refund.providerReference },
    ]);

    // The confirmed refund issued its credit note, naming the purchase's receipt, for the 20 credits.
    const receipt = await receiptOf(server, buyer, topUp.id);
    expect(receipt.creditNotes).toEqual([
      expect.objectContaining({ receiptId: receipt.id, topUpId: topUp.id, reason: 'REFUND', credits: '20.000000', total: '20.00' }),
    ]);

    const rest = await refundTopUp(server, { topUpId: topUp.id, amount: '30' });
    expect(rest.data.refundTopUp).toMatchObject({ money: { amountMinor: '3000' }, topUp: { status: 'REFUNDED', refundedAmount: '50.000000' } });
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '0.000000' });
    expect(codes(await refundTopUp(server, { topUpId: topUp.id, amount: '0.01' }))).toEqual(['BAD_USER_INPUT']);

    // A dispute of the refunded charge takes nothing more: everything was refunded already.
    expect((await stripe.dispute(topUp.providerReference)).delivery?.status).toBe(200);
    expect(await reversalPostings(server, topUp.id)).toBe(0);
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '0.000000' });

    const history = (await server.ok(HISTORY_WITH_SOURCES, { id: buyer.accountId }, buyer.token)).creditHistory.edges.map((edge: any) => edge.node);
    expect(history.map((node: any) => [node.type, node.amount, node.description])).toEqual([
      ['REFUND', '-30.000000', 'Refund via STRIPE'],
      ['REFUND', '-20.000000', 'Refund via STRIPE'],
      ['TOP_UP', '50.000000', 'Top-up via STRIPE'],
    ]);
    expect(history[0].source).toEqual({
      __typename: 'TopUpSource',
      topUpId: topUp.id,
      status: 'REFUNDED',
      reversedAmount: '0.000000',
      refundedAmount: '50.000000',
    });
    expect(await countRows(server, `SELECT COUNT(*) AS count FROM audit_log WHERE action = 'PURCHASE_REFUNDED' AND accountId = ?`, [buyer.accountId])).toBe(2);
    // The second refund is not confirmed yet: still one credit note.
    expect((await receiptOf(server, buyer, topUp.id)).creditNotes).toHaveLength(1);
  });

  it('answers a replay with the first refund, refuses the key for another refund, and refunds once at Stripe', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await paidTopUp(buyer, '10');
    const idempotencyKey = newKey();
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => refundTopUp(server, { topUpId: topUp.id, amount: '4', idempotencyKey })));
    expect(answers.flatMap((answer) => answer.errors)).toEqual([]);
    expect(new Set(answers.map((answer) => answer.data.refundTopUp.id)).size).toBe(1);
    expect(await refundPostings(server, topUp.id)).toBe(1);
    expect(refundsAtStripe(topUp.providerReference)).toHaveLength(1);
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '6.000000' });

    expect(codes(await refundTopUp(server, { topUpId: topUp.id, amount: '5', idempotencyKey }))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '6.000000' });
  });

  it('gives the credits back exactly once when Stripe refuses the refund at once', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await paidTopUp(buyer, '12');
    // Someone refunded the whole charge in Stripe's dashboard; its webhook has not arrived yet.
    const dashboardRefund = await stripe.refund(topUp.providerReference, { deliver: false });

    const refused = await refundTopUp(server, { topUpId: topUp.id, amount: '5' });
    expect(refused.data.refundTopUp).toMatchObject({
      status: 'FAILED',
      failureReason: 'charge_already_refunded',
      providerReference: null,
      topUp: { status: 'SUCCEEDED', refundedAmount: '0.000000' },
    });
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '12.000000' });
    expect(await refundPostings(server, topUp.id)).toBe(2);

    // The dashboard refund's webhook then takes the credits back as a reversal, once.
    expect((await stripe.deliver(dashboardRefund)).status).toBe(200);
    expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'REFUNDED', reversedAmount: '12.000000', refundedAmount: '0.000000' });
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '0.000000' });
  });

  it('gives the credits back exactly once when the refund fails later, however often Stripe says so', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await paidTopUp(buyer, '30');
    const refund = (await refundTopUp(server, { topUpId: topUp.id, amount: '10' })).data.refundTopUp;
    expect((await stripe.settleRefund(refund.providerReference, 'succeeded')).delivery?.status).toBe(200);
    // The card was closed: the refund that had succeeded fails (Stripe sends refund.failed).
    const failed = await stripe.settleRefund(refund.providerReference, 'failed', { deliver: false, failureReason: 'expired_or_canceled_card' });
    const deliveries = await Promise.all([1, 2, 3].map(() => stripe.deliver(failed)));
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);

    const { topUp: after } = await server.ok(TOP_UP_REFUNDS, { id: topUp.id }, await server.adminToken());
    expect(after).toMatchObject({ status: 'SUCCEEDED', refundedAmount: '0.000000' });
    expect(after.refunds).toEqual([
      expect.objectContaining({ status: 'FAILED', failureReason: 'expired_or_canceled_card', reason: 'The customer asked for it' }),
    ]);
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '30.000000' });
    expect(await refundPostings(server, topUp.id)).toBe(2);

    // The failed refund no longer counts against the purchase: all 30 credits can be refunded again.
    const again = await refundTopUp(server, { topUpId: topUp.id, amount: '30' });
    expect(again.data.refundTopUp).toMatchObject({ status: 'PENDING', money: { amountMinor: '3000' }, topUp: { status: 'REFUNDED' } });
    expect(await reversalPostings(server, topUp.id)).toBe(0);
  });

  it('never refunds more than the purchase when refunds race', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await paidTopUp(buyer, '25');
    const answers = await Promise.all([1, 2, 3, 4, 5, 6].map(() => refundTopUp(server, { topUpId: topUp.id, amount: '10' })));
    const refunded = answers.filter((answer) => answer.errors.length === 0);
    expect(refunded).toHaveLength(2);
    expect(answers.filter((answer) => answer.errors.length > 0).flatMap(codes)).toEqual([
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
    ]);
    expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: '20.000000' });
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '5.000000' });
    expect(refundsAtStripe(topUp.providerReference).reduce((sum, refund) => sum + refund.amount, 0)).toBe(2000);
  });

  it('never takes more than the top-up balance holds, however usage and transfers race it, and the summary still reconciles', async () => {
    const partner = await partnerBuyer(server);
    const customerId = await createAccount(server, { partnerId: partner.accountId });
    const topUp = await paidTopUp(partner, '100');
    const metering = await server.meteringToken();
    const race = [
      ...[1, 2, 3, 4, 5, 6].map(() => refundTopUp(server, { topUpId: topUp.id, amount: '15' })),
      ...[1, 2, 3, 4, 5, 6].map(() =>
        server.call(TRANSFER, { input: { customerAccountId: customerId, amount: '10', idempotencyKey: newKey() } }, partner.token),
      ),
      ...[1, 2, 3].map(() => server.call(RECORD_USAGE, { events: [usageEvent(partner.accountId, '7')] }, metering)),
    ];
    const results = await Promise.all(race);
    const [refunds, transfers, usage] = [results.slice(0, 6), results.slice(6, 12), results.slice(12)];
    // 90 credits of refunds and 60 of transfers cannot all fit in 100: some are refused, and only for want of credits.
    const refusals = [...refunds, ...transfers].flatMap(codes);
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((code) => code === 'INSUFFICIENT_CREDITS')).toBe(true);
    expect(refunds.some((result) => result.errors.length === 0)).toBe(true);
    // Usage already happened: it is recorded even when it overdraws.
    expect(usage.flatMap(codes)).toEqual([]);

    // Every refund and transfer found the credits it took: its balance after is never below zero.
    const movements = await server.services.runner.read((manager) =>
      manager.find(AccountMovementEntity, {
        where: { accountId: partner.accountId, type: In([CreditMovementType.REFUND, CreditMovementType.TRANSFER_OUT]) },
        order: { id: 'ASC' },
      }),
    );
    expect(movements.every((movement) => movement.topUpBalanceAfterMicros >= 0n)).toBe(true);
    const refundedMicros = movements
      .filter((movement) => movement.type === CreditMovementType.REFUND)
      .reduce((sum, movement) => sum - movement.amountMicros, 0n);
    expect(refundedMicros).toBe(BigInt(refunds.filter((result) => result.errors.length === 0).length) * 15_000_000n);
    expect((await readTopUp(server, partner, topUp.id)).refundedAmount).toBe(`${refundedMicros / 1_000_000n}.000000`);

    // Reports take whole hours: the hour before this one to the hour after it.
    const hour = 3_600_000;
    const now = Math.floor(Date.now() / hour) * hour;
    const period = { from: new Date(now - hour).toISOString(), to: new Date(now + 2 * hour).toISOString() };
    const refunded = `${refundedMicros / 1_000_000n}.000000`;
    const { creditSummaryReport, creditTopUpReport } = await server.ok(SUMMARY, { period }, partner.token);
    const line = creditSummaryReport.lines.find((candidate: any) => candidate.accountId === partner.accountId);
    expect(line).toMatchObject({ openingBalance: '0.000000', topUps: '100.000000', refunds: refunded, reversals: '0.000000' });
    expect((await balancesOf(server, partner)).topUpBalance).toBe(line.closingBalance);
    // The top-up report lists the partner's purchase and each refund of it, and nets them.
    const ownRows = creditTopUpReport.rows.filter((row: any) => row.accountId === partner.accountId);
    const refundCount = movements.filter((movement) => movement.type === CreditMovementType.REFUND).length;
    expect(ownRows.filter((row: any) => row.kind === 'REFUND').map((row: any) => row.amount)).toEqual(Array(refundCount).fill('-15.000000'));
    expect(ownRows.filter((row: any) => row.kind === 'TOP_UP')).toEqual([expect.objectContaining({ amount: '100.000000', reference: `topup:${topUp.id}` })]);
    expect(creditTopUpReport.partnerTopUps).toBe(`${100n - refundedMicros / 1_000_000n}.000000`);
    // And so does the summary's CSV.
    const csv = await fetch(`${server.url}/reports/summary.csv?${new URLSearchParams(period)}`, { headers: { authorization: `Bearer ${partner.token}` } });
    expect(parseCsv(await csv.text()).find((row) => row.accountId === partner.accountId)).toMatchObject({ refunds: refunded, topUps: '100.000000' });
  });

  it('refuses an unpaid top-up, an unknown one, bad amounts and a blank reason, changing nothing', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const open = await createTopUp(server, buyer, { method: 'STRIPE', amount: '10' });
    expect(codes(await refundTopUp(server, { topUpId: open.id, amount: '1' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await refundTopUp(server, { topUpId: 'no-such-top-up', amount: '1' }))).toEqual(['NOT_FOUND']);
    const paid = await paidTopUp(buyer, '10');
    for (const amount of ['0', '-1', '10.0000001', '10.000001'])
      expect(codes(await refundTopUp(server, { topUpId: paid.id, amount }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await refundTopUp(server, { topUpId: paid.id, amount: '1', reason: '  ' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await refundTopUp(server, { topUpId: paid.id, amount: '1', idempotencyKey: 'short' }))).toEqual(['BAD_USER_INPUT']);
    expect(await refundPostings(server, paid.id)).toBe(0);
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '10.000000' });
  });
});
