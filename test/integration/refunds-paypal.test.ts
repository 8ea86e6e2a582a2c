import type { PayPalStandIn } from '../../src/demo/stand-ins';
import { newKey } from '../support/fixtures';
import { codes, startTestServer, TestServer } from '../support/harness';
import { refundPostings, refundTopUp, reversalPostings, TOP_UP_REFUNDS } from '../support/refunds';
import { balancesOf, Buyer, createBuyer, createTopUp, readTopUp, waitForStatus } from '../support/top-ups';

describe('refundTopUp through PayPal (capture refunds)', () => {
  let server: TestServer;
  let paypal: PayPalStandIn;
  beforeAll(async () => {
    server = await startTestServer();
    ({ paypal } = server.standIns);
  });
  afterAll(async () => {
    await server.stop();
  });
  afterEach(async () => {
    paypal.refundStatus = 'COMPLETED';
    await paypal.settled();
    expect(await server.audit()).toEqual([]);
  });

  /** A PayPal top-up the buyer approved and PayPal captured (the credits are on its top-up balance). */
  async function paidTopUp(buyer: Buyer, amount: string) {
    const topUp = await createTopUp(server, buyer, { method: 'PAYPAL', amount });
    await paypal.approve(topUp.providerReference);
    await paypal.settled();
    await waitForStatus(server, buyer, topUp.id, 'SUCCEEDED');
    return topUp;
  }

  /** The refunds PayPal holds for the order that carry our invoice id. */
  const refundsAtPayPal = (orderId: string) => (paypal.getOrder(orderId)?.purchase_units[0].payments?.refunds ?? []).filter((refund) => refund.invoice_id);

  it('refunds part of a capture, confirmed at once, and leaves the PAYMENT.CAPTURE.REFUNDED it causes alone', async () => {
    const buyer = await createBuyer(server);
    const topUp = await paidTopUp(buyer, '20');
    const answer = await refundTopUp(server, { topUpId: topUp.id, amount: '5' });
    expect(answer.errors).toEqual([]);
    const refund = answer.data.refundTopUp;
    expect(refund).toMatchObject({
      method: 'PAYPAL',
      status: 'SUCCEEDED',
      amount: '5.000000',
      money: { currency: 'USD', amountMinor: '500', amount: '5.00' },
      topUp: { status: 'PARTIALLY_REFUNDED', refundedAmount: '5.000000', reversedAmount: '0.000000' },
    });
    expect(refundsAtPayPal(topUp.providerReference)).toEqual([
      expect.objectContaining({ id: refund.providerReference, status: 'COMPLETED', invoice_id: `refund-${refund.id}`, custom_id: topUp.id }),
    ]);
    await paypal.settled();
    const confirmation = paypal.webhooks.filter((webhook) => webhook.event.event_type === 'PAYMENT.CAPTURE.REFUNDED').at(-1);
    expect(confirmation?.delivery?.status).toBe(200);
    expect(await reversalPostings(server, topUp.id)).toBe(0);
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '15.000000' });

    // A refund made in PayPal's dashboard afterwards is still taken back, once: only its own part.
    expect((await paypal.refund(topUp.providerReference, { amountMinor: 300n })).delivery?.status).toBe(200);
    expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', reversedAmount: '3.000000', refundedAmount: '5.000000' });
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '12.000000' });
  });

  it('waits for a PENDING refund until PayPal completes it, whatever the number of deliveries', async () => {
    const buyer = await createBuyer(server);
    const topUp = await paidTopUp(buyer, '10');
    paypal.refundStatus = 'PENDING';
    const refund = (await refundTopUp(server, { topUpId: topUp.id, amount: '10' })).data.refundTopUp;
    expect(refund).toMatchObject({ status: 'PENDING', topUp: { status: 'REFUNDED' } });
    const completed = await paypal.completeRefund(refund.providerReference, { deliver: false });
    expect((await Promise.all([1, 2, 3].map(() => paypal.deliver(completed)))).map((delivery) => delivery.status)).toEqual([200, 200, 200]);
    const { topUp: after } = await server.ok(TOP_UP_REFUNDS, { id: topUp.id }, await server.adminToken());
    expect(after).toMatchObject({ status: 'REFUNDED', refundedAmount: '10.000000', reversedAmount: '0.000000' });
    expect(after.refunds).toEqual([expect.objectContaining({ status: 'SUCCEEDED', amount: '10.000000' })]);
    expect(await refundPostings(server, topUp.id)).toBe(1);
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '0.000000' });
  });

  it('gives the credits back once when PayPal refuses (the capture was refunded in its dashboard)', async () => {
    const buyer = await createBuyer(server);
    const topUp = await paidTopUp(buyer, '18');
    const dashboardRefund = await paypal.refund(topUp.providerReference, { deliver: false });
    const refused = await refundTopUp(server, { topUpId: topUp.id, amount: '8' });
    expect(refused.data.refundTopUp).toMatchObject({
      status: 'FAILED',
      failureReason: 'CAPTURE_FULLY_REFUNDED',
      topUp: { status: 'SUCCEEDED', refundedAmount: '0.000000' },
    });
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '18.000000' });
    expect(await refundPostings(server, topUp.id)).toBe(2);
    expect((await paypal.deliver(dashboardRefund)).status).toBe(200);
    expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'REFUNDED', reversedAmount: '18.000000' });
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '0.000000' });
  });

  it('refunds once at PayPal for racing replays of one key, and refuses the key for another refund', async () => {
    const buyer = await createBuyer(server);
    const topUp = await paidTopUp(buyer, '12');
    const idempotencyKey = newKey();
    const answers = await Promise.all([1, 2, 3, 4].map(() => refundTopUp(server, { topUpId: topUp.id, amount: '2', idempotencyKey })));
    expect(answers.flatMap((answer) => answer.errors)).toEqual([]);
    expect(new Set(answers.map((answer) => answer.data.refundTopUp.id)).size).toBe(1);
    expect(refundsAtPayPal(topUp.providerReference)).toHaveLength(1);
    expect(codes(await refundTopUp(server, { topUpId: topUp.id, amount: '3', idempotencyKey }))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '10.000000' });
  });
});
