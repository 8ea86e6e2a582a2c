import type { PayPalStandIn, VnpayStandIn } from '../../src/demo/stand-ins';
import { startTestServer, TestServer } from '../support/harness';
import {
  balancesOf,
  CAPTURE_PAYPAL,
  RETURN_URL,
  createBuyer,
  createTopUp,
  ledgerTopUpCredits,
  postForm,
  readTopUp,
  subscribeToTopUp,
  waitForStatus,
} from '../support/top-ups';

describe('top-up with PayPal and VNPay, end to end against their stand-ins', () => {
  let server: TestServer;
  let paypal: PayPalStandIn;
  let vnpay: VnpayStandIn;
  beforeAll(async () => {
    server = await startTestServer();
    paypal = server.standIns.paypal;
    vnpay = server.standIns.vnpay;
  });
  afterAll(async () => {
    await server.stop();
  });

  describe('PayPal', () => {
    it('credits once when the buyer returns and the console captures, though the webhook also arrives', async () => {
      const buyer = await createBuyer(server);
      const topUp = await createTopUp(server, buyer, { method: 'PAYPAL', amount: '30' });
      expect(topUp).toMatchObject({ status: 'PENDING', charge: { currency: 'USD', amountMinor: '3000', amount: '30.00' } });
      expect(new URL(topUp.payment.approvalUrl).searchParams.get('token')).toBe(topUp.providerReference);
      const subscription = await subscribeToTopUp(server, buyer.token, topUp);

      // The buyer approves on PayPal's page (no webhook delivered here), comes back with ?token=<orderId>.
      await paypal.approve(topUp.providerReference, { deliver: false });
      const captured = await server.ok(CAPTURE_PAYPAL, { input: { orderId: topUp.providerReference } }, buyer.token);
      expect(captured.capturePayPalTopUp).toMatchObject({ id: topUp.id, status: 'SUCCEEDED' });
      // PayPal then sends PAYMENT.CAPTURE.COMPLETED on its own; it finds the top-up final.
      await paypal.settled();
      const completed = paypal.webhooks.filter((hook) => hook.event.event_type === 'PAYMENT.CAPTURE.COMPLETED');
      expect(completed.map((hook) => hook.delivery?.status)).toEqual([200]);
      // Capturing again (a double click) changes nothing.
      expect((await server.ok(CAPTURE_PAYPAL, { input: { topUpId: topUp.id } }, buyer.token)).capturePayPalTopUp.status).toBe('SUCCEEDED');

      const [succeeded] = (await subscription.waitFor(1)).map((event) => event.topUpStatusChanged);
      expect(succeeded).toMatchObject({ status: 'SUCCEEDED', topUpBalance: '30.000000', totalBalance: '30.000000' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(subscription.events).toHaveLength(1);
      await subscription.close();
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '30.000000' });
      expect(await ledgerTopUpCredits(server, topUp.id)).toBe(1);
      expect(await server.audit()).toEqual([]);
    });

    it('captures on the CHECKOUT.ORDER.APPROVED webhook when the buyer never comes back', async () => {
      const buyer = await createBuyer(server);
      const topUp = await createTopUp(server, buyer, { method: 'PAYPAL', amount: '15' });
      const approved = await paypal.approve(topUp.providerReference);
      expect(approved.delivery?.status).toBe(200);
      await paypal.settled();
      expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'SUCCEEDED' });
      expect(paypal.getOrder(topUp.providerReference)!.status).toBe('COMPLETED');
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '15.000000' });
      expect(await ledgerTopUpCredits(server, topUp.id)).toBe(1);
      expect(await server.audit()).toEqual([]);
    });

    it('fails the top-up when the capture is declined, and credits a pending capture only once it clears', async () => {
      const buyer = await createBuyer(server);
      const declined = await createTopUp(server, buyer, { method: 'PAYPAL' });
      paypal.setCaptureStatus('DECLINED', declined.providerReference);
      await paypal.approve(declined.providerReference, { deliver: false });
      expect((await server.ok(CAPTURE_PAYPAL, { input: { topUpId: declined.id } }, buyer.token)).capturePayPalTopUp.status).toBe('FAILED');

      const pending = await createTopUp(server, buyer, { method: 'PAYPAL', amount: '11' });
      paypal.setCaptureStatus('PENDING', pending.providerReference);
      await paypal.approve(pending.providerReference, { deliver: false });
      expect((await server.ok(CAPTURE_PAYPAL, { input: { topUpId: pending.id } }, buyer.token)).capturePayPalTopUp.status).toBe('PENDING');
      await paypal.settled();
      expect((await paypal.settlePendingCapture(pending.providerReference, 'COMPLETED')).delivery?.status).toBe(200);
      expect((await readTopUp(server, buyer, pending.id)).status).toBe('SUCCEEDED');
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '11.000000' });
      expect(await server.audit()).toEqual([]);
    });

    it('leaves an order the buyer has not approved open, and credits it once the buyer approves', async () => {
      const buyer = await createBuyer(server);
      const topUp = await createTopUp(server, buyer, { method: 'PAYPAL' });
      const result = await server.ok(CAPTURE_PAYPAL, { input: { topUpId: topUp.id } }, buyer.token);
      expect(result.capturePayPalTopUp.status).toBe('REQUIRES_ACTION');
      expect(await ledgerTopUpCredits(server, topUp.id)).toBe(0);
      // The buyer approves after all: the approval webhook captures and credits.
      await paypal.approve(topUp.providerReference);
      await paypal.settled();
      expect((await readTopUp(server, buyer, topUp.id)).status).toBe('SUCCEEDED');
      expect(await ledgerTopUpCredits(server, topUp.id)).toBe(1);
      expect(await server.audit()).toEqual([]);
    });
  });

  describe("PayPal's browser returns", () => {
    /** The buyer clicks a button on PayPal's page, and the browser follows PayPal's redirect to us: our answer. */
    async function buyerClicks(topUp: { providerReference: string; payment: { approvalUrl: string } }, button: 'approve' | 'cancel') {
      const atPayPal = await postForm(`${new URL(topUp.payment.approvalUrl).origin}/checkoutnow/${button}`, { token: topUp.providerReference });
      expect(atPayPal.status).toBe(303);
      const ours = new URL(atPayPal.headers.get('location')!);
      expect(`${ours.origin}${ours.pathname}`).toBe(`${server.url}/payments/paypal/${button === 'approve' ? 'return' : 'cancel'}`);
      return fetch(ours, { redirect: 'manual' });
    }

    it('"Cancel and return" cancels the top-up and lands on the console with its id and CANCELED', async () => {
      const buyer = await createBuyer(server);
      const topUp = await createTopUp(server, buyer, { method: 'PAYPAL', amount: '12' });
      const subscription = await subscribeToTopUp(server, buyer.token, topUp);
      const back = await buyerClicks(topUp, 'cancel');
      expect(back.status).toBe(303);
      expect(back.headers.get('location')).toBe(`${RETURN_URL}?topUpId=${topUp.id}&status=CANCELED`);
      expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'CANCELED', failureCode: 'BUYER_CANCELED' });
      const [canceled] = (await subscription.waitFor(1)).map((event) => event.topUpStatusChanged);
      expect(canceled).toMatchObject({ status: 'CANCELED', failureCode: 'BUYER_CANCELED' });
      await subscription.close();
      // Approving later on PayPal's page captures nothing: the top-up is final.
      await buyerClicks(topUp, 'approve');
      await paypal.settled();
      expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'CANCELED' });
      expect(paypal.getOrder(topUp.providerReference)!.status).not.toBe('COMPLETED');
      expect(await ledgerTopUpCredits(server, topUp.id)).toBe(0);
      expect(await server.audit()).toEqual([]);
    });

    it('the approve return captures, credits once (the approval webhook too) and lands on the console with SUCCEEDED', async () => {
      const buyer = await createBuyer(server);
      const topUp = await createTopUp(server, buyer, { method: 'PAYPAL', amount: '20' });
      const back = await buyerClicks(topUp, 'approve');
      expect(back.status).toBe(303);
      expect(back.headers.get('location')).toBe(`${RETURN_URL}?topUpId=${topUp.id}&status=SUCCEEDED`);
      await paypal.settled();
      // A second visit of the same return (reload, back button) captures nothing more.
      const again = await fetch(`${server.url}/payments/paypal/return?topUpId=${topUp.id}&token=${topUp.providerReference}`, { redirect: 'manual' });
      expect(again.headers.get('location')).toBe(`${RETURN_URL}?topUpId=${topUp.id}&status=SUCCEEDED`);
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '20.000000' });
      expect(await ledgerTopUpCredits(server, topUp.id)).toBe(1);
      expect(await server.audit()).toEqual([]);
    });

    it("refuses a return that does not name the top-up's PayPal order with a page, and changes nothing", async () => {
      const buyer = await createBuyer(server);
      const topUp = await createTopUp(server, buyer, { method: 'PAYPAL', amount: '10' });
      const other = await createTopUp(server, buyer, { method: 'PAYPAL', amount: '10' });
      const vnpayTopUp = await createTopUp(server, buyer, { method: 'VNPAY', amount: '10' });
      for (const query of [
        `topUpId=${topUp.id}&token=${other.providerReference}`,
        `topUpId=${topUp.id}`,
        `token=${topUp.providerReference}`,
        `topUpId=no-such-top-up&token=${topUp.providerReference}`,
        `topUpId=${vnpayTopUp.id}&token=${vnpayTopUp.providerReference}`,
      ]) {
        for (const path of ['return', 'cancel']) {
          const answer = await fetch(`${server.url}/payments/paypal/${path}?${query}`, { redirect: 'manual' });
          expect({ query, path, status: answer.status, type: answer.headers.get('content-type') }).toMatchObject({
            status: 400,
            type: expect.stringMatching(/^text\/html/),
          });
          expect(await answer.text()).toContain('could not be verified');
        }
      }
      for (const open of [topUp, other, vnpayTopUp]) expect((await readTopUp(server, buyer, open.id)).status).toBe('PENDING');
    });
  });

  describe('VNPay', () => {
    it('credits once on the IPN, sends the returning browser on to the console without crediting, and tells the subscriber', async () => {
      const buyer = await createBuyer(server);
      const topUp = await createTopUp(server, buyer, { method: 'VNPAY', amount: '20' });
      expect(topUp.charge).toMatchObject({ currency: 'VND', amountMinor: '520000', amount: '520000' });
      const request = vnpay.openPaymentUrl(topUp.payment.redirectUrl);
      expect(request).toMatchObject({ vnp_TxnRef: topUp.id, vnp_Amount: '52000000', vnp_CurrCode: 'VND' });
      expect(request.vnp_ReturnUrl).toBe(`${server.url}/payments/vnpay/return`);

      const subscription = await subscribeToTopUp(server, buyer.token, topUp);
      const result = vnpay.resultQuery(topUp.id, 'success');
      // The browser's return alone credits nothing.
      const back = await fetch(vnpay.returnUrl(result), { redirect: 'manual' });
      expect(back.status).toBe(303);
      expect(back.headers.get('location')).toBe(`${RETURN_URL}?topUpId=${topUp.id}&status=PENDING`);
      expect((await readTopUp(server, buyer, topUp.id)).status).toBe('PENDING');

      expect(await vnpay.callIpn(result)).toEqual({ status: 200, answer: { RspCode: '00', Message: 'Confirm Success' } });
      const [succeeded] = (await subscription.waitFor(1)).map((event) => event.topUpStatusChanged);
      expect(succeeded).toMatchObject({ status: 'SUCCEEDED', topUpBalance: '20.000000' });
      await subscription.close();
      expect(await vnpay.callIpn(result)).toEqual({ status: 200, answer: { RspCode: '02', Message: 'Order already confirmed' } });
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '20.000000' });
      expect(await ledgerTopUpCredits(server, topUp.id)).toBe(1);
      expect(await server.audit()).toEqual([]);
    });

    it('fails the top-up on a failed payment, and cancels it when the buyer canceled at VNPay (code 24)', async () => {
      const buyer = await createBuyer(server);
      for (const [outcome, status] of [
        ['failure', 'FAILED'],
        ['canceled', 'CANCELED'],
      ] as const) {
        const topUp = await createTopUp(server, buyer, { method: 'VNPAY' });
        vnpay.openPaymentUrl(topUp.payment.redirectUrl);
        expect((await vnpay.callIpn(vnpay.resultQuery(topUp.id, outcome))).answer).toEqual({ RspCode: '00', Message: 'Confirm Success' });
        await waitForStatus(server, buyer, topUp.id, status);
      }
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '0.000000' });
      expect(await server.audit()).toEqual([]);
    });
  });
});
