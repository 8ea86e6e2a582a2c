import { Role } from '../../src/auth/principal';
import { In } from 'typeorm';
import { TopUpEntity } from '../../src/payments/top-ups/entities/top-up.entity';
import { ConfigError, loadConfig } from '../../src/config';
import { codes, startTestServer, TestServer } from '../support/harness';
import { createAccount } from '../support/fixtures';
import {
  Buyer,
  CANCEL_TOP_UP,
  countRows,
  CREATE_TOP_UP,
  createBuyer,
  createTopUp,
  readTopUp,
  RETURN_URL,
  TOP_UP,
  topUpKey,
  waitForStatus,
} from '../support/top-ups';

const TOP_UP_OPTIONS = /* GraphQL */ `
  query Options($accountId: ID, $amount: Credits) {
    topUpOptions(accountId: $accountId, amount: $amount) {
      accountId
      minimumAmount
      suggestedAmounts
      quotedAmount
      methods {
        method
        currency
        creditPrice
        charge {
          currency
          amountMinor
          amount
          creditPrice
        }
        suggestedCharges {
          amount
          charge {
            amountMinor
          }
        }
      }
    }
  }
`;

describe('top-ups: options, refusals, idempotency, cancel and expiry', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const attempt = (buyer: Buyer, input: Record<string, unknown>, token = buyer.token) =>
    server.call(CREATE_TOP_UP, { input: { amount: '25', method: 'STRIPE', idempotencyKey: topUpKey(), returnUrl: RETURN_URL, ...input } }, token);
  const topUpCount = (accountId: string) => countRows(server, 'SELECT COUNT(*) AS count FROM top_up WHERE accountId = ?', [accountId]);

  describe('payment settings', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), DATABASE_URL: 'mariadb://root@127.0.0.1:3306/credits' };

    it('uses the stand-ins when no provider key is set outside production', () => {
      const { payments } = loadConfig({ NODE_ENV: 'development' });
      expect(payments).toMatchObject({ useStandIns: true, stripe: null, minimumMicros: 10_000_000n, creditPriceUsd: '1.00', creditPriceVnd: '26000' });
    });

    it('refuses production without provider keys, half a configuration, and inexact prices', () => {
      expect(() => loadConfig(production)).toThrow(/STRIPE_SECRET_KEY.*required in production/);
      expect(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_test_1' })).toThrow(
        /STRIPE_WEBHOOK_SECRET: required once STRIPE_SECRET_KEY is set \(Stripe is half-configured/,
      );
      expect(() => loadConfig({ CREDIT_PRICE_USD: '0.1e1' })).toThrow(ConfigError);
      expect(() => loadConfig({ TOPUP_MINIMUM_CREDITS: '20', TOPUP_SUGGESTED_CREDITS: '10,50' })).toThrow(/at least TOPUP_MINIMUM_CREDITS/);
      expect(() => loadConfig({ RETURN_URL_ALLOWED_ORIGINS: '*' })).toThrow(/name the console origins/);
    });
  });

  describe('topUpOptions', () => {
    it('opens VNPay, PayPal and Stripe in Vietnam, with the exact charge per method rounded up', async () => {
      const buyer = await createBuyer(server, { region: 'VN', role: Role.VIEWER });
      const { topUpOptions } = await server.ok(TOP_UP_OPTIONS, { accountId: buyer.accountId, amount: '12.345679' }, buyer.token);
      expect(topUpOptions).toMatchObject({
        minimumAmount: '10.000000',
        suggestedAmounts: ['10.000000', '50.000000', '100.000000', '500.000000'],
        quotedAmount: '12.345679',
      });
      expect(topUpOptions.methods.map((method: { method: string }) => method.method)).toEqual(['VNPAY', 'PAYPAL', 'STRIPE']);
      const [vnpay, paypal, stripe] = topUpOptions.methods;
      // 12.345679 × 26000 = 320987.654 VND → 320988; × 1.00 USD = 12.345679 → 12.35.
      expect(vnpay).toMatchObject({ currency: 'VND', creditPrice: '26000', charge: { currency: 'VND', amountMinor: '320988', amount: '320988' } });
      expect(paypal.charge).toEqual({ currency: 'USD', amountMinor: '1235', amount: '12.35', creditPrice: '1.00' });
      expect(stripe.charge).toEqual(paypal.charge);
      expect(stripe.suggestedCharges[1]).toEqual({ amount: '50.000000', charge: { amountMinor: '5000' } });
    });

    it('opens only Stripe outside Vietnam and quotes the minimum by default', async () => {
      const buyer = await createBuyer(server, { region: 'US' });
      const { topUpOptions } = await server.ok(TOP_UP_OPTIONS, {}, buyer.token);
      expect(topUpOptions.accountId).toBe(buyer.accountId);
      expect(topUpOptions.methods).toHaveLength(1);
      expect(topUpOptions.methods[0]).toMatchObject({ method: 'STRIPE', charge: { amountMinor: '1000', amount: '10.00' } });
    });

    it('refuses another account', async () => {
      const buyer = await createBuyer(server);
      const other = await createBuyer(server);
      expect(codes(await server.call(TOP_UP_OPTIONS, { accountId: other.accountId }, buyer.token))).toEqual(['FORBIDDEN']);
    });
  });

  describe('createTopUp refusals change nothing', () => {
    it('BILLING_INFO_REQUIRED without billing information', async () => {
      const buyer = await createBuyer(server, { billing: false });
      expect(codes(await attempt(buyer, {}))).toEqual(['BILLING_INFO_REQUIRED']);
      expect(await topUpCount(buyer.accountId)).toBe(0);
    });

    it('ACCOUNT_NOT_ACTIVE for a suspended or pending account', async () => {
      const suspended = await createBuyer(server);
      await server.ok(
        `mutation($id: ID!) { setAccountStatus(accountId: $id, status: SUSPENDED) { status } }`,
        { id: suspended.accountId },
        await server.adminToken(),
      );
      expect(codes(await attempt(suspended, {}))).toEqual(['ACCOUNT_NOT_ACTIVE']);
      const pending = await createBuyer(server, { status: 'PENDING' });
      expect(codes(await attempt(pending, {}))).toEqual(['ACCOUNT_NOT_ACTIVE']);
      expect(await topUpCount(suspended.accountId)).toBe(0);
    });

    it("PARTNER_MANAGED_ACCOUNT for a partner's customer", async () => {
      const partnerId = await createAccount(server, { kind: 'PARTNER' });
      const customer = await createBuyer(server, { partnerId });
      expect(codes(await attempt(customer, {}))).toEqual(['PARTNER_MANAGED_ACCOUNT']);
      expect(await topUpCount(customer.accountId)).toBe(0);
    });

    it('AMOUNT_BELOW_MINIMUM under the minimum', async () => {
      const buyer = await createBuyer(server);
      const result = await attempt(buyer, { amount: '9.999999' });
      expect(codes(result)).toEqual(['AMOUNT_BELOW_MINIMUM']);
      expect(result.errors[0].extensions?.minimumAmount).toBe('10.000000');
    });

    it('PAYMENT_METHOD_UNAVAILABLE for VNPay or PayPal outside Vietnam', async () => {
      const buyer = await createBuyer(server, { region: 'US' });
      expect(codes(await attempt(buyer, { method: 'VNPAY' }))).toEqual(['PAYMENT_METHOD_UNAVAILABLE']);
      expect(codes(await attempt(buyer, { method: 'PAYPAL' }))).toEqual(['PAYMENT_METHOD_UNAVAILABLE']);
      expect(await topUpCount(buyer.accountId)).toBe(0);
    });

    it('FORBIDDEN for a VIEWER, for another account, and for a partner buying for its customer', async () => {
      const viewer = await createBuyer(server, { role: Role.VIEWER });
      expect(codes(await attempt(viewer, {}))).toEqual(['FORBIDDEN']);
      const buyer = await createBuyer(server);
      const other = await createBuyer(server);
      expect(codes(await attempt(buyer, { accountId: other.accountId }))).toEqual(['FORBIDDEN']);
      const partnerId = await createAccount(server, { kind: 'PARTNER' });
      const customer = await createBuyer(server, { partnerId });
      expect(codes(await attempt(customer, { accountId: customer.accountId }, await server.userToken(partnerId)))).toEqual(['FORBIDDEN']);
      expect(codes(await attempt(buyer, {}, ''))).toEqual(['UNAUTHENTICATED']);
      expect(await topUpCount(other.accountId)).toBe(0);
    });

    it('BAD_USER_INPUT for bad amounts, keys and return URLs', async () => {
      const buyer = await createBuyer(server);
      for (const amount of ['0', '-10', '10.0000001', '1e3', '99999999999']) {
        expect(codes(await attempt(buyer, { amount }))).toEqual(['BAD_USER_INPUT']);
      }
      expect(codes(await attempt(buyer, { idempotencyKey: 'short' }))).toEqual(['BAD_USER_INPUT']);
      for (const returnUrl of [
        'not a url',
        'http://console.example.com/return',
        'https://evil.example.com/return',
        'javascript:alert(1)',
        'https://user:pw@localhost/x',
      ]) {
        const result = await attempt(buyer, { returnUrl });
        expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      }
      expect(await topUpCount(buyer.accountId)).toBe(0);
    });
  });

  describe('idempotency', () => {
    it('returns the same top-up and payment data for the same key, and refuses the key for other arguments', async () => {
      const buyer = await createBuyer(server);
      const idempotencyKey = topUpKey();
      const first = await createTopUp(server, buyer, { method: 'STRIPE', idempotencyKey });
      const again = await createTopUp(server, buyer, { method: 'STRIPE', idempotencyKey });
      expect(again).toEqual(first);
      expect(codes(await attempt(buyer, { idempotencyKey, amount: '26' }))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
      expect(codes(await attempt(buyer, { idempotencyKey, method: 'PAYPAL' }))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
      expect(await topUpCount(buyer.accountId)).toBe(1);
      // Keys are per account: another account may use the same one.
      const other = await createBuyer(server);
      const theirs = await createTopUp(server, other, { method: 'STRIPE', idempotencyKey });
      expect(theirs.id).not.toBe(first.id);
    });

    it('makes one top-up and one PaymentIntent from 20 concurrent calls with one key', async () => {
      const buyer = await createBuyer(server);
      const idempotencyKey = topUpKey();
      const results = await Promise.all(Array.from({ length: 20 }, () => attempt(buyer, { idempotencyKey, amount: '42' })));
      expect(results.flatMap((result) => codes(result))).toEqual([]);
      const ids = new Set(results.map((result) => result.data.createTopUp.id));
      const secrets = new Set(results.map((result) => result.data.createTopUp.payment.clientSecret));
      expect(ids.size).toBe(1);
      expect(secrets.size).toBe(1);
      expect(await topUpCount(buyer.accountId)).toBe(1);
      const [topUpId] = ids;
      expect(paymentIntentsFor(server, topUpId)).toBe(1);
    });

    it('keeps the top-up when the provider is down, and a retry with the same key starts the same payment', async () => {
      const buyer = await createBuyer(server, { region: 'US' });
      const stripe = server.standIns.stripe;
      const port = Number(new URL(stripe.url).port);
      const idempotencyKey = topUpKey();
      await stripe.stop();
      let failed;
      try {
        failed = await attempt(buyer, { idempotencyKey });
      } finally {
        await stripe.start(port);
      }
      expect(codes(failed)).toEqual(['PAYMENT_PROVIDER_ERROR']);
      expect(await topUpCount(buyer.accountId)).toBe(1);
      const retried = await createTopUp(server, buyer, { method: 'STRIPE', amount: '25', idempotencyKey });
      expect(retried).toMatchObject({ status: 'PENDING', payment: { clientSecret: expect.stringMatching(/^pi_/) } });
      expect(await topUpCount(buyer.accountId)).toBe(1);
      expect(paymentIntentsFor(server, retried.id)).toBe(1);
    });

    it('makes one order per top-up for PayPal and VNPay too', async () => {
      const buyer = await createBuyer(server);
      for (const method of ['PAYPAL', 'VNPAY'] as const) {
        const idempotencyKey = topUpKey();
        const results = await Promise.all(Array.from({ length: 5 }, () => createTopUp(server, buyer, { method, idempotencyKey })));
        expect(new Set(results.map((result) => JSON.stringify(result.payment))).size).toBe(1);
      }
      expect(await topUpCount(buyer.accountId)).toBe(2);
    });
  });

  describe('reading, canceling and expiring', () => {
    it('shows a top-up to its account only, and payment data only to those who may pay', async () => {
      const buyer = await createBuyer(server);
      const topUp = await createTopUp(server, buyer, { method: 'STRIPE' });
      const viewer = await server.userToken(buyer.accountId, Role.VIEWER);
      expect((await server.ok(TOP_UP, { id: topUp.id }, viewer)).topUp).toMatchObject({ id: topUp.id, payment: null });
      const stranger = await createBuyer(server);
      expect(codes(await server.call(TOP_UP, { id: topUp.id }, stranger.token))).toEqual(['FORBIDDEN']);
      // A missing top-up looks like another account's, so ids cannot be probed (top-ups-id-probing.test.ts).
      expect(codes(await server.call(TOP_UP, { id: 'no-such-top-up' }, buyer.token))).toEqual(['FORBIDDEN']);
      expect(codes(await server.call(CANCEL_TOP_UP, { id: topUp.id }, stranger.token))).toEqual(['FORBIDDEN']);
      expect(codes(await server.call(CANCEL_TOP_UP, { id: topUp.id }, viewer))).toEqual(['FORBIDDEN']);
    });

    it('cancels only an open top-up', async () => {
      const buyer = await createBuyer(server);
      const topUp = await createTopUp(server, buyer, { method: 'VNPAY' });
      expect((await server.ok(CANCEL_TOP_UP, { id: topUp.id }, buyer.token)).cancelTopUp.status).toBe('CANCELED');
      // Canceling again is a harmless replay; a succeeded top-up cannot be canceled.
      expect((await server.ok(CANCEL_TOP_UP, { id: topUp.id }, buyer.token)).cancelTopUp.status).toBe('CANCELED');
      const paid = await createTopUp(server, buyer, { method: 'STRIPE' });
      await server.standIns.stripe.succeed(paid.providerReference);
      await waitForStatus(server, buyer, paid.id, 'SUCCEEDED');
      expect(codes(await server.call(CANCEL_TOP_UP, { id: paid.id }, buyer.token))).toEqual(['BAD_USER_INPUT']);
      expect((await readTopUp(server, buyer, paid.id)).status).toBe('SUCCEEDED');
      expect(await server.audit()).toEqual([]);
    });

    it('asks VNPay before expiring: a payment whose IPN was lost is credited, an unpaid one expires', async () => {
      const buyer = await createBuyer(server);
      const vnpay = server.standIns.vnpay;
      const paid = await createTopUp(server, buyer, { method: 'VNPAY', amount: '10' });
      const unpaid = await createTopUp(server, buyer, { method: 'VNPAY', amount: '10' });
      for (const topUp of [paid, unpaid]) vnpay.openPaymentUrl(topUp.payment.redirectUrl);
      vnpay.resultQuery(paid.id, 'success'); // paid at VNPay; the IPN never reaches us
      await server.services.runner.transaction((manager) =>
        manager.update(TopUpEntity, { id: In([paid.id, unpaid.id]) }, { expiresAt: new Date(Date.now() - 60_000) }),
      );
      expect(await server.services.topUpExpiry.expireDue()).toBe(1);
      expect((await readTopUp(server, buyer, paid.id)).status).toBe('SUCCEEDED');
      expect((await readTopUp(server, buyer, unpaid.id)).status).toBe('EXPIRED');
      expect(await countRows(server, `SELECT COUNT(*) AS count FROM ledger_transaction WHERE idempotencyKey = ?`, [`topup:${paid.id}`])).toBe(1);
      expect(await server.audit()).toEqual([]);
    });

    it('expires stale open top-ups once, however many sweeps race, and cancels the payment at the provider', async () => {
      const buyer = await createBuyer(server);
      const stale = await createTopUp(server, buyer, { method: 'STRIPE' });
      const fresh = await createTopUp(server, buyer, { method: 'STRIPE' });
      await server.services.runner.transaction((manager) => manager.update(TopUpEntity, { id: stale.id }, { expiresAt: new Date(Date.now() - 60_000) }));
      const expired = await Promise.all([1, 2, 3, 4].map(() => server.services.topUpExpiry.expireDue()));
      expect(expired.reduce((sum, count) => sum + count, 0)).toBe(1);
      expect(await readTopUp(server, buyer, stale.id)).toMatchObject({
        status: 'EXPIRED',
        failureCode: 'EXPIRED',
        failureReason: 'The payment was not completed in time.',
      });
      expect((await readTopUp(server, buyer, fresh.id)).status).toBe('PENDING');
      // The sweep also canceled the PaymentIntent, so the buyer can no longer pay it.
      expect(server.standIns.stripe.getIntent(stale.providerReference)!.status).toBe('canceled');
      expect(await countRows(server, `SELECT COUNT(*) AS count FROM ledger_transaction WHERE idempotencyKey = ?`, [`topup:${stale.id}`])).toBe(0);
      expect(await server.audit()).toEqual([]);
    });
  });
});

/** How many PaymentIntents the Stripe stand-in holds for a top-up (it keeps them in a private map). */
function paymentIntentsFor(server: TestServer, topUpId: string): number {
  const stripe = server.standIns.stripe as unknown as { intents: Map<string, { metadata: Record<string, string> }> };
  return [...stripe.intents.values()].filter((intent) => intent.metadata.topUpId === topUpId).length;
}
