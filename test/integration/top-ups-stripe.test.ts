import type { StripeStandIn } from '../../src/demo/stand-ins/stripe.stand-in';
import { TopUpEntity } from '../../src/payments/top-ups/entities/top-up.entity';
import { startTestServer, TestServer } from '../support/harness';
import { balancesOf, createBuyer, createTopUp, ledgerTopUpCredits, readTopUp, subscribeToTopUp, waitForStatus } from '../support/top-ups';

describe('top-up with Stripe, end to end against the Stripe stand-in', () => {
  let server: TestServer;
  let stripe: StripeStandIn;
  beforeAll(async () => {
    server = await startTestServer();
    stripe = server.standIns.stripe;
  });
  afterAll(async () => {
    await server.stop();
  });

  it('credits the account once after 3-D Secure, and tells the subscriber', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '25.5' });
    expect(topUp).toMatchObject({
      status: 'PENDING',
      method: 'STRIPE',
      amount: '25.500000',
      charge: { currency: 'USD', amountMinor: '2550', amount: '25.50', creditPrice: '1.00' },
    });
    expect(topUp.payment.clientSecret).toMatch(/^pi_.*_secret_/);
    const intent = stripe.findIntentByTopUpId(topUp.id)!;
    expect(intent).toMatchObject({ amount: 2550, currency: 'usd', id: topUp.providerReference });

    const subscription = await subscribeToTopUp(server, buyer.token, topUp);
    expect((await stripe.requireAction(intent.id)).delivery?.status).toBe(200);
    expect((await readTopUp(server, buyer, topUp.id)).status).toBe('REQUIRES_ACTION');
    expect((await stripe.succeed(intent.id)).delivery?.status).toBe(200);

    const [requiresAction, succeeded] = (await subscription.waitFor(2)).map((event) => event.topUpStatusChanged);
    expect(requiresAction).toMatchObject({ status: 'REQUIRES_ACTION', topUpId: topUp.id });
    expect(succeeded).toMatchObject({ status: 'SUCCEEDED', topUpBalance: '25.500000', totalBalance: '25.500000', amount: '25.500000' });
    await subscription.close();

    const after = await readTopUp(server, buyer, topUp.id);
    expect(after).toMatchObject({ status: 'SUCCEEDED', payment: null });
    expect(after.completedAt).not.toBeNull();
    expect(await balancesOf(server, buyer)).toEqual({ totalBalance: '25.500000', topUpBalance: '25.500000', promotionalBalance: '0.000000' });
    expect(await ledgerTopUpCredits(server, topUp.id)).toBe(1);
    expect(await server.audit()).toEqual([]);
  });

  it('fails the top-up on a declined card, credits nothing, and cancels the intent', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '10' });
    const subscription = await subscribeToTopUp(server, buyer.token, topUp);
    expect((await stripe.fail(topUp.providerReference)).delivery?.status).toBe(200);
    const [failed] = (await subscription.waitFor(1)).map((event) => event.topUpStatusChanged);
    expect(failed).toMatchObject({ status: 'FAILED', topUpBalance: '0.000000' });
    expect(failed.failureReason).toMatch(/declined/);
    await subscription.close();
    expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'FAILED', payment: null });
    expect(await balancesOf(server, buyer)).toMatchObject({ totalBalance: '0.000000' });
    await waitFor(() => stripe.getIntent(topUp.providerReference)!.status === 'canceled');
    expect(await ledgerTopUpCredits(server, topUp.id)).toBe(0);
    expect(await server.audit()).toEqual([]);
  });

  it('keeps the purchase open after a wrong 3-D Secure code, as Stripe keeps its PaymentIntent, and the right code then pays it once', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '18' });
    const subscription = await subscribeToTopUp(server, buyer.token, topUp);
    // The card holder on the card page: Pay with 3-D Secure, then a code.
    const press = async (action: string, fields: Record<string, string> = {}) => {
      const answer = await fetch(`${stripe.url}/_stand-in/payment_intents/${topUp.providerReference}/${action}`, {
        method: 'POST',
        body: new URLSearchParams(fields),
      });
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { delivery: { status: number } }).delivery.status).toBe(200);
    };
    await press('requires_action');
    await press('otp', { otp: '000000' });
    expect(stripe.getIntent(topUp.providerReference)).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'payment_intent_authentication_failure' },
    });
    const afterWrongCode = await readTopUp(server, buyer, topUp.id);
    expect(afterWrongCode).toMatchObject({ status: 'PENDING', failureCode: 'AUTHENTICATION_FAILED', completedAt: null });
    expect(afterWrongCode.payment).not.toBeNull();

    await press('requires_action');
    await press('otp', { otp: '123456' });
    const statuses = (await subscription.waitFor(4)).map((event) => [event.topUpStatusChanged.status, event.topUpStatusChanged.failureCode]);
    expect(statuses).toEqual([
      ['REQUIRES_ACTION', null],
      ['PENDING', 'AUTHENTICATION_FAILED'],
      ['REQUIRES_ACTION', null],
      ['SUCCEEDED', null],
    ]);
    await subscription.close();
    expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'SUCCEEDED', failureCode: null, failureReason: null });
    expect(await balancesOf(server, buyer)).toMatchObject({ topUpBalance: '18.000000' });
    expect(await ledgerTopUpCredits(server, topUp.id)).toBe(1);
    expect(await server.audit()).toEqual([]);
  });

  it('leaves a top-up whose buyer never passes 3-D Secure open until it expires, and then cancels the intent', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '19' });
    await stripe.requireAction(topUp.providerReference);
    await stripe.failAuthentication(topUp.providerReference);
    expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'PENDING', failureCode: 'AUTHENTICATION_FAILED' });
    await server.services.runner.transaction((manager) => manager.update(TopUpEntity, { id: topUp.id }, { expiresAt: new Date(Date.now() - 60_000) }));
    expect(await server.services.topUpExpiry.expireDue()).toBe(1);
    expect(await readTopUp(server, buyer, topUp.id)).toMatchObject({ status: 'EXPIRED', failureCode: 'EXPIRED' });
    await waitFor(() => stripe.getIntent(topUp.providerReference)!.status === 'canceled');
    expect(await ledgerTopUpCredits(server, topUp.id)).toBe(0);
  });

  it("cancels an open top-up at the buyer's request, and at Stripe", async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '10' });
    const canceled = await server.ok(`mutation($id: ID!) { cancelTopUp(id: $id) { status failureReason } }`, { id: topUp.id }, buyer.token);
    expect(canceled.cancelTopUp.status).toBe('CANCELED');
    expect(stripe.getIntent(topUp.providerReference)!.status).toBe('canceled');
    await waitForStatus(server, buyer, topUp.id, 'CANCELED');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
