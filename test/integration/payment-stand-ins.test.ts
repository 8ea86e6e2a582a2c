import { createPaymentGateways } from '../../src/payment-providers/gateways';
import { startStandIns, StandIns } from '../../src/demo/stand-ins';

describe('startStandIns with createPaymentGateways', () => {
  let standIns: StandIns;
  beforeAll(async () => {
    standIns = await startStandIns();
  });
  afterAll(() => standIns.stop());

  it('gives settings from which all three gateways start payments at their stand-ins', async () => {
    const gateways = createPaymentGateways(standIns.gatewaySettings);
    const common = { description: 'Credits', returnUrl: 'http://127.0.0.1:9/r', cancelUrl: 'http://127.0.0.1:9/c', clientIp: '127.0.0.1', expiresAt: new Date(Date.now() + 600_000) };
    const stripe = await gateways.stripe.startPayment({ ...common, topUpId: 'all-three-stripe', amountMinor: 500n, currency: 'USD' });
    const paypal = await gateways.paypal.startPayment({ ...common, topUpId: 'all-three-paypal', amountMinor: 500n, currency: 'USD' });
    const vnpay = await gateways.vnpay.startPayment({ ...common, topUpId: 'all-three-vnpay', amountMinor: 125_000n, currency: 'VND' });
    expect(standIns.stripe.getIntent(stripe.providerReference)).toBeDefined();
    expect(standIns.paypal.getOrder(paypal.providerReference)).toBeDefined();
    expect((await fetch(vnpay.redirectUrl!)).status).toBe(200);
  });

  it('points every notification at the URLs it is given', () => {
    standIns.setWebhookUrls({ stripe: 'http://127.0.0.1:1/s', paypal: 'http://127.0.0.1:1/p', vnpayIpn: 'http://127.0.0.1:1/v' });
    expect([standIns.stripe.webhookUrl, standIns.paypal.webhookUrl, standIns.vnpay.ipnUrl]).toEqual(['http://127.0.0.1:1/s', 'http://127.0.0.1:1/p', 'http://127.0.0.1:1/v']);
  });
});
