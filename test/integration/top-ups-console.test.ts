import { Role } from '../../src/auth/principal';
import type { PayPalStandIn, StripeStandIn, VnpayStandIn } from '../../src/demo/stand-ins';
import type { PaymentFailureCode } from '../../src/payments/providers/failure-codes';
import { TopUpEntity } from '../../src/payments/top-ups/entities/top-up.entity';
import { FAILURE_MESSAGES } from '../../src/payments/top-ups/failure-reasons';
import { createAccount } from '../support/fixtures';
import { codes, startTestServer, TestServer } from '../support/harness';
import {
  balancesOf,
  Buyer,
  CANCEL_TOP_UP,
  CAPTURE_PAYPAL,
  countRows,
  CREATE_TOP_UP,
  createBuyer,
  createTopUp,
  readTopUp,
  RETURN_URL,
  subscribeToTopUp,
  topUpKey,
  waitForStatus,
} from '../support/top-ups';

const OPTIONS = /* GraphQL */ `
  query Options($accountId: ID) {
    topUpOptions(accountId: $accountId) {
      canTopUp
      blockers {
        code
        message
      }
      minimumAmount
      suggestedAmounts
      methods {
        method
        currency
        charge {
          amountMinor
        }
        suggestedCharges {
          amount
        }
      }
    }
  }
`;

const TOP_UPS = /* GraphQL */ `
  query TopUps($accountId: ID!, $filter: TopUpsFilterInput, $first: Int, $after: String) {
    topUps(accountId: $accountId, filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          method
          status
          amount
          createdAt
          completedAt
          failureCode
          failureReason
          vi: failureMessage(locale: VI)
          en: failureMessage
          charge {
            currency
            amount
            amountMinor
            creditPrice
          }
          payment {
            clientSecret
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const FAILURE = /* GraphQL */ `
  query Failure($id: ID!) {
    topUp(id: $id) {
      status
      failureCode
      failureReason
      en: failureMessage(locale: EN)
      vi: failureMessage(locale: VI)
    }
  }
