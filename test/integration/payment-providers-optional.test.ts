import { START_CARD_SETUP } from '../support/auto-recharge';
import { codes, startTestServer, TestServer } from '../support/harness';
import { countRows, CREATE_TOP_UP, createBuyer, RETURN_URL, topUpKey } from '../support/top-ups';

/** Each provider is enabled by its own settings; these servers name one or two, never the stand-ins. */
const STRIPE_ONLY = { STRIPE_SECRET_KEY: 'sk_test_stripe_only', STRIPE_WEBHOOK_SECRET: 'whsec_stripe_only' };
const PAYPAL_AND_VNPAY = {
  PAYPAL_CLIENT_ID: 'paypal-client',
  PAYPAL_CLIENT_SECRET: 'paypal-secret',
  PAYPAL_WEBHOOK_ID: 'WH-NOT-CALLED',
  PAYPAL_CERT_URL_ALLOW_LIST: 'https://api.paypal.example/certs/',
  PAYPAL_WEBHOOK_CERT_COMMON_NAME: 'messageverificationcerts.paypal.example',
  VNPAY_TMN_CODE: 'NOTCALLED',
  VNPAY_HASH_SECRET: 'vnpay-secret-not-called',
  VNPAY_PAYMENT_URL: 'https://vnpay.example/pay',
  VNPAY_API_URL: 'https://vnpay.example/api',
};

const OPTIONS = /* GraphQL */ `
  query Options($accountId: ID) {
    topUpOptions(accountId: $accountId) {
      methods {
        method
        currency
      }
    }
  }
`;

async function offeredMethods(server: TestServer, region: string): Promise<string[]> {
  const buyer = await createBuyer(server, { region });
  const { topUpOptions } = await server.ok(OPTIONS, { accountId: buyer.accountId }, buyer.token);
  return topUpOptions.methods.map((entry: { method: string }) => entry.method);
}

/** The status of a callback route: 404 when the route is not there. */
async function callbackStatus(server: TestServer, method: 'GET' | 'POST', path: string): Promise<number> {
  const response = await fetch(`${server.url}${path}`, { method, body: method === 'POST' ? '{}' : undefined });
  await response.arrayBuffer();
  return response.status;
}

describe('payment providers, each enabled by its own settings', () => {
  describe('a server with only Stripe configured', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ env: STRIPE_ONLY });
    });
    afterAll(async () => {
      await server.stop();
    });

    it('offers card payment only, in Vietnam as anywhere else', async () => {
      expect(await offeredMethods(server, 'VN')).toEqual(['STRIPE']);
      expect(await offeredMethods(server, 'US')).toEqual(['STRIPE']);
    });

    it.each(['PAYPAL', 'VNPAY'])('refuses a %s purchase with PAYMENT_METHOD_UNAVAILABLE and records no top-up', async (method) => {
      const buyer = await createBuyer(server, { region: 'VN' });
      const result = await server.call(CREATE_TOP_UP, { input: { amount: '25', method, idempotencyKey: topUpKey(), returnUrl: RETURN_URL } }, buyer.token);
      expect(codes(result)).toEqual(['PAYMENT_METHOD_UNAVAILABLE']);
      expect(result.errors[0].extensions).toMatchObject({ method });
      expect(result.errors[0].message).toContain('not configured');
      expect(await countRows(server, 'SELECT COUNT(*) AS count FROM top_up WHERE accountId = ?', [buyer.accountId])).toBe(0);
    });

    it("answers 404 on the other providers' callbacks, and checks Stripe's signature on its own", async () => {
      expect(await callbackStatus(server, 'POST', '/webhooks/paypal')).toBe(404);
      expect(await callbackStatus(server, 'GET', '/webhooks/vnpay/ipn?vnp_TxnRef=x')).toBe(404);
      expect(await callbackStatus(server, 'GET', '/payments/vnpay/return?vnp_TxnRef=x')).toBe(404);
      expect(await callbackStatus(server, 'POST', '/webhooks/stripe')).toBe(400);
    });
  });

  describe('a server with PayPal and VNPay but no Stripe', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ env: PAYPAL_AND_VNPAY });
    });
    afterAll(async () => {
      await server.stop();
    });

    it("offers them in Vietnam and nothing elsewhere (card payment is Stripe's)", async () => {
      expect(await offeredMethods(server, 'VN')).toEqual(['VNPAY', 'PAYPAL']);
      expect(await offeredMethods(server, 'US')).toEqual([]);
    });

    it('refuses a card purchase and saving a card for auto-recharge with PAYMENT_METHOD_UNAVAILABLE', async () => {
      const buyer = await createBuyer(server, { region: 'VN' });
      const purchase = await server.call(
        CREATE_TOP_UP,
        { input: { amount: '25', method: 'STRIPE', idempotencyKey: topUpKey(), returnUrl: RETURN_URL } },
        buyer.token,
      );
      expect(codes(purchase)).toEqual(['PAYMENT_METHOD_UNAVAILABLE']);
      expect(codes(await server.call(START_CARD_SETUP, { accountId: buyer.accountId }, buyer.token))).toEqual(['PAYMENT_METHOD_UNAVAILABLE']);
      expect(await callbackStatus(server, 'POST', '/webhooks/stripe')).toBe(404);
    });
  });
});
