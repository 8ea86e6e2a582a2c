import { AutoRechargeAttemptEntity } from '../../src/payments/auto-recharge/entities/auto-recharge-attempt.entity';
import { Role } from '../../src/auth/principal';
import { StripeCardVault } from '../../src/demo/stand-ins/stripe-cards';
import { createAccount } from '../support/fixtures';
import { codes, startTestServer, TestServer } from '../support/harness';
import { credits, fundTopUp, RECORD_USAGE, usageEvent } from '../support/partners';
import { balancesOf, Buyer, countRows, createBuyer, ledgerTopUpCredits } from '../support/top-ups';
import { verifyCreditsSignature } from '../support/verify-webhook-signature';
import { eventually, WebhookReceiver } from '../support/webhook-receiver';
import {
  AUTO_RECHARGE,
  autoTopUps,
  CARDS,
  PAUSE_AUTO_RECHARGE,
  REMOVE_AUTO_RECHARGE,
  saveCard,
  savedCards,
  SET_AUTO_RECHARGE,
  START_CARD_SETUP,
  subscribeToAutoRecharge,
} from '../support/auto-recharge';

const CREATE_ENDPOINT = /* GraphQL */ `
  mutation Create($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      secret
      endpoint {
        id
      }
    }
  }
`;

describe('auto-recharge (direct customers, Stripe off-session)', () => {
  let server: TestServer;
  let metering: string;
  beforeAll(async () => {
    server = await startTestServer({ env: { AUTO_RECHARGE_MAX_FAILURES: '3' } });
    metering = await server.meteringToken();
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A US customer with billing information, `balance` top-up credits and a saved card. */
  async function customer(balance: number, card: string = CARDS.succeeds) {
    const buyer = await createBuyer(server, { region: 'US' });
    if (balance > 0) await fundTopUp(server, buyer.accountId, credits(balance));
    const paymentMethodId = await saveCard(server, buyer, card);
    return { buyer, paymentMethodId };
  }

  async function setRule(buyer: Buyer, input: Record<string, unknown>) {
    return (await server.ok(SET_AUTO_RECHARGE, { input: { accountId: buyer.accountId, monthlyCap: '1000', ...input } }, buyer.token)).setAutoRecharge;
  }

  async function use(buyer: Buyer, amount: string) {
    const result = await server.ok(RECORD_USAGE, { events: [usageEvent(buyer.accountId, amount)] }, metering);
    expect(result.recordUsage.appliedCount).toBe(1);
  }

  async function rule(buyer: Buyer) {
    return (await server.ok(AUTO_RECHARGE, { accountId: buyer.accountId }, buyer.token)).autoRecharge;
  }

  /** Waits until the account has `count` auto-recharge top-ups, all charged and in `statuses`. */
  async function settledTopUps(buyer: Buyer, count: number, statuses = ['SUCCEEDED', 'FAILED', 'REQUIRES_ACTION']) {
    return eventually(async () => {
      const list = await autoTopUps(server, buyer);
      // Charged: Stripe's answer (the intent id) is stored, whichever of it and the webhook came first.
      return list.length === count && list.every((topUp) => statuses.includes(topUp.status) && topUp.providerReference) ? list : undefined;
    }, `${count} settled auto-recharge top-ups`);
  }

  /** Everything committed has been consumed and every due charge asked: nothing more can fire. */
  async function quiesce() {
    await server.services.outbox.drain();
    await server.services.autoRechargeWorker.drain();
    await server.services.outbox.drain();
  }

  const attempts = (accountId: string) => server.services.runner.read((manager) => manager.find(AutoRechargeAttemptEntity, { where: { accountId } }));

  describe('saved cards', () => {
    it('saves a card from a SetupIntent confirmed at Stripe (3-D Secure when asked), once however often Stripe reports it', async () => {
      const buyer = await createBuyer(server, { region: 'US' });
      const stripe = server.standIns.stripe;
      const { startSavedCardSetup } = await server.ok(START_CARD_SETUP, { accountId: buyer.accountId }, buyer.token);
      expect(startSavedCardSetup.clientSecret).toMatch(/^seti_.+_secret_/);
      // The stand-in has no Stripe.js: it names its card page as a redirect, in Stripe's next_action shape.
      expect(startSavedCardSetup.nextAction).toEqual({
        type: 'REDIRECT_TO_URL',
        url: expect.stringContaining(startSavedCardSetup.setupIntentId),
        clientSecret: null,
      });

      const challenge = await stripe.confirmSetup(startSavedCardSetup.setupIntentId, { card: CARDS.authenticationRequired });
      expect(challenge.event.type).toBe('setup_intent.requires_action');
      expect(await savedCards(server, buyer)).toEqual([]);
      const saved = await stripe.confirmSetup(startSavedCardSetup.setupIntentId, { otp: '123456' });
      expect(saved.delivery?.status).toBe(200);
      expect(await savedCards(server, buyer)).toMatchObject([{ last4: '3184' }]);
      // Redelivered, and replayed by someone who recorded it: still one card.
      expect((await stripe.deliver(saved)).status).toBe(200);
      expect(await savedCards(server, buyer)).toHaveLength(1);
      // A forged event records nothing.
      const forged = { payload: saved.payload, signatureHeader: stripe.sign(saved.payload, { secret: 'whsec_forged' }) };
      expect((await stripe.deliver(forged)).status).toBe(400);

      const declined = (await server.ok(START_CARD_SETUP, {}, buyer.token)).startSavedCardSetup;
      const refusal = await stripe.confirmSetup(declined.setupIntentId, { card: CARDS.declinedAtSetup });
      expect(refusal.event.type).toBe('setup_intent.setup_failed');
      expect(await savedCards(server, buyer)).toHaveLength(1);
      // One Stripe Customer per account, however many setups.
      expect(await countRows(server, 'SELECT COUNT(*) AS count FROM stripe_customer WHERE accountId = ?', [buyer.accountId])).toBe(1);
    });

    it('still charges a saved card and saves new ones after the stand-in restarted (the demo, npm start again)', async () => {
      const { buyer, paymentMethodId } = await customer(60);
      const stripe = server.standIns.stripe;
      // A restarted stand-in has forgotten every Customer, SetupIntent and PaymentMethod it made.
      Object.assign(stripe, { cards: new StripeCardVault() });
      await setRule(buyer, { threshold: '50', amount: '20', paymentMethodId });
      await use(buyer, '15');
      expect(await settledTopUps(buyer, 1)).toMatchObject([{ status: 'SUCCEEDED' }]);
      expect(await saveCard(server, buyer, CARDS.declinedOffSession)).not.toBe(paymentMethodId);
    });

    it('refuses to start a setup for an account that may not buy credits', async () => {
      const partnerId = await createAccount(server, { kind: 'PARTNER' });
      const managed = await createBuyer(server, { partnerId });
      expect(codes(await server.call(START_CARD_SETUP, {}, managed.token))).toEqual(['PARTNER_MANAGED_ACCOUNT']);
      const noBilling = await createBuyer(server, { billing: false });
      expect(codes(await server.call(START_CARD_SETUP, {}, noBilling.token))).toEqual(['BILLING_INFO_REQUIRED']);
      const viewer = await createBuyer(server, { role: Role.VIEWER });
      expect(codes(await server.call(START_CARD_SETUP, {}, viewer.token))).toEqual(['FORBIDDEN']);
      expect(
        await countRows(server, 'SELECT COUNT(*) AS count FROM stripe_customer WHERE accountId IN (?, ?, ?)', [
          managed.accountId,
          noBilling.accountId,
          viewer.accountId,
        ]),
      ).toBe(0);
    });
  });

  describe('the rule', () => {
    it('validates its input with stable codes and changes nothing when refused', async () => {
      const { buyer, paymentMethodId } = await customer(0);
      const other = await customer(0);
      const attempt = (input: Record<string, unknown>) =>
        server.call(SET_AUTO_RECHARGE, { input: { threshold: '50', amount: '20', monthlyCap: '100', paymentMethodId, ...input } }, buyer.token);
      const fieldOf = (result: any) => [result.errors[0]?.extensions?.code, result.errors[0]?.extensions?.field];
      expect(fieldOf(await attempt({ threshold: '0' }))).toEqual(['BAD_USER_INPUT', 'threshold']);
      expect(fieldOf(await attempt({ targetBalance: '200' }))).toEqual(['BAD_USER_INPUT', 'amount']);
      expect(fieldOf(await attempt({ amount: null }))).toEqual(['BAD_USER_INPUT', 'amount']);
      expect(fieldOf(await attempt({ amount: '5' }))).toEqual(['AMOUNT_BELOW_MINIMUM', 'amount']);
      expect(fieldOf(await attempt({ amount: null, targetBalance: '50' }))).toEqual(['BAD_USER_INPUT', 'targetBalance']);
      expect(fieldOf(await attempt({ monthlyCap: '19' }))).toEqual(['BAD_USER_INPUT', 'monthlyCap']);
      expect(fieldOf(await attempt({ paymentMethodId: other.paymentMethodId }))).toEqual(['BAD_USER_INPUT', 'paymentMethodId']);
      expect(fieldOf(await attempt({ paymentMethodId: 'pm_not_ours' }))).toEqual(['BAD_USER_INPUT', 'paymentMethodId']);
      expect(fieldOf(await attempt({ monthlyCap: '1000000001' }))).toEqual(['BAD_USER_INPUT', 'monthlyCap']);
      expect(await rule(buyer)).toBeNull();
      expect(codes(await server.call(PAUSE_AUTO_RECHARGE, { accountId: buyer.accountId }, buyer.token))).toEqual(['NOT_FOUND']);

      const set = await setRule(buyer, { threshold: '50', targetBalance: '200', paymentMethodId });
      expect(set).toMatchObject({ status: 'ACTIVE', threshold: '50.000000', amount: null, targetBalance: '200.000000', spentThisMonth: '0.000000' });
      expect(set.paymentMethod).toEqual({ id: paymentMethodId, last4: '4242' });
      expect((await server.ok(PAUSE_AUTO_RECHARGE, { accountId: buyer.accountId }, buyer.token)).pauseAutoRecharge.status).toBe('PAUSED');
      expect((await server.ok(PAUSE_AUTO_RECHARGE, { accountId: buyer.accountId, paused: false }, buyer.token)).pauseAutoRecharge.status).toBe('ACTIVE');
      expect((await server.ok(REMOVE_AUTO_RECHARGE, { accountId: buyer.accountId }, buyer.token)).removeAutoRecharge).toBe(true);
      expect((await server.ok(REMOVE_AUTO_RECHARGE, { accountId: buyer.accountId }, buyer.token)).removeAutoRecharge).toBe(false);
      expect(await rule(buyer)).toBeNull();
    });

    it('buys up to the target balance from the balance the crossing left', async () => {
      const { buyer, paymentMethodId } = await customer(60);
      await setRule(buyer, { threshold: '50', targetBalance: '200', paymentMethodId });
      await use(buyer, '20.5');
      const [topUp] = await settledTopUps(buyer, 1);
      expect(topUp).toMatchObject({ status: 'SUCCEEDED', origin: 'AUTO_RECHARGE', amount: '160.500000' });
      expect(await balancesOf(server, buyer)).toMatchObject({ totalBalance: '200.000000' });
      expect((await rule(buyer)).spentThisMonth).toBe('160.500000');
    });
  });

  it('fires one top-up when 50 usage events race across the threshold, and the history shows it by origin', async () => {
    const { buyer, paymentMethodId } = await customer(100);
    await setRule(buyer, { threshold: '50', amount: '20', paymentMethodId });
    // The consumer lags behind the racing postings (as under load): otherwise a recharge landing
    // mid-race would lift the balance back over the threshold and the later events cross again.
    await server.services.outbox.stop();
    try {
      await Promise.all(Array.from({ length: 50 }, () => use(buyer, '1.5')));
    } finally {
      server.services.outbox.start();
    }
    const [topUp] = await settledTopUps(buyer, 1);
    await quiesce();
    expect(await autoTopUps(server, buyer)).toHaveLength(1);
    expect(topUp).toMatchObject({ status: 'SUCCEEDED', amount: '20.000000' });
    expect(await balancesOf(server, buyer)).toMatchObject({ totalBalance: '45.000000' });
    expect(await ledgerTopUpCredits(server, topUp.id)).toBe(1);
    expect(await attempts(buyer.accountId)).toHaveLength(1);
    const manual = (
      await server.ok(
        `query ($id: ID!) { topUps(accountId: $id, filter: { origins: [MANUAL] }) { edges { node { id } } } }`,
        { id: buyer.accountId },
        buyer.token,
      )
    ).topUps.edges;
    expect(manual).toEqual([]);
    expect(await server.audit()).toEqual([]);
  });

  it('holds the monthly cap: cuts a purchase to what is left, then skips and says so', async () => {
    const { buyer, paymentMethodId } = await customer(60);
    await setRule(buyer, { threshold: '50', amount: '20', monthlyCap: '30', paymentMethodId });
    const subscription = await subscribeToAutoRecharge(server, buyer);
    try {
      await use(buyer, '15'); // 60 → 45: buys 20 → 65
      await settledTopUps(buyer, 1);
      await use(buyer, '20'); // 65 → 45: 10 left of the cap (the minimum top-up) → 55
      const second = await settledTopUps(buyer, 2);
      expect(second.map((topUp) => topUp.amount).sort()).toEqual(['10.000000', '20.000000']);
      await use(buyer, '10'); // 55 → 45: nothing left
      await quiesce();
      expect(await autoTopUps(server, buyer)).toHaveLength(2);
      expect(await balancesOf(server, buyer)).toMatchObject({ totalBalance: '45.000000' });
      expect((await rule(buyer)).spentThisMonth).toBe('30.000000');
      const skipped = await subscription.waitFor(3);
      expect(skipped.map((event) => event.autoRechargeEvents.type)).toContain('SKIPPED');
      expect(skipped.find((event) => event.autoRechargeEvents.type === 'SKIPPED').autoRechargeEvents).toMatchObject({
        reason: 'MONTHLY_CAP_REACHED',
        topUpId: null,
        amount: null,
      });
    } finally {
      await subscription.close();
    }
  });

  it('leaves the top-up waiting in REQUIRES_ACTION when the issuer wants 3-D Secure off-session, tells the customer, and credits once they complete it', async () => {
    const { buyer, paymentMethodId } = await customer(60, CARDS.authenticationRequired);
    const receiver = await WebhookReceiver.start();
    try {
      const { createWebhookEndpoint } = await server.ok(
        CREATE_ENDPOINT,
        { input: { accountId: buyer.accountId, url: receiver.url, events: ['AUTO_RECHARGE_REQUIRES_ACTION', 'AUTO_RECHARGE_SUCCEEDED'] } },
        buyer.token,
      );
      await setRule(buyer, { threshold: '50', amount: '25', paymentMethodId });
      await use(buyer, '15');
      const [waiting] = await settledTopUps(buyer, 1, ['REQUIRES_ACTION']);
      // The console resumes it like any top-up: topUp(id).payment (once the worker stored Stripe's answer).
      const payment = await eventually(async () => {
        const { topUp } = await server.ok(
          `query ($id: ID!) { topUp(id: $id) { payment { clientSecret nextAction { type url } } } }`,
          { id: waiting.id },
          buyer.token,
        );
        return topUp.payment ?? undefined;
      }, 'the payment data of the waiting top-up');
      expect(payment.clientSecret).toMatch(/^pi_.+_secret_/);
      expect(payment.nextAction).toEqual({ type: 'REDIRECT_TO_URL', url: expect.stringContaining(waiting.providerReference!) });
      // Counted when the outbox consumes the top-up's status change, just after it committed.
      await eventually(async () => ((await rule(buyer)).consecutiveFailures === 1 ? true : undefined), 'the wait counted as a failure');
      await receiver.waitFor(1);
      const notice = receiver.received[0];
      expect(verifyCreditsSignature(notice.rawBody, String(notice.headers['credits-signature']), createWebhookEndpoint.secret)).toBe(true);
      expect(JSON.parse(notice.rawBody)).toMatchObject({
        type: 'AUTO_RECHARGE_REQUIRES_ACTION',
        accountId: buyer.accountId,
        data: { topUpId: waiting.id, amount: '25.000000' },
      });
      expect(await balancesOf(server, buyer)).toMatchObject({ totalBalance: '45.000000' });

      // The card holder comes back on-session and passes 3-D Secure on the same intent.
      const stripe = server.standIns.stripe;
      await stripe.requireAction(waiting.providerReference!);
      await stripe.succeed(waiting.providerReference!);
      await settledTopUps(buyer, 1, ['SUCCEEDED']);
      await receiver.waitFor(2);
      expect(JSON.parse(receiver.received[1].rawBody).type).toBe('AUTO_RECHARGE_SUCCEEDED');
      expect(await balancesOf(server, buyer)).toMatchObject({ totalBalance: '70.000000' });
      expect((await rule(buyer)).consecutiveFailures).toBe(0);
    } finally {
      await receiver.close();
    }
  });

  it('counts declines and disables the rule after AUTO_RECHARGE_MAX_FAILURES in a row, with a notice; resuming turns it back on', async () => {
    const { buyer, paymentMethodId } = await customer(60, CARDS.declinedOffSession);
    await setRule(buyer, { threshold: '50', amount: '20', paymentMethodId });
    const subscription = await subscribeToAutoRecharge(server, buyer);
    try {
      await use(buyer, '15'); // 60 → 45: declined
      for (let crossing = 2; crossing <= 3; crossing++) {
        await fundTopUp(server, buyer.accountId, credits(15)); // back to 60
        await settledTopUps(buyer, crossing - 1, ['FAILED']);
        await use(buyer, '15');
      }
      const failed = await settledTopUps(buyer, 3, ['FAILED']);
      expect(failed.every((topUp) => topUp.failureCode === 'CARD_DECLINED')).toBe(true);
      const types = (await subscription.waitFor(4)).map((event) => event.autoRechargeEvents);
      expect(types.map((event) => event.type)).toEqual(['FAILED', 'FAILED', 'FAILED', 'DISABLED']);
      expect(types[3]).toMatchObject({ reason: 'TOO_MANY_FAILURES', ruleStatus: 'DISABLED', consecutiveFailures: 3 });
      expect(await rule(buyer)).toMatchObject({ status: 'DISABLED', disabledReason: 'TOO_MANY_FAILURES', consecutiveFailures: 3, maxConsecutiveFailures: 3 });

      // Disabled: a fourth crossing buys nothing.
      await fundTopUp(server, buyer.accountId, credits(15));
      await use(buyer, '15');
      await quiesce();
      expect(await autoTopUps(server, buyer)).toHaveLength(3);
      const resumed = (await server.ok(PAUSE_AUTO_RECHARGE, { accountId: buyer.accountId, paused: false }, buyer.token)).pauseAutoRecharge;
      expect(resumed).toMatchObject({ status: 'ACTIVE', disabledReason: null, consecutiveFailures: 0 });
      expect(await balancesOf(server, buyer)).toMatchObject({ totalBalance: '45.000000' });
      expect(await server.audit()).toEqual([]);
    } finally {
      await subscription.close();
    }
  });

  it('fires nothing while paused, and again once resumed', async () => {
    const { buyer, paymentMethodId } = await customer(60);
    await setRule(buyer, { threshold: '50', amount: '20', paymentMethodId });
    await server.ok(PAUSE_AUTO_RECHARGE, { accountId: buyer.accountId }, buyer.token);
    await use(buyer, '15');
    await quiesce();
    expect(await autoTopUps(server, buyer)).toEqual([]);
    expect(await attempts(buyer.accountId)).toEqual([]);
    await server.ok(PAUSE_AUTO_RECHARGE, { accountId: buyer.accountId, paused: false }, buyer.token);
    await fundTopUp(server, buyer.accountId, credits(15));
    await use(buyer, '15');
    expect(await settledTopUps(buyer, 1)).toMatchObject([{ status: 'SUCCEEDED' }]);
  });

  it('fires once per crossing however often the events are consumed and the webhooks delivered (replay)', async () => {
    const { buyer, paymentMethodId } = await customer(60);
    await setRule(buyer, { threshold: '50', amount: '20', paymentMethodId });
    await use(buyer, '15');
    const [topUp] = await settledTopUps(buyer, 1);
    await quiesce();
    // As if a process died after consuming but before marking: every event is consumed again.
    await server.services.runner.transaction((manager) => manager.query('UPDATE outbox_event SET publishedAt = NULL, leaseOwner = NULL, leaseUntil = NULL'));
    await quiesce();
    // Stripe delivers the success again.
    const stripe = server.standIns.stripe;
    const success = stripe.events.filter(
      (event) => event.event.type === 'payment_intent.succeeded' && (event.event.data.object as { id: string }).id === topUp.providerReference,
    );
    expect(success).toHaveLength(1);
    expect((await stripe.deliver(success[0])).status).toBe(200);
    await quiesce();
    expect(await autoTopUps(server, buyer)).toHaveLength(1);
    expect(await ledgerTopUpCredits(server, topUp.id)).toBe(1);
    expect(await attempts(buyer.accountId)).toMatchObject([{ status: 'SUCCEEDED', topUpId: topUp.id }]);
    expect(await balancesOf(server, buyer)).toMatchObject({ totalBalance: '65.000000' });
    expect(await server.audit()).toEqual([]);
  });
});