`;

type Node = { id: string; method: string; status: string; createdAt: string; charge: { currency: string; amount: string; amountMinor: string } };

describe('top-ups for the console: eligibility, purchase history, VNPay return, readable failures', () => {
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

  const options = async (accountId: string, token: string) => (await server.ok(OPTIONS, { accountId }, token)).topUpOptions;
  const attempt = (accountId: string, token: string) =>
    server.call(CREATE_TOP_UP, { input: { accountId, amount: '10', method: 'STRIPE', idempotencyKey: topUpKey(), returnUrl: RETURN_URL } }, token);
  const topUpCount = (accountId: string) => countRows(server, 'SELECT COUNT(*) AS count FROM top_up WHERE accountId = ?', [accountId]);

  describe('topUpOptions says whether and why, exactly as createTopUp decides', () => {
    /** Asks topUpOptions, then createTopUp with the same token: they must agree (refused with the first blocker). */
    async function eligibility(accountId: string, token: string) {
      const answer = await options(accountId, token);
      const before = await topUpCount(accountId);
      const created = await attempt(accountId, token);
      if (answer.canTopUp) {
        expect(created.errors).toEqual([]);
      } else {
        expect(codes(created)).toEqual([answer.blockers[0].code]);
        expect(await topUpCount(accountId)).toBe(before);
      }
      for (const blocker of answer.blockers) expect(blocker.message.length).toBeGreaterThan(10);
      return {
        ...answer,
        codes: answer.blockers.map((blocker: { code: string }) => blocker.code),
        methods: answer.methods.map((method: { method: string }) => method.method),
      };
    }

    it('lets an OWNER and a BILLING_ADMIN buy, and tells a VIEWER it may not (FORBIDDEN) while still showing the prices', async () => {
      const account = await createBuyer(server);
      for (const role of [Role.OWNER, Role.BILLING_ADMIN]) {
        expect(await eligibility(account.accountId, await server.userToken(account.accountId, role))).toMatchObject({
          canTopUp: true,
          codes: [],
          methods: ['VNPAY', 'PAYPAL', 'STRIPE'],
        });
      }
      const viewer = await eligibility(account.accountId, await server.userToken(account.accountId, Role.VIEWER));
      expect(viewer).toMatchObject({ canTopUp: false, codes: ['FORBIDDEN'], methods: ['VNPAY', 'PAYPAL', 'STRIPE'] });
    });

    it('BILLING_INFO_REQUIRED for every role without billing information; a VIEWER learns that much and no billing detail', async () => {
      const account = await createBuyer(server, { billing: false });
      expect(await eligibility(account.accountId, await server.userToken(account.accountId, Role.OWNER))).toMatchObject({
        canTopUp: false,
        codes: ['BILLING_INFO_REQUIRED'],
      });
      expect(await eligibility(account.accountId, await server.userToken(account.accountId, Role.BILLING_ADMIN))).toMatchObject({
        codes: ['BILLING_INFO_REQUIRED'],
      });
      const viewerToken = await server.userToken(account.accountId, Role.VIEWER);
      expect(await eligibility(account.accountId, viewerToken)).toMatchObject({ codes: ['FORBIDDEN', 'BILLING_INFO_REQUIRED'] });
      // The VIEWER still may not read the billing information itself.
      expect(codes(await server.call(`query($id: ID!) { account(id: $id) { billingInfo { legalName } } }`, { id: account.accountId }, viewerToken))).toEqual([
        'FORBIDDEN',
      ]);
    });

    it('ACCOUNT_NOT_ACTIVE for a suspended or pending account, per role', async () => {
      const suspended = await createBuyer(server);
      await server.ok(
        `mutation($id: ID!) { setAccountStatus(accountId: $id, status: SUSPENDED) { status } }`,
        { id: suspended.accountId },
        await server.adminToken(),
      );
      expect(await eligibility(suspended.accountId, suspended.token)).toMatchObject({
        canTopUp: false,
        codes: ['ACCOUNT_NOT_ACTIVE'],
        methods: ['VNPAY', 'PAYPAL', 'STRIPE'],
      });
      const viewer = await server.userToken(suspended.accountId, Role.VIEWER);
      expect(await eligibility(suspended.accountId, viewer)).toMatchObject({ codes: ['FORBIDDEN', 'ACCOUNT_NOT_ACTIVE'] });
      const pending = await createBuyer(server, { status: 'PENDING', billing: false });
      expect(await eligibility(pending.accountId, pending.token)).toMatchObject({ codes: ['ACCOUNT_NOT_ACTIVE', 'BILLING_INFO_REQUIRED'] });
    });

    it("offers a partner's customer no method and no price, whoever asks, with PARTNER_MANAGED_ACCOUNT", async () => {
      const partnerId = await createAccount(server, { kind: 'PARTNER' });
      const customer = await createBuyer(server, { partnerId });
      for (const role of [Role.OWNER, Role.BILLING_ADMIN, Role.VIEWER]) {
        const answer = await eligibility(customer.accountId, await server.userToken(customer.accountId, role));
        expect(answer).toMatchObject({ canTopUp: false, methods: [] });
        expect(answer.codes).toEqual(role === Role.VIEWER ? ['FORBIDDEN', 'PARTNER_MANAGED_ACCOUNT'] : ['PARTNER_MANAGED_ACCOUNT']);
      }
      // The partner sees its customer's pop-up state too, and may not buy for it.
      const partner = await eligibility(customer.accountId, await server.userToken(partnerId, Role.OWNER));
      expect(partner).toMatchObject({ canTopUp: false, codes: ['FORBIDDEN', 'PARTNER_MANAGED_ACCOUNT'], methods: [] });
    });

    it('tells the admin it may not buy for an account, and refuses another account and the metering service outright', async () => {
      const account = await createBuyer(server);
      expect(await eligibility(account.accountId, await server.adminToken())).toMatchObject({ canTopUp: false, codes: ['FORBIDDEN'] });
      const other = await createBuyer(server);
      expect(codes(await server.call(OPTIONS, { accountId: account.accountId }, other.token))).toEqual(['FORBIDDEN']);
      expect(codes(await server.call(OPTIONS, { accountId: account.accountId }, await server.meteringToken()))).toEqual(['FORBIDDEN']);
      expect(codes(await server.call(OPTIONS, { accountId: account.accountId }, ''))).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('topUps: the purchase history', () => {
    let buyer: Buyer;
    const ids: Record<string, string> = {};
    const base = Date.UTC(2026, 0, 10, 3, 0, 0);
    beforeAll(async () => {
      buyer = await createBuyer(server);
      const plan = [
        ['stripePaid', 'STRIPE', 0],
        ['paypalDeclined', 'PAYPAL', 1],
        ['vnpayCanceled', 'VNPAY', 2],
        ['vnpayFailed', 'VNPAY', 3],
        ['stripeOpen', 'STRIPE', 3],
        ['paypalOpen', 'PAYPAL', 4],
      ] as const;
      for (const [name, method, hoursLater] of plan) {
        const topUp = await createTopUp(server, buyer, { method, amount: '10' });
        ids[name] = topUp.id;
        await server.services.runner.transaction((manager) =>
          manager.update(TopUpEntity, { id: topUp.id }, { createdAt: new Date(base + hoursLater * 3_600_000) }),
        );
        if (name === 'stripePaid') await stripe.succeed(topUp.providerReference);
        if (name === 'paypalDeclined') {
          paypal.setCaptureStatus('DECLINED', topUp.providerReference);
          await paypal.approve(topUp.providerReference, { deliver: false });
          await server.ok(CAPTURE_PAYPAL, { input: { topUpId: topUp.id } }, buyer.token);
        }
        if (name === 'vnpayCanceled' || name === 'vnpayFailed') {
          vnpay.openPaymentUrl(topUp.payment.redirectUrl);
          await vnpay.callIpn(vnpay.resultQuery(topUp.id, name === 'vnpayCanceled' ? 'canceled' : 'failure'));
        }
      }
      await waitForStatus(server, buyer, ids.stripePaid, 'SUCCEEDED');
    });
    afterAll(() => paypal.setCaptureStatus('COMPLETED'));

    async function allPages(variables: Record<string, unknown>, token = buyer.token): Promise<{ nodes: Node[]; pages: number }> {
      const nodes: Node[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const { topUps }: { topUps: any } = await server.ok(TOP_UPS, { accountId: buyer.accountId, ...variables, after }, token);
        pages++;
        nodes.push(...topUps.edges.map((edge: { node: Node }) => edge.node));
        if (!topUps.pageInfo.hasNextPage) return { nodes, pages };
        after = topUps.pageInfo.endCursor;
      }
    }

    it('pages newest first, ties broken by id, without repeating or skipping a row', async () => {
      const { nodes, pages } = await allPages({ first: 2 });
      expect(pages).toBe(3);
      expect(nodes).toHaveLength(6);
      const tied = [ids.vnpayFailed, ids.stripeOpen].sort().reverse();
      expect(nodes.map((node) => node.id)).toEqual([ids.paypalOpen, ...tied, ids.vnpayCanceled, ids.paypalDeclined, ids.stripePaid]);
      expect(new Set(nodes.map((node) => node.id)).size).toBe(6);
      const one = await allPages({ first: 100 });
      expect(one.pages).toBe(1);
      expect(one.nodes.map((node) => node.id)).toEqual(nodes.map((node) => node.id));
    });

    it("shows each method's currency and charge, status, failure reason and timestamps; never payment secrets", async () => {
      const { topUps } = await server.ok(TOP_UPS, { accountId: buyer.accountId, first: 10 }, buyer.token);
      const byId = new Map(topUps.edges.map((edge: { node: Node }) => [edge.node.id, edge.node]));
      expect(byId.get(ids.stripePaid)).toMatchObject({
        method: 'STRIPE',
        status: 'SUCCEEDED',
        amount: '10.000000',
        charge: { currency: 'USD', amount: '10.00', amountMinor: '1000', creditPrice: '1.00' },
        failureCode: null,
      });
      expect(byId.get(ids.paypalDeclined)).toMatchObject({
        method: 'PAYPAL',
        status: 'FAILED',
        charge: { currency: 'USD', amount: '10.00', amountMinor: '1000' },
        failureCode: 'PAYMENT_DECLINED',
      });
      expect(byId.get(ids.vnpayCanceled)).toMatchObject({
        method: 'VNPAY',
        status: 'CANCELED',
        charge: { currency: 'VND', amount: '260000', amountMinor: '260000', creditPrice: '26000' },
        failureCode: 'BUYER_CANCELED',
        en: 'You canceled the payment.',
        vi: 'Bạn đã hủy thanh toán.',
      });
      expect(byId.get(ids.vnpayFailed)).toMatchObject({
        status: 'FAILED',
        failureCode: 'INSUFFICIENT_FUNDS',
        vi: FAILURE_MESSAGES['INSUFFICIENT_FUNDS' as PaymentFailureCode].vi,
      });
      expect(byId.get(ids.stripeOpen)).toMatchObject({ status: 'PENDING', completedAt: null, failureCode: null, failureReason: null, vi: null });
      expect((byId.get(ids.stripePaid) as { completedAt: string }).completedAt).not.toBeNull();
      expect((byId.get(ids.stripePaid) as { createdAt: string }).createdAt).toBe(new Date(base).toISOString());
      for (const edge of topUps.edges) expect(edge.node.payment).toBeNull();
    });

    it('filters by statuses, methods and period, and pages within a filter', async () => {
      const failedOrCanceled = await allPages({ filter: { statuses: ['FAILED', 'CANCELED'] }, first: 1 });
      expect(failedOrCanceled.nodes.map((node) => node.id)).toEqual([ids.vnpayFailed, ids.vnpayCanceled, ids.paypalDeclined]);
      const vnpayOnly = await allPages({ filter: { methods: ['VNPAY'] }, first: 1 });
      expect(vnpayOnly.nodes.map((node) => node.id)).toEqual([ids.vnpayFailed, ids.vnpayCanceled]);
      const openStripe = await allPages({ filter: { statuses: ['PENDING'], methods: ['STRIPE'] } });
      expect(openStripe.nodes.map((node) => node.id)).toEqual([ids.stripeOpen]);
      const period = await allPages({ filter: { from: new Date(base + 3_600_000).toISOString(), to: new Date(base + 3 * 3_600_000).toISOString() } });
      expect(period.nodes.map((node) => node.id)).toEqual([ids.vnpayCanceled, ids.paypalDeclined]);
      expect((await allPages({ filter: { statuses: ['REFUNDED'] } })).nodes).toEqual([]);
    });

    it('refuses bad page sizes, cursors and periods with BAD_USER_INPUT', async () => {
      const call = (variables: Record<string, unknown>) => server.call(TOP_UPS, { accountId: buyer.accountId, ...variables }, buyer.token);
      expect(codes(await call({ first: 0 }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await call({ first: 101 }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await call({ after: 'not-a-cursor' }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await call({ filter: { from: new Date(base).toISOString(), to: new Date(base).toISOString() } }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await call({ filter: { statuses: ['LOST'] } }))).toEqual(['BAD_USER_INPUT']);
    });

    it("is visible to the account's users of any role, its partner and the admin; refused to others", async () => {
      const read = (accountId: string, token: string) => server.call(TOP_UPS, { accountId, first: 10 }, token);
      for (const role of [Role.OWNER, Role.BILLING_ADMIN, Role.VIEWER]) {
        const result = await read(buyer.accountId, await server.userToken(buyer.accountId, role));
        expect(result.errors).toEqual([]);
        expect(result.data.topUps.edges).toHaveLength(6);
      }
      expect((await read(buyer.accountId, await server.adminToken())).data.topUps.edges).toHaveLength(6);
      const other = await createBuyer(server);
      expect(codes(await read(buyer.accountId, other.token))).toEqual(['FORBIDDEN']);
      expect(codes(await read(buyer.accountId, await server.meteringToken()))).toEqual(['FORBIDDEN']);
      expect(codes(await read(buyer.accountId, ''))).toEqual(['UNAUTHENTICATED']);
      const partnerId = await createAccount(server, { kind: 'PARTNER' });
      const customerId = await createAccount(server, { partnerId });
      const partnerView = await read(customerId, await server.userToken(partnerId, Role.VIEWER));
      expect(partnerView.errors).toEqual([]);
      expect(partnerView.data.topUps.edges).toEqual([]);
      expect(codes(await read(buyer.accountId, await server.userToken(partnerId, Role.OWNER)))).toEqual(['FORBIDDEN']);
    });
  });

  describe('VNPay brings the buyer back to the console', () => {
    async function openVnpay() {
      const buyer = await createBuyer(server);
      const topUp = await createTopUp(server, buyer, { method: 'VNPAY', amount: '10', returnUrl: `${RETURN_URL}?tab=billing` });
      vnpay.openPaymentUrl(topUp.payment.redirectUrl);
      return { buyer, topUp };
    }
    const paymentEvents = (topUpId: string) => countRows(server, 'SELECT COUNT(*) AS count FROM payment_event WHERE topUpId = ?', [topUpId]);

    it("redirects to the returnUrl with the top-up id and its status, keeping the console's own parameters", async () => {
      const { buyer, topUp } = await openVnpay();
      const result = vnpay.resultQuery(topUp.id, 'success');
      expect((await vnpay.callIpn(result)).answer).toMatchObject({ RspCode: '00' });
      const back = await fetch(vnpay.returnUrl(result), { redirect: 'manual' });
      expect(back.status).toBe(303);
      expect(back.headers.get('cache-control')).toBe('no-store');
      const location = new URL(back.headers.get('location')!);
      expect(location.origin + location.pathname).toBe(RETURN_URL);
      expect(Object.fromEntries(location.searchParams)).toEqual({ tab: 'billing', topUpId: topUp.id, status: 'SUCCEEDED' });
      expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '10.000000' });
    });

    it('refuses a forged, tampered or unsigned return with a 400 page, and changes nothing', async () => {
      const { buyer, topUp } = await openVnpay();
      const genuine = vnpay.resultQuery(topUp.id, 'success');
      const forgeries = [
        vnpay.sign({ ...genuine }, 'not-the-merchant-secret-not-the-merchant'),
        { ...genuine, vnp_Amount: '100' },
        Object.fromEntries(Object.entries(genuine).filter(([key]) => key !== 'vnp_SecureHash')),
        vnpay.sign({ ...genuine, vnp_TmnCode: 'OTHERTMN' }),
      ];
      for (const forged of forgeries) {
        const url = new URL(`${server.url}/payments/vnpay/return`);
        for (const [key, value] of Object.entries(forged)) url.searchParams.set(key, value);
        const answer = await fetch(url, { redirect: 'manual' });
        expect(answer.status).toBe(400);
        expect(answer.headers.get('location')).toBeNull();
        expect(answer.headers.get('content-type')).toMatch(/text\/html/);
        expect(await answer.text()).toContain('could not be verified');
      }
      // Even the genuine return credits nothing: only the IPN does.
      expect((await fetch(vnpay.returnUrl(genuine), { redirect: 'manual' })).headers.get('location')).toContain('status=PENDING');
      expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'PENDING', failureCode: null });
      expect(await paymentEvents(topUp.id)).toBe(0);
      expect(await balancesOf(server, buyer)).toMatchObject({ totalBalance: '0.000000' });
      expect(await server.audit()).toEqual([]);
    });

    it('answers 404 for a genuinely signed return of an unknown top-up', async () => {
      const { topUp } = await openVnpay();
      const signed = vnpay.sign({ ...vnpay.resultQuery(topUp.id, 'success'), vnp_TxnRef: 'no-such-top-up' });
      const url = new URL(`${server.url}/payments/vnpay/return`);
      for (const [key, value] of Object.entries(signed)) url.searchParams.set(key, value);
      expect((await fetch(url, { redirect: 'manual' })).status).toBe(404);
    });

    it('makes a buyer cancel (code 24) CANCELED with BUYER_CANCELED, and tells the subscriber in both languages', async () => {
      const { buyer, topUp } = await openVnpay();
      const subscription = await subscribeToTopUp(server, buyer.token, topUp);
      const canceled = vnpay.resultQuery(topUp.id, 'canceled');
      expect((await vnpay.callIpn(canceled)).answer).toMatchObject({ RspCode: '00' });
      const [update] = (await subscription.waitFor(1)).map((event) => event.topUpStatusChanged);
      await subscription.close();
      expect(update).toMatchObject({
        status: 'CANCELED',
        failureCode: 'BUYER_CANCELED',
        failureReason: 'You canceled the payment.',
        vi: 'Bạn đã hủy thanh toán.',
      });
      const back = await fetch(vnpay.returnUrl(canceled), { redirect: 'manual' });
      expect(new URL(back.headers.get('location')!).searchParams.get('status')).toBe('CANCELED');
      expect(await server.audit()).toEqual([]);
    });
  });

  describe("failure reasons are a stable code with an English and a Vietnamese message, never the provider's words", () => {
    const failure = async (buyer: Buyer, id: string) => (await server.ok(FAILURE, { id }, buyer.token)).topUp;
    const expectReadable = (topUp: { failureCode: string; failureReason: string; en: string; vi: string }, code: `${PaymentFailureCode}`) => {
      const messages = FAILURE_MESSAGES[code as PaymentFailureCode];
      expect(topUp).toMatchObject({ failureCode: code, failureReason: messages.en, en: messages.en, vi: messages.vi });
      expect(messages.vi).not.toBe(messages.en);
      expect(topUp.failureReason).not.toMatch(/vnp_|decline_code|_|DECLINED/);
    };

    it('VNPay: insufficient funds (51)', async () => {
      const buyer = await createBuyer(server);
      const topUp = await createTopUp(server, buyer, { method: 'VNPAY' });
      vnpay.openPaymentUrl(topUp.payment.redirectUrl);
      await vnpay.callIpn(vnpay.resultQuery(topUp.id, 'failure'));
      expectReadable(await failure(buyer, topUp.id), 'INSUFFICIENT_FUNDS');
    });

    it('VNPay: wrong OTP (13) and an unknown code', async () => {
      const buyer = await createBuyer(server);
      for (const [responseCode, code] of [
        ['13', 'AUTHENTICATION_FAILED'],
        ['42', 'PAYMENT_FAILED'],
      ] as const) {
        const topUp = await createTopUp(server, buyer, { method: 'VNPAY' });
        vnpay.openPaymentUrl(topUp.payment.redirectUrl);
        await vnpay.callIpn(vnpay.sign({ ...vnpay.resultQuery(topUp.id, 'failure'), vnp_ResponseCode: responseCode }));
        const read = await failure(buyer, topUp.id);
        expect(read.status).toBe('FAILED');
        expectReadable(read, code);
      }
    });

    it('Stripe: a generic decline and insufficient funds', async () => {
      const buyer = await createBuyer(server, { region: 'US' });
      for (const [declineCode, code] of [
        ['generic_decline', 'CARD_DECLINED'],
        ['insufficient_funds', 'INSUFFICIENT_FUNDS'],
      ] as const) {
        const topUp = await createTopUp(server, buyer, { method: 'STRIPE' });
        await stripe.fail(topUp.providerReference, { declineCode });
        expectReadable(await failure(buyer, topUp.id), code);
      }
    });

    it('PayPal: a declined capture', async () => {
      const buyer = await createBuyer(server);
      const topUp = await createTopUp(server, buyer, { method: 'PAYPAL' });
      paypal.setCaptureStatus('DECLINED', topUp.providerReference);
      await paypal.approve(topUp.providerReference, { deliver: false });
      await server.ok(CAPTURE_PAYPAL, { input: { topUpId: topUp.id } }, buyer.token);
      paypal.setCaptureStatus('COMPLETED');
      expectReadable(await failure(buyer, topUp.id), 'PAYMENT_DECLINED');
    });

    it('cancelTopUp and expiry', async () => {
      const buyer = await createBuyer(server);
      const canceled = await createTopUp(server, buyer, { method: 'STRIPE' });
      await server.ok(CANCEL_TOP_UP, { id: canceled.id }, buyer.token);
      expectReadable(await failure(buyer, canceled.id), 'BUYER_CANCELED');
      const stale = await createTopUp(server, buyer, { method: 'STRIPE' });
      await server.services.runner.transaction((manager) => manager.update(TopUpEntity, { id: stale.id }, { expiresAt: new Date(Date.now() - 60_000) }));
      await server.services.topUpExpiry.expireDue();
      expectReadable(await failure(buyer, stale.id), 'EXPIRED');
    });
  });
});
