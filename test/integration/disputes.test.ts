import type { PayPalStandIn, StripeStandIn } from '../../src/demo/stand-ins';
import { startTestServer, TestServer } from '../support/harness';
import { RECORD_USAGE, usageEvent } from '../support/partners';
import { balancesOf, countRows, createBuyer, createTopUp, readTopUp, waitForStatus, type Buyer } from '../support/top-ups';

const HISTORY = /* GraphQL */ `
  query History($id: ID!) {
    creditHistory(accountId: $id, first: 10) {
      edges {
        node {
          type
          amount
          topUpBalanceAfter
          source {
            ... on TopUpSource {
              topUpId
            }
          }
        }
      }
    }
  }
`;
const FLAGS = /* GraphQL */ `
  query Flags($id: ID!) {
    account(id: $id) {
      depleted
      reversalHold
    }
  }
`;

describe('disputes: a withdrawal takes the credits once, a win gives them back once, a loss keeps them taken', () => {
  let server: TestServer;
  let stripe: StripeStandIn;
  let paypal: PayPalStandIn;
  let metering: string;
  beforeAll(async () => {
    server = await startTestServer();
    ({ stripe, paypal } = server.standIns);
    metering = await server.meteringToken();
  });
  afterAll(async () => {
    await server.stop();
  });

  const ledgerRows = (type: string, topUpId: string) =>
    countRows(server, 'SELECT COUNT(*) AS count FROM ledger_transaction WHERE type = ? AND reference = ?', [type, `topup:${topUpId}`]);
  const history = async (buyer: Buyer) =>
    (await server.ok(HISTORY, { id: buyer.accountId }, buyer.token)).creditHistory.edges.map((edge: { node: unknown }) => edge.node);
  const flags = async (buyer: Buyer) => (await server.ok(FLAGS, { id: buyer.accountId }, buyer.token)).account;

  /** A US customer who bought `amount` credits by card and spent `spent` of them. */
  async function paidAndSpent(amount: string, spent: string) {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount });
    expect((await stripe.succeed(topUp.providerReference)).delivery?.status).toBe(200);
    if (spent !== '0') expect((await server.ok(RECORD_USAGE, { events: [usageEvent(buyer.accountId, spent)] }, metering)).recordUsage.appliedCount).toBe(1);
    return { buyer, topUp };
  }

  describe('Stripe, its whole life cycle through the stand-in', () => {
    it('lost: created and funds_withdrawn take the credits once (below zero: the account is held), closed lost changes nothing more', async () => {
      const { buyer, topUp } = await paidAndSpent('50', '30');
      const created = await stripe.dispute(topUp.providerReference);
      expect(created.delivery?.status).toBe(200);
      const disputeId = (created.event.data.object as { id: string }).id;
      expect((await stripe.fundsWithdrawn(disputeId)).delivery?.status).toBe(200);
      expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'REFUNDED', reversedAmount: '50.000000' });
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '-30.000000' });
      expect(await flags(buyer)).toEqual({ depleted: true, reversalHold: true });

      const [closed] = await stripe.closeDispute(disputeId, 'lost');
      expect(closed.event.type).toBe('charge.dispute.closed');
      expect(closed.delivery?.status).toBe(200);
      expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'REFUNDED', reversedAmount: '50.000000' });
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '-30.000000' });
      expect(await ledgerRows('TOP_UP_REVERSAL', topUp.id)).toBe(1);
      expect(await ledgerRows('DISPUTE_WON', topUp.id)).toBe(0);
      expect(await server.audit()).toEqual([]);
    });

    it('won: closed won and funds_reinstated give back what the dispute took, once; the top-up is SUCCEEDED again and the hold released', async () => {
      const { buyer, topUp } = await paidAndSpent('50', '30');
      const created = await stripe.dispute(topUp.providerReference);
      const disputeId = (created.event.data.object as { id: string }).id;
      expect((await stripe.fundsWithdrawn(disputeId)).delivery?.status).toBe(200);
      expect(await flags(buyer)).toEqual({ depleted: true, reversalHold: true });

      const [closed, reinstated] = await stripe.closeDispute(disputeId, 'won');
      expect([closed.event.type, reinstated.event.type]).toEqual(['charge.dispute.closed', 'charge.dispute.funds_reinstated']);
      expect([closed.delivery?.status, reinstated.delivery?.status]).toEqual([200, 200]);
      expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'SUCCEEDED', reversedAmount: '0.000000' });
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '20.000000' });
      expect(await flags(buyer)).toEqual({ depleted: false, reversalHold: false });
      expect(await history(buyer)).toEqual([
        { type: 'DISPUTE_WON', amount: '50.000000', topUpBalanceAfter: '20.000000', source: { topUpId: topUp.id } },
        { type: 'TOP_UP_REVERSAL', amount: '-50.000000', topUpBalanceAfter: '-30.000000', source: { topUpId: topUp.id } },
        { type: 'USAGE', amount: '-30.000000', topUpBalanceAfter: '20.000000', source: expect.anything() },
        { type: 'TOP_UP', amount: '50.000000', topUpBalanceAfter: '50.000000', source: { topUpId: topUp.id } },
      ]);
      // Redelivered later, both change nothing.
      expect((await Promise.all([stripe.deliver(closed), stripe.deliver(reinstated)])).map((answer) => answer.status)).toEqual([200, 200]);
      expect(await ledgerRows('DISPUTE_WON', topUp.id)).toBe(1);
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '20.000000' });
      expect(await server.audit()).toEqual([]);
    });

    it('gives back once when 20 copies of the dispute-won webhook and the reinstatement arrive at once', async () => {
      const { buyer, topUp } = await paidAndSpent('40', '0');
      const created = await stripe.dispute(topUp.providerReference);
      const disputeId = (created.event.data.object as { id: string }).id;
      const [closed, reinstated] = await stripe.closeDispute(disputeId, 'won', { deliver: false });
      const answers = await Promise.all([...Array.from({ length: 20 }, () => stripe.deliver(closed)), stripe.deliver(reinstated)]);
      expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 21 }, () => 200));
      expect(await ledgerRows('DISPUTE_WON', topUp.id)).toBe(1);
      expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'SUCCEEDED', reversedAmount: '0.000000' });
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '40.000000' });
      expect(await server.audit()).toEqual([]);
    });

    it('asks for redelivery of a win that arrives before the withdrawal, then applies both in order', async () => {
      const { buyer, topUp } = await paidAndSpent('20', '0');
      const created = await stripe.dispute(topUp.providerReference, { deliver: false });
      const disputeId = (created.event.data.object as { id: string }).id;
      const [closed] = await stripe.closeDispute(disputeId, 'won', { deliver: false });
      expect((await stripe.deliver(closed)).status).toBe(503);
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '20.000000' });
      expect((await stripe.deliver(created)).status).toBe(200);
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '0.000000' });
      expect((await stripe.deliver(closed)).status).toBe(200);
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '20.000000' });
      expect(await server.audit()).toEqual([]);
    });

    it('gives back only what the dispute took when part of the payment was refunded before it', async () => {
      const { buyer, topUp } = await paidAndSpent('50', '0');
      expect((await stripe.refund(topUp.providerReference, { amountMinor: 2000 })).delivery?.status).toBe(200);
      const created = await stripe.dispute(topUp.providerReference);
      const disputeId = (created.event.data.object as { id: string }).id;
      expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'REFUNDED', reversedAmount: '50.000000' });
      await stripe.closeDispute(disputeId, 'won');
      // The refund stays refunded (the dispute had taken the other 30): the purchase is partly refunded.
      expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', reversedAmount: '20.000000' });
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '30.000000' });
      expect(await server.audit()).toEqual([]);
    });

    it('takes nothing for an inquiry (warning_needs_response) until its funds are withdrawn', async () => {
      const { buyer, topUp } = await paidAndSpent('10', '0');
      const created = await stripe.dispute(topUp.providerReference, { deliver: false });
      const inquiry = JSON.parse(created.payload);
      inquiry.id = `${inquiry.id}_inquiry`;
      inquiry.data.object.status = 'warning_needs_response';
      const payload = JSON.stringify(inquiry);
      expect((await stripe.deliver({ payload, signatureHeader: stripe.sign(payload) })).status).toBe(200);
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '10.000000' });
      expect((await stripe.fundsWithdrawn(inquiry.data.object.id)).delivery?.status).toBe(200);
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '0.000000' });
      expect(await server.audit()).toEqual([]);
    });
  });

  describe('PayPal, its whole life cycle through the stand-in', () => {
    /** A customer in Vietnam who paid `amount` credits with PayPal (approved, captured, credited) and spent `spent`. */
    async function paidWithPayPal(amount: string, spent: string) {
      const buyer = await createBuyer(server);
      const topUp = await createTopUp(server, buyer, { method: 'PAYPAL', amount });
      await paypal.approve(topUp.providerReference);
      await paypal.settled();
      await waitForStatus(server, buyer, topUp.id, 'SUCCEEDED');
      if (spent !== '0') expect((await server.ok(RECORD_USAGE, { events: [usageEvent(buyer.accountId, spent)] }, metering)).recordUsage.appliedCount).toBe(1);
      return { buyer, topUp };
    }

    it('lost: the dispute opens (nothing moves), the reversal takes the credits once, resolved for the buyer changes nothing more', async () => {
      const { buyer, topUp } = await paidWithPayPal('20', '5');
      const opened = await paypal.openDispute(topUp.providerReference);
      expect(opened.delivery?.status).toBe(200);
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '15.000000' });
      const reversed = await paypal.reverse(topUp.providerReference, { deliver: false });
      expect((await Promise.all([paypal.deliver(reversed), paypal.deliver(reversed)])).map((answer) => answer.status)).toEqual([200, 200]);
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '-5.000000' });
      expect(await flags(buyer)).toEqual({ depleted: true, reversalHold: true });
      const disputeId = (opened.event.resource as { dispute_id: string }).dispute_id;
      expect((await paypal.resolveDispute(disputeId, 'lost')).delivery?.status).toBe(200);
      expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'REFUNDED', reversedAmount: '20.000000' });
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '-5.000000' });
      expect(await ledgerRows('TOP_UP_REVERSAL', topUp.id)).toBe(1);
      expect(await ledgerRows('DISPUTE_WON', topUp.id)).toBe(0);
      expect(await server.audit()).toEqual([]);
    });

    it('won: resolved for the seller cancels the reversal and gives the credits back once, however often it is delivered', async () => {
      const { buyer, topUp } = await paidWithPayPal('20', '5');
      const opened = await paypal.openDispute(topUp.providerReference);
      expect((await paypal.reverse(topUp.providerReference)).delivery?.status).toBe(200);
      expect(await flags(buyer)).toEqual({ depleted: true, reversalHold: true });
      const disputeId = (opened.event.resource as { dispute_id: string }).dispute_id;
      const resolved = await paypal.resolveDispute(disputeId, 'won', { deliver: false });
      const answers = await Promise.all(Array.from({ length: 20 }, () => paypal.deliver(resolved)));
      expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 20 }, () => 200));
      expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'SUCCEEDED', reversedAmount: '0.000000' });
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '15.000000' });
      expect(await flags(buyer)).toEqual({ depleted: false, reversalHold: false });
      expect((await history(buyer)).map((row: { type: string; amount: string }) => [row.type, row.amount])).toEqual([
        ['DISPUTE_WON', '20.000000'],
        ['TOP_UP_REVERSAL', '-20.000000'],
        ['USAGE', '-5.000000'],
        ['TOP_UP', '20.000000'],
      ]);
      expect(await ledgerRows('DISPUTE_WON', topUp.id)).toBe(1);
      expect(await server.audit()).toEqual([]);
    });
  });
});
