import { Role } from '../../src/auth/principal';
import { SavedPaymentMethodEntity } from '../../src/payments/auto-recharge/entities/saved-payment-method.entity';
import { codes, startTestServer, TestServer } from '../support/harness';
import { AUTO_RECHARGE, PAUSE_AUTO_RECHARGE, saveCard, savedCards, SET_AUTO_RECHARGE, subscribeToAutoRecharge } from '../support/auto-recharge';
import { createBuyer } from '../support/top-ups';
import { eventually, WebhookReceiver } from '../support/webhook-receiver';

const REMOVE = `mutation ($id: ID!) { removeSavedPaymentMethod(id: $id) }`;
const CREATE_ENDPOINT = `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`;

describe('removeSavedPaymentMethod', () => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    server = await startTestServer();
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });

  const providerReferenceOf = async (id: string) =>
    (await server.services.runner.read((manager) => manager.findOneByOrFail(SavedPaymentMethodEntity, { id: Number(id) }))).providerReference;

  it('detaches the card at Stripe, drops it from the list, and pauses the rule that used it with a notice', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const card = await saveCard(server, buyer);
    const spare = await saveCard(server, buyer);
    const reference = await providerReferenceOf(card);
    expect(server.standIns.stripe.cards.paymentMethod(reference).customer).not.toBeNull();
    await server.ok(
      SET_AUTO_RECHARGE,
      { input: { accountId: buyer.accountId, threshold: '5', amount: '10', monthlyCap: '50', paymentMethodId: card } },
      buyer.token,
    );
    await server.ok(CREATE_ENDPOINT, { input: { accountId: buyer.accountId, url: receiver.url, events: ['AUTO_RECHARGE_PAUSED'] } }, buyer.token);
    const events = await subscribeToAutoRecharge(server, buyer);
    try {
      expect(await server.ok(REMOVE, { id: card }, buyer.token)).toEqual({ removeSavedPaymentMethod: true });
      expect(server.standIns.stripe.cards.paymentMethod(reference).customer).toBeNull();
      expect((await savedCards(server, buyer)).map((saved) => saved.id)).toEqual([spare]);
      const { autoRecharge } = await server.ok(AUTO_RECHARGE, { accountId: buyer.accountId }, buyer.token);
      expect(autoRecharge).toMatchObject({ status: 'PAUSED', disabledReason: 'PAYMENT_METHOD_REMOVED', paymentMethod: null });

      const [event] = await eventually(async () => (events.events.length > 0 ? events.events : undefined), 'the PAUSED event');
      expect(event.autoRechargeEvents).toMatchObject({ type: 'PAUSED', reason: 'PAYMENT_METHOD_REMOVED', ruleStatus: 'PAUSED' });
      const [request] = await receiver.waitFor(1);
      expect(JSON.parse(request.rawBody)).toMatchObject({
        type: 'AUTO_RECHARGE_PAUSED',
        accountId: buyer.accountId,
        data: { reason: 'PAYMENT_METHOD_REMOVED' },
      });
    } finally {
      await events.close();
    }

    // Resuming would charge a card that is gone: refused until another card is set.
    expect(codes(await server.call(PAUSE_AUTO_RECHARGE, { accountId: buyer.accountId, paused: false }, buyer.token))).toEqual(['BAD_USER_INPUT']);
    const { setAutoRecharge } = await server.ok(
      SET_AUTO_RECHARGE,
      { input: { accountId: buyer.accountId, threshold: '5', amount: '10', monthlyCap: '50', paymentMethodId: spare } },
      buyer.token,
    );
    expect(setAutoRecharge.status).toBe('ACTIVE');
    // A removed card is refused like one that never existed (ids cannot be probed).
    expect(codes(await server.call(REMOVE, { id: card }, buyer.token))).toEqual(['FORBIDDEN']);
  });

  it("refuses a VIEWER and another account's user, and leaves the card at Stripe", async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const card = await saveCard(server, buyer);
    const other = await createBuyer(server, { region: 'US' });
    expect(codes(await server.call(REMOVE, { id: card }, await server.userToken(buyer.accountId, Role.VIEWER)))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(REMOVE, { id: card }, other.token))).toEqual(['FORBIDDEN']);
    expect(server.standIns.stripe.cards.paymentMethod(await providerReferenceOf(card)).customer).not.toBeNull();
    expect(await savedCards(server, buyer)).toHaveLength(1);
  });
});
