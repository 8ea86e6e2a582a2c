import { Role } from '../../src/auth/principal';
import { AccountReversalHold } from '../../src/accounts/account-events';
import type { StripeStandIn } from '../../src/demo/stand-ins';
import { createAccount, newKey, UPDATE_BILLING, VALID_BILLING } from '../support/fixtures';
import { codes, startTestServer, TestServer } from '../support/harness';
import { credits, fundTopUp, RECLAIM, RECORD_USAGE, SET_AUTO_TRANSFER_RULE, TRANSFER, TRANSFER_BATCH, usageEvent } from '../support/partners';
import { collect, connect, untilFirstEvent } from '../support/subscriptions';
import { createTopUp, type Buyer } from '../support/top-ups';
import { verifyCreditsSignature } from '../support/verify-webhook-signature';
import { WebhookReceiver } from '../support/webhook-receiver';

const ACCOUNT_FLAGS = /* GraphQL */ `
  query Flags($id: ID!) {
    account(id: $id) {
      depleted
      reversalHold
      balances {
        topUpBalance
      }
    }
  }
`;
const HOLD_CHANGES = /* GraphQL */ `
  subscription Hold($id: ID!) {
    accountReversalHold(accountId: $id) {
      eventId
      accountId
      held
      topUpBalance
      totalBalance
    }
  }
`;
const RULE = /* GraphQL */ `
  query Rule($customerAccountId: ID!) {
    autoTransferRule(customerAccountId: $customerAccountId) {
      refusalCount
      lastRefusalCode
    }
  }
`;

