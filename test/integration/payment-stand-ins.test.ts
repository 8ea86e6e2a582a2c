import Stripe from 'stripe';
import { createPaymentGateways } from '../../src/payments/providers/gateways';
import { startStandIns, StandIns } from '../../src/demo/stand-ins';
import { redirectUrlOf } from '../support/next-action';

describe('startStandIns with createPaymentGateways', () => {
  let standIns: StandIns;
  beforeAll(async () => {
    standIns = await startStandIns();
  });
  afterAll(() => standIns.stop());

  it('gives settings from which all three gateways start payments at their stand-ins', async () => {
    const gateways = createPaymentGateways(standIns.gatewaySettings);
    const common = {
      description: 'Credits',
      returnUrl: 'http://127.0.0.1:9/r',
      cancelUrl: 'http://127.0.0.1:9/c',
      clientIp: '127.0.0.1',
      expiresAt: new Date(Date.now() + 600_000),
    };
    const stripe = await gateways.stripe.startPayment({ ...common, topUpId: 'all-three-stripe', amountMinor: 500n, currency: 'USD' });
    const paypal = await gateways.paypal.startPayment({ ...common, topUpId: 'all-three-paypal', amountMinor: 500n, currency: 'USD' });
    const vnpay = await gateways.vnpay.startPayment({ ...common, topUpId: 'all-three-vnpay', amountMinor: 125_000n, currency: 'VND' });
    expect(standIns.stripe.getIntent(stripe.providerReference)).toBeDefined();
    expect(standIns.paypal.getOrder(paypal.providerReference)).toBeDefined();
    expect((await fetch(redirectUrlOf(vnpay))).status).toBe(200);
  });

  it('points every notification at the URLs it is given', () => {
    standIns.setWebhookUrls({ stripe: 'http://127.0.0.1:1/s', paypal: 'http://127.0.0.1:1/p', vnpayIpn: 'http://127.0.0.1:1/v' });
    expect([standIns.stripe.webhookUrl, standIns.paypal.webhookUrl, standIns.vnpay.ipnUrl]).toEqual([
      'http://127.0.0.1:1/s',
      'http://127.0.0.1:1/p',
      'http://127.0.0.1:1/v',
    ]);
  });

  describe('test controls over HTTP (for the demo and for non-Node clients)', () => {
    const common = {
      description: 'Credits',
      returnUrl: 'http://127.0.0.1:9/r',
      cancelUrl: 'http://127.0.0.1:9/c',
      clientIp: '127.0.0.1',
      expiresAt: new Date(Date.now() + 600_000),
    };
    const postJson = async (url: string, body: unknown = {}) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    it('Stripe: moves an intent and returns the signed event unsent', async () => {
      const gateways = createPaymentGateways(standIns.gatewaySettings);
      const { providerReference } = await gateways.stripe.startPayment({ ...common, topUpId: 'http-control-stripe', amountMinor: 700n, currency: 'USD' });
      const { status, body } = await postJson(`${standIns.stripe.url}/_stand-in/payment_intents/${providerReference}/succeed?deliver=false`);
      expect(status).toBe(200);
      expect(body.delivery).toBeUndefined();
      expect(gateways.stripe.parseWebhook(Buffer.from(body.payload as string), body.signatureHeader as string)).toMatchObject({
        outcome: 'SUCCEEDED',
        amountMinor: 700n,
      });
      const again = await postJson(`${standIns.stripe.url}/_stand-in/payment_intents/${providerReference}/succeed?deliver=false`);
      expect(again.status).toBe(400);
      expect(again.body).toMatchObject({ error: { code: 'payment_intent_unexpected_state' } });
    });

    it('Stripe: the SDK sees 404 resource_missing for an unknown intent and 400 once a paid intent is canceled', async () => {
      const sdk = new Stripe(standIns.gatewaySettings.stripe.secretKey, {
        host: '127.0.0.1',
        port: standIns.gatewaySettings.stripe.api!.port,
        protocol: 'http',
        maxNetworkRetries: 0,
      });
      await expect(sdk.paymentIntents.retrieve('pi_missing')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
      const intent = await sdk.paymentIntents.create({ amount: 900, currency: 'usd', metadata: { topUpId: 'sdk-direct' } });
      expect(await sdk.paymentIntents.retrieve(intent.id)).toMatchObject({
        id: intent.id,
        status: 'requires_payment_method',
        metadata: { topUpId: 'sdk-direct' },
      });
      await standIns.stripe.succeed(intent.id, { deliver: false });
      await expect(sdk.paymentIntents.cancel(intent.id)).rejects.toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
      const wrongKey = new Stripe('sk_test_wrong', {
        host: '127.0.0.1',
        port: standIns.gatewaySettings.stripe.api!.port,
        protocol: 'http',
        maxNetworkRetries: 0,
      });
      await expect(wrongKey.paymentIntents.retrieve(intent.id)).rejects.toMatchObject({ statusCode: 401 });
    });

    it('PayPal: approves, sets the capture outcome, and returns the signed webhook unsent', async () => {
      const gateways = createPaymentGateways(standIns.gatewaySettings);
      const { providerReference: orderId } = await gateways.paypal.startPayment({
        ...common,
        topUpId: 'http-control-paypal',
        amountMinor: 700n,
        currency: 'USD',
      });
      const approved = await postJson(`${standIns.paypal.url}/_stand-in/orders/${orderId}/approve`, { deliver: false });
      expect(approved.status).toBe(200);
      const webhook = approved.body as { rawBody: string; headers: Record<string, string> };
      expect(await gateways.paypal.verifyWebhook(Buffer.from(webhook.rawBody), webhook.headers)).toMatchObject({
        outcome: 'APPROVED',
        providerReference: orderId,
      });
      expect((await postJson(`${standIns.paypal.url}/_stand-in/orders/${orderId}/capture-status`, { status: 'PENDING' })).status).toBe(200);
      expect(await gateways.paypal.capture(orderId, 'http-control-paypal')).toMatchObject({ outcome: 'PROCESSING' });
      const settled = await postJson(`${standIns.paypal.url}/_stand-in/orders/${orderId}/settle`, { result: 'COMPLETED', deliver: false });
      const completed = settled.body as { rawBody: string; headers: Record<string, string> };
      expect(await gateways.paypal.verifyWebhook(Buffer.from(completed.rawBody), completed.headers)).toMatchObject({ outcome: 'SUCCEEDED', amountMinor: 700n });
      const refunded = await postJson(`${standIns.paypal.url}/_stand-in/orders/${orderId}/refund`, { amountMinor: '200', deliver: false });
      const refund = refunded.body as { rawBody: string; headers: Record<string, string> };
      expect(await gateways.paypal.verifyWebhook(Buffer.from(refund.rawBody), refund.headers)).toMatchObject({ outcome: 'REFUNDED', amountMinor: 200n });
      await standIns.settled();
    });

    it('VNPay: builds signed result parameters for an opened payment, without calling the IPN', async () => {
      const gateways = createPaymentGateways(standIns.gatewaySettings);
      await fetch(redirectUrlOf(await gateways.vnpay.startPayment({ ...common, topUpId: 'httpcontrolvnpay', amountMinor: 90_000n, currency: 'VND' })));
      const { status, body } = await postJson(`${standIns.vnpay.url}/_stand-in/payments/httpcontrolvnpay/result`, { result: 'failure', deliver: false });
      expect(status).toBe(200);
      expect(body.ipn).toBeUndefined();
      expect(gateways.vnpay.verifyCallback(body.query as Record<string, string>)).toMatchObject({ outcome: 'FAILED', amountMinor: 90_000n });
    });
  });
});
