import type { PayPalStandIn, StripeStandIn, VnpayStandIn } from '../../src/demo/stand-ins';
import { startTestServer, TestServer } from '../support/harness';
import { balancesOf, countRows, createBuyer, createTopUp, ledgerTopUpCredits, readTopUp, TOP_UP_STATUS_CHANGED, waitForStatus } from '../support/top-ups';
import { collect, connect } from '../support/subscriptions';

describe('webhooks and IPN: verified, applied exactly once, in any order', () => {
  let server: TestServer;
  let stripe: StripeStandIn;
  let paypal: PayPalStandIn;
  let vnpay: VnpayStandIn;
  beforeAll(async () => {
    server = await startTestServer();
    ({ stripe, paypal, vnpay } = server.standIns);
  });
  afterAll(async () => {
    await server.stop();
  });

  const reversals = (topUpId: string) =>
    countRows(server, `SELECT COUNT(*) AS count FROM ledger_transaction WHERE type = 'TOP_UP_REVERSAL' AND reference = ?`, [`topup:${topUpId}`]);
  const paymentEvents = (topUpId: string) => countRows(server, 'SELECT COUNT(*) AS count FROM payment_event WHERE topUpId = ?', [topUpId]);

  /** A correctly signed Stripe event derived from another one (another type, a new id). */
  function forgeStripeEvent(payload: string, changes: { type: string; status?: string }) {
    const event = JSON.parse(payload);
    event.id = `evt_forged_${Math.random().toString(36).slice(2)}`;
    event.type = changes.type;
    if (changes.status) event.data.object.status = changes.status;
    const text = JSON.stringify(event);
    return { payload: text, signatureHeader: stripe.sign(text) };
  }

  describe('Stripe', () => {
    it('credits once when payment_intent.succeeded arrives 3 times at once, and a later failure changes nothing', async () => {
      const buyer = await createBuyer(server, { region: 'US' });
      const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '40' });
      const succeeded = await stripe.succeed(topUp.providerReference, { deliver: false });
      const deliveries = await Promise.all([1, 2, 3].map(() => stripe.deliver(succeeded)));
      expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);
      const failed = forgeStripeEvent(succeeded.payload, { type: 'payment_intent.payment_failed', status: 'requires_payment_method' });
      expect((await Promise.all([stripe.deliver(failed), stripe.deliver(succeeded)])).map((delivery) => delivery.status)).toEqual([200, 200]);
      expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'SUCCEEDED', failureReason: null });
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '40.000000' });
      expect(await ledgerTopUpCredits(server, topUp.id)).toBe(1);
      expect(await server.audit()).toEqual([]);
    });

    it('refuses a bad signature, a changed body and an expired timestamp with 400, changing nothing', async () => {
      const buyer = await createBuyer(server, { region: 'US' });
      const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '10' });
      const genuine = await stripe.succeed(topUp.providerReference, { deliver: false });
      const wrongSecret = { payload: genuine.payload, signatureHeader: stripe.sign(genuine.payload, { secret: 'whsec_not_ours_000000000000000' }) };
      const changedBody = { payload: genuine.payload.replace('"amount": 1000', '"amount": 1'), signatureHeader: genuine.signatureHeader };
      expect(changedBody.payload).not.toBe(genuine.payload);
      const expired = { payload: genuine.payload, signatureHeader: stripe.sign(genuine.payload, { timestamp: Math.floor(Date.now() / 1000) - 3600 }) };
      const unsigned = { payload: genuine.payload, signatureHeader: '' };
      for (const attempt of [wrongSecret, changedBody, expired, unsigned]) {
        expect((await stripe.deliver(attempt)).status).toBe(400);
      }
      expect((await readTopUp(server, buyer, topUp.id)).status).toBe('PENDING');
      expect(await paymentEvents(topUp.id)).toBe(0);
      expect((await stripe.deliver(genuine)).status).toBe(200);
      expect((await readTopUp(server, buyer, topUp.id)).status).toBe('SUCCEEDED');
    });

    it('takes credits back on refunds (cumulative amounts, any order, once each) and on a dispute', async () => {
      const buyer = await createBuyer(server, { region: 'US' });
      const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '50' });
      await stripe.succeed(topUp.providerReference);
      const firstRefund = await stripe.refund(topUp.providerReference, { amountMinor: 1000, deliver: false });
      const secondRefund = await stripe.refund(topUp.providerReference, { amountMinor: 1500, deliver: false });
      // The second (cumulative 25.00) arrives before the first (10.00), each twice.
      const answers = await Promise.all([secondRefund, secondRefund, firstRefund, firstRefund].map((event) => stripe.deliver(event)));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
      expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', reversedAmount: '25.000000' });
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '25.000000' });

      expect((await stripe.dispute(topUp.providerReference)).delivery?.status).toBe(200);
      expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'REFUNDED', reversedAmount: '50.000000' });
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '0.000000' });
      expect(await reversals(topUp.id)).toBe(2);
      expect(await server.audit()).toEqual([]);
    });

    it('reverses a full refund after credit and asks for redelivery of a refund that precedes the payment', async () => {
      const buyer = await createBuyer(server, { region: 'US' });
      const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '12' });
      const succeeded = await stripe.succeed(topUp.providerReference, { deliver: false });
      const refunded = await stripe.refund(topUp.providerReference, { deliver: false });
      expect((await stripe.deliver(refunded)).status).toBe(503);
      expect((await stripe.deliver(succeeded)).status).toBe(200);
      expect((await stripe.deliver(refunded)).status).toBe(200);
      expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'REFUNDED', reversedAmount: '12.000000' });
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '0.000000', totalBalance: '0.000000' });
      const history = await server.ok(
        `query($id: ID!) { creditHistory(accountId: $id, first: 10) { edges { node { type amount } } } }`,
        { id: buyer.accountId },
        buyer.token,
      );
      expect(history.creditHistory.edges.map((edge: any) => edge.node)).toEqual([
        { type: 'TOP_UP_REVERSAL', amount: '-12.000000' },
        { type: 'TOP_UP', amount: '12.000000' },
      ]);
      expect(await server.audit()).toEqual([]);
    });
  });

  describe('PayPal', () => {
    function captureCompleted(topUp: { id: string; providerReference: string }, status = 'COMPLETED', eventType = 'PAYMENT.CAPTURE.COMPLETED') {
      return paypal.signWebhook({
        id: `WH-TEST-${Math.random().toString(36).slice(2).toUpperCase()}`,
        event_type: eventType,
        resource: {
          id: 'CAPTESTONLY',
          status,
          amount: { currency_code: 'USD', value: '25.00' },
          custom_id: topUp.id,
          supplementary_data: { related_ids: { order_id: topUp.providerReference } },
        },
      });
    }

    it('credits once for a capture webhook delivered 3 times at once; a later denial changes nothing', async () => {
      const buyer = await createBuyer(server);
      const topUp = await createTopUp(server, buyer, { method: 'PAYPAL', amount: '25' });
      const completed = captureCompleted(topUp);
      const statuses = await Promise.all([1, 2, 3].map(() => paypal.deliver(completed)));
      expect(statuses.map((delivery) => delivery.status)).toEqual([200, 200, 200]);
      expect((await paypal.deliver(captureCompleted(topUp, 'DECLINED', 'PAYMENT.CAPTURE.DENIED'))).status).toBe(200);
      expect((await readTopUp(server, buyer, topUp.id)).status).toBe('SUCCEEDED');
      expect(await ledgerTopUpCredits(server, topUp.id)).toBe(1);
      expect(await server.audit()).toEqual([]);
    });

    it('refuses a rogue certificate, a certificate URL off the allow list and a changed body with 400', async () => {
      const buyer = await createBuyer(server);
      const topUp = await createTopUp(server, buyer, { method: 'PAYPAL', amount: '25' });
      const genuine = captureCompleted(topUp);
      const rogue = paypal.signWebhook(genuine.event, { rogueCertificate: true });
      const offList = paypal.signWebhook(genuine.event, { certUrl: 'https://certs.attacker.invalid/CERT-1' });
      const changed = { rawBody: genuine.rawBody.replace('25.00', '2500.00'), headers: genuine.headers };
      for (const attempt of [rogue, offList, changed]) expect((await paypal.deliver(attempt)).status).toBe(400);
      expect((await readTopUp(server, buyer, topUp.id)).status).toBe('PENDING');
      expect(await paymentEvents(topUp.id)).toBe(0);
    });

    it('takes back a partial refund and then a reversal, once each', async () => {
      const buyer = await createBuyer(server);
      const topUp = await createTopUp(server, buyer, { method: 'PAYPAL', amount: '20' });
      await paypal.approve(topUp.providerReference);
      await paypal.settled();
      await waitForStatus(server, buyer, topUp.id, 'SUCCEEDED');
      const refund = await paypal.refund(topUp.providerReference, { amountMinor: 500n, deliver: false });
      expect((await Promise.all([paypal.deliver(refund), paypal.deliver(refund)])).map((delivery) => delivery.status)).toEqual([200, 200]);
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '15.000000' });
      expect((await paypal.reverse(topUp.providerReference)).delivery?.status).toBe(200);
      expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'REFUNDED', reversedAmount: '20.000000' });
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '0.000000' });
      expect(await reversals(topUp.id)).toBe(2);
      expect(await server.audit()).toEqual([]);
    });
  });

  describe('VNPay IPN', () => {
    async function openVnpayTopUp(amount = '10') {
      const buyer = await createBuyer(server);
      const topUp = await createTopUp(server, buyer, { method: 'VNPAY', amount });
      vnpay.openPaymentUrl(topUp.payment.redirectUrl);
      return { buyer, topUp };
    }

    it('confirms once for the same IPN 3 times at once; a failure after success is "already confirmed"', async () => {
      const { buyer, topUp } = await openVnpayTopUp();
      const success = vnpay.resultQuery(topUp.id, 'success');
      const calls = await Promise.all([1, 2, 3].map(() => vnpay.callIpn(success)));
      expect(calls.map((call) => call.status)).toEqual([200, 200, 200]);
      expect(calls.map((call) => (call.answer as { RspCode: string }).RspCode).sort()).toEqual(['00', '02', '02']);
      const failure = vnpay.sign({ ...success, vnp_ResponseCode: '51', vnp_TransactionStatus: '02' });
      expect((await vnpay.callIpn(failure)).answer).toEqual({ RspCode: '02', Message: 'Order already confirmed' });
      expect((await readTopUp(server, buyer, topUp.id)).status).toBe('SUCCEEDED');
      expect(await ledgerTopUpCredits(server, topUp.id)).toBe(1);
      expect(await server.audit()).toEqual([]);
    });

    it("answers 97, 01 and 04 in VNPay's order and changes nothing", async () => {
      const { buyer, topUp } = await openVnpayTopUp();
      const success = vnpay.resultQuery(topUp.id, 'success');
      const badHash = { ...success, vnp_SecureHash: '0'.repeat(128) };
      expect((await vnpay.callIpn(badHash)).answer).toEqual({ RspCode: '97', Message: 'Invalid Checksum' });
      // A changed amount with the old hash is a bad checksum; re-signed (a bug at VNPay) it is 04.
      expect((await vnpay.callIpn({ ...success, vnp_Amount: '100' })).answer).toEqual({ RspCode: '97', Message: 'Invalid Checksum' });
      expect((await vnpay.callIpn(vnpay.sign({ ...success, vnp_Amount: '100' }))).answer).toEqual({ RspCode: '04', Message: 'Invalid amount' });
      expect((await vnpay.callIpn(vnpay.sign({ ...success, vnp_TxnRef: 'unknown-top-up' }))).answer).toEqual({ RspCode: '01', Message: 'Order not found' });
      // Unknown order is checked before the amount.
      expect((await vnpay.callIpn(vnpay.sign({ ...success, vnp_TxnRef: 'unknown-top-up', vnp_Amount: '100' }))).answer).toMatchObject({ RspCode: '01' });
      expect((await readTopUp(server, buyer, topUp.id)).status).toBe('PENDING');
      expect(await paymentEvents(topUp.id)).toBe(0);
      expect((await vnpay.callIpn(success)).answer).toMatchObject({ RspCode: '00' });
    });

    it('answers 02 for an IPN after the top-up expired or was canceled, crediting nothing', async () => {
      const { buyer, topUp } = await openVnpayTopUp();
      await server.ok(`mutation($id: ID!) { cancelTopUp(id: $id) { status } }`, { id: topUp.id }, buyer.token);
      expect((await vnpay.callIpn(vnpay.resultQuery(topUp.id, 'success'))).answer).toEqual({ RspCode: '02', Message: 'Order already confirmed' });
      expect(await ledgerTopUpCredits(server, topUp.id)).toBe(0);
      expect(await countRows(server, `SELECT COUNT(*) AS count FROM payment_event WHERE topUpId = ? AND result = 'LATE_SUCCESS'`, [topUp.id])).toBe(1);
    });

    it('refuses a forged return URL with a 400 page, not a redirect', async () => {
      const { topUp } = await openVnpayTopUp();
      const success = vnpay.resultQuery(topUp.id, 'success');
      const forged = new URL(vnpay.returnUrl({ ...success, vnp_Amount: '100' }));
      const page = await fetch(forged, { redirect: 'manual' });
      expect(page.status).toBe(400);
      expect(page.headers.get('location')).toBeNull();
      expect(await page.text()).toContain('could not be verified');
    });
  });

  describe('who hears about it', () => {
    it("refuses to subscribe to another account's top-up, and another account's balance subscriber hears nothing", async () => {
      const buyer = await createBuyer(server, { region: 'US' });
      const stranger = await createBuyer(server, { region: 'US' });
      const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '10' });
      const prying = collect(connect(server.websocketUrl, stranger.token), TOP_UP_STATUS_CHANGED, { id: topUp.id });
      await expect(prying.waitFor(1, 5000)).rejects.toThrow(/FORBIDDEN|not see/);
      await prying.close();

      const strangersBalance = collect(
        connect(server.websocketUrl, stranger.token),
        `subscription($id: ID!) { balanceChanged(accountId: $id) { accountId totalBalance } }`,
        { id: stranger.accountId },
        { currentStateFirst: true },
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      await stripe.succeed(topUp.providerReference);
      await server.services.outbox.drain();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(strangersBalance.events).toEqual([]);
      expect(strangersBalance.errors).toEqual([]);
      await strangersBalance.close();
      expect((await readTopUp(server, buyer, topUp.id)).status).toBe('SUCCEEDED');
    });
  });
});