describe('reversal hold: an account a payment reversal leaves below zero moves no credits out until it is back', () => {
  let server: TestServer;
  let stripe: StripeStandIn;
  let metering: string;
  const receivers: WebhookReceiver[] = [];
  beforeAll(async () => {
    server = await startTestServer({ env: { WEBHOOK_POLL_INTERVAL_MS: '100', AUTO_TRANSFER_POLL_INTERVAL_MS: '100' } });
    stripe = server.standIns.stripe;
    metering = await server.meteringToken();
  });
  afterAll(async () => {
    await server.stop();
    await Promise.all(receivers.map((receiver) => receiver.close()));
  });

  /** A partner in the US (Stripe) with billing information, one ACTIVE customer, and its OWNER's token. */
  async function partnerWithCustomer(): Promise<{ partner: Buyer; customerId: string }> {
    const partnerId = await createAccount(server, { kind: 'PARTNER', region: 'US' });
    const customerId = await createAccount(server, { partnerId });
    const token = await server.userToken(partnerId, Role.OWNER);
    await server.ok(UPDATE_BILLING, { accountId: partnerId, input: VALID_BILLING }, token);
    return { partner: { accountId: partnerId, token }, customerId };
  }
  /** The partner buys credits with a card: the top-up, credited. */
  async function buy(partner: Buyer, amount: string) {
    const topUp = await createTopUp(server, partner, { method: 'STRIPE', amount });
    expect((await stripe.succeed(topUp.providerReference)).delivery?.status).toBe(200);
    return topUp;
  }
  const flags = async (accountId: string) => (await server.ok(ACCOUNT_FLAGS, { id: accountId }, await server.adminToken())).account;
  const transfer = (partner: Buyer, customerAccountId: string, amount: string, extra: { idempotencyKey?: string; dryRun?: boolean } = {}) =>
    server.call(TRANSFER, { input: { customerAccountId, amount, idempotencyKey: extra.idempotencyKey ?? newKey(), dryRun: extra.dryRun } }, partner.token);
  const settled = async () => {
    for (let round = 0; round < 3; round++) {
      await server.services.outbox.drain();
      await server.services.autoTransferWorker.drain();
    }
  };

  it('holds a partner whose disputed purchase it already passed on, refuses every way out with REVERSAL_HOLD, tells it, and releases the hold once it is back at zero', async () => {
    const { partner, customerId } = await partnerWithCustomer();
    const hook = await WebhookReceiver.start();
    receivers.push(hook);
    const { secret } = (
      await server.ok(
        `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`,
        { input: { accountId: partner.accountId, url: hook.url, events: ['ACCOUNT_REVERSAL_HOLD_PLACED', 'ACCOUNT_REVERSAL_HOLD_RELEASED'] } },
        partner.token,
      )
    ).createWebhookEndpoint;
    const subscription = collect<any>(connect(server.websocketUrl, partner.token), HOLD_CHANGES, { id: partner.accountId });
    await untilFirstEvent(subscription, () =>
      server.services.bus.publish(AccountReversalHold.topic, partner.accountId, {
        accountId: partner.accountId,
        held: false,
        topUpMicros: '0',
        totalMicros: '0',
        reference: null,
        eventId: 0,
      }),
    );
    const warmUp = subscription.events.length;

    const disputed = await buy(partner, '100');
    const beforeHold = newKey();
    expect(codes(await transfer(partner, customerId, '80', { idempotencyKey: beforeHold }))).toEqual([]);
    await server.ok(
      SET_AUTO_TRANSFER_RULE,
      { input: { customerAccountId: customerId, threshold: '50', targetBalance: '100', monthlyCap: '1000' } },
      partner.token,
    );

    expect((await stripe.dispute(disputed.providerReference)).delivery?.status).toBe(200);
    expect(await flags(partner.accountId)).toEqual({ depleted: true, reversalHold: true, balances: { topUpBalance: '-80.000000' } });

    // Every way credits leave the partner is refused with the hold's code, naming the account.
    const refused = await transfer(partner, customerId, '1');
    expect(codes(refused)).toEqual(['REVERSAL_HOLD']);
    expect(refused.errors[0].extensions).toMatchObject({ accountId: partner.accountId });
    expect(codes(await transfer(partner, customerId, '1', { dryRun: true }))).toEqual(['REVERSAL_HOLD']);
    expect(codes(await server.call(RECLAIM, { input: { customerAccountId: customerId, amount: '1', idempotencyKey: newKey() } }, partner.token))).toEqual([
      'REVERSAL_HOLD',
    ]);
    const batch = await server.ok(
      TRANSFER_BATCH,
      { input: { idempotencyKey: newKey(), mode: 'EACH_ON_ITS_OWN', rows: [{ customerAccountId: customerId, amount: '1' }] } },
      partner.token,
    );
    expect(batch.transferCreditsBatch.results.map((row: any) => [row.status, row.code])).toEqual([['REFUSED', 'REVERSAL_HOLD']]);
    // The customer crosses its rule's threshold: the auto-transfer is refused for the same reason.
    expect((await server.ok(RECORD_USAGE, { events: [usageEvent(customerId, '40')] }, metering)).recordUsage.appliedCount).toBe(1);
    await settled();
    expect((await server.ok(RULE, { customerAccountId: customerId }, partner.token)).autoTransferRule).toEqual({
      refusalCount: 1,
      lastRefusalCode: 'REVERSAL_HOLD',
    });
    // A transfer made before the hold still replays its first answer.
    const replay = await transfer(partner, customerId, '80', { idempotencyKey: beforeHold });
    expect(codes(replay)).toEqual([]);
    expect(replay.data.transferCredits.partnerBalances.topUpBalance).toBe('20.000000');
    expect(await flags(partner.accountId)).toMatchObject({ balances: { topUpBalance: '-80.000000' } });

    // Buying again brings it back above zero: the hold is released and credits may leave again.
    await buy(partner, '90');
    expect(await flags(partner.accountId)).toEqual({ depleted: false, reversalHold: false, balances: { topUpBalance: '10.000000' } });
    expect(codes(await transfer(partner, customerId, '10'))).toEqual([]);

    const changes = (await subscription.waitFor(warmUp + 2)).slice(warmUp).map((data) => data.accountReversalHold);
    expect(changes).toEqual([
      { eventId: expect.any(String), accountId: partner.accountId, held: true, topUpBalance: '-80.000000', totalBalance: '-80.000000' },
      { eventId: expect.any(String), accountId: partner.accountId, held: false, topUpBalance: '10.000000', totalBalance: '10.000000' },
    ]);
    const deliveries = await hook.waitFor(2);
    for (const delivery of deliveries) {
      expect(verifyCreditsSignature(delivery.rawBody, delivery.headers['credits-signature'] as string, secret)).toBe(true);
    }
    expect(deliveries.map((delivery) => JSON.parse(delivery.rawBody)).map(({ type, accountId, data }) => ({ type, accountId, data }))).toEqual([
      {
        type: 'ACCOUNT_REVERSAL_HOLD_PLACED',
        accountId: partner.accountId,
        data: { topUpBalance: '-80.000000', totalBalance: '-80.000000', reference: `topup:${disputed.id}` },
      },
      {
        type: 'ACCOUNT_REVERSAL_HOLD_RELEASED',
        accountId: partner.accountId,
        data: { topUpBalance: '10.000000', totalBalance: '10.000000', reference: expect.any(String) },
      },
    ]);
    await subscription.close();
    expect(await server.audit()).toEqual([]);
  });

  it('does not hold an account that usage alone took below zero, and holds one a reversal takes further down', async () => {
    const { partner, customerId } = await partnerWithCustomer();
    const purchase = await buy(partner, '30');
    expect((await server.ok(RECORD_USAGE, { events: [usageEvent(partner.accountId, '40')] }, metering)).recordUsage.appliedCount).toBe(1);
    expect(await flags(partner.accountId)).toEqual({ depleted: true, reversalHold: false, balances: { topUpBalance: '-10.000000' } });
    expect(codes(await transfer(partner, customerId, '1'))).toEqual(['INSUFFICIENT_CREDITS']);

    expect((await stripe.refund(purchase.providerReference, { amountMinor: 1000 })).delivery?.status).toBe(200);
    expect(await flags(partner.accountId)).toEqual({ depleted: true, reversalHold: true, balances: { topUpBalance: '-20.000000' } });
    expect(codes(await transfer(partner, customerId, '1'))).toEqual(['REVERSAL_HOLD']);
    expect(await server.audit()).toEqual([]);
  });

  it('keeps a partner that stays at zero or above off hold after a refund', async () => {
    const { partner, customerId } = await partnerWithCustomer();
    const purchase = await buy(partner, '50');
    expect((await stripe.refund(purchase.providerReference, { amountMinor: 2000 })).delivery?.status).toBe(200);
    expect(await flags(partner.accountId)).toEqual({ depleted: false, reversalHold: false, balances: { topUpBalance: '30.000000' } });
    expect(codes(await transfer(partner, customerId, '30'))).toEqual([]);
    expect(await server.audit()).toEqual([]);
  });

  it('never lets transfers racing a dispute take more than was there, and leaves the hold equal to the balance below zero', async () => {
    const { partner, customerId } = await partnerWithCustomer();
    await fundTopUp(server, partner.accountId, credits(20));
    const disputed = await buy(partner, '60');
    const dispute = await stripe.dispute(disputed.providerReference, { deliver: false });
    const [answers, delivery] = await Promise.all([Promise.all(Array.from({ length: 20 }, () => transfer(partner, customerId, '5'))), stripe.deliver(dispute)]);
    expect(delivery.status).toBe(200);
    const outcomes = answers.map((answer) => codes(answer)[0] ?? 'OK');
    for (const outcome of outcomes) expect(['OK', 'INSUFFICIENT_CREDITS', 'REVERSAL_HOLD']).toContain(outcome);
    const transferred = outcomes.filter((outcome) => outcome === 'OK').length * 5;
    expect(transferred).toBeLessThanOrEqual(80);
    const after = await flags(partner.accountId);
    expect(after.balances.topUpBalance).toBe(`${80 - 60 - transferred}.000000`);
    expect(after.reversalHold).toBe(80 - 60 - transferred < 0);
    // Once held, no later transfer passes, whatever raced before.
    if (after.reversalHold) expect(codes(await transfer(partner, customerId, '1'))).toEqual(['REVERSAL_HOLD']);
    expect(await server.audit()).toEqual([]);
  });
});
