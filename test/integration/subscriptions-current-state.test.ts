import type { StripeStandIn } from '../../src/demo/stand-ins/stripe.stand-in';
import { Role } from '../../src/auth/principal';
import { startTestServer, TestServer } from '../support/harness';
import { createAccount, grant } from '../support/fixtures';
import { BALANCE_CHANGED, collect, connect } from '../support/subscriptions';
import { createBuyer, createTopUp, subscribeToTopUp, waitForStatus } from '../support/top-ups';

/**
 * The two subscriptions a console opens after acting (balanceChanged, topUpStatusChanged) start
 * with the current state, so a console that subscribes after the change it waits for is not left
 * waiting; a change the first message already counts is not sent again.
 */
describe('subscriptions that start with the current state', () => {
  let server: TestServer;
  let stripe: StripeStandIn;
  beforeAll(async () => {
    server = await startTestServer();
    stripe = server.standIns.stripe;
  });
  afterAll(async () => {
    await server.stop();
  });

  const subscribeToBalances = async (accountId: string) =>
    collect<{ balanceChanged: Record<string, string | null> }>(
      connect(server.websocketUrl, await server.userToken(accountId, Role.VIEWER)),
      BALANCE_CHANGED,
      { accountId },
      {
        currentStateFirst: true,
      },
    );

  it('balanceChanged sends the balances as they are first (eventId 0, no movement), then each movement', async () => {
    const accountId = await createAccount(server);
    await grant(server, accountId, '5');
    const subscription = await subscribeToBalances(accountId);
    try {
      expect((await subscription.waitForCurrent()).balanceChanged).toEqual({
        eventId: '0',
        accountId,
        totalBalance: '5.000000',
        topUpBalance: '0.000000',
        promotionalBalance: '5.000000',
        movementType: null,
        amount: null,
      });
      await grant(server, accountId, '2');
      const [change] = await subscription.waitFor(1);
      expect(change.balanceChanged).toMatchObject({ movementType: 'PROMOTIONAL_GRANT', amount: '2.000000', totalBalance: '7.000000' });
      expect(Number(change.balanceChanged.eventId)).toBeGreaterThan(0);
    } finally {
      await subscription.close();
    }
  });

  it('balanceChanged on an account that never moved starts with zero balances', async () => {
    const accountId = await createAccount(server);
    const subscription = await subscribeToBalances(accountId);
    try {
      expect((await subscription.waitForCurrent()).balanceChanged).toMatchObject({ eventId: '0', totalBalance: '0.000000', movementType: null, amount: null });
    } finally {
      await subscription.close();
    }
  });

  it('balanceChanged does not send again a movement committed before the subscription but published after it', async () => {
    const accountId = await createAccount(server);
    await server.services.outbox.stop();
    let subscription: Awaited<ReturnType<typeof subscribeToBalances>> | undefined;
    try {
      await grant(server, accountId, '5');
      subscription = await subscribeToBalances(accountId);
      expect((await subscription.waitForCurrent()).balanceChanged).toMatchObject({ eventId: '0', totalBalance: '5.000000' });
    } finally {
      server.services.outbox.start();
    }
    try {
      await server.settle();
      await grant(server, accountId, '2');
      await subscription.waitFor(1);
      await server.settle();
      expect(subscription.events.map((event) => event.balanceChanged.amount)).toEqual(['2.000000']);
    } finally {
      await subscription.close();
    }
  });

  it('topUpStatusChanged sends the final status to a console that subscribes after the payment completed', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '12' });
    expect((await stripe.succeed(topUp.providerReference)).delivery?.status).toBe(200);
    await waitForStatus(server, buyer, topUp.id, 'SUCCEEDED');
    await server.settle();

    const subscription = await subscribeToTopUp(server, buyer.token, topUp);
    try {
      expect(subscription.current?.topUpStatusChanged).toMatchObject({
        eventId: '0',
        topUpId: topUp.id,
        accountId: buyer.accountId,
        status: 'SUCCEEDED',
        amount: '12.000000',
        reversedAmount: '0.000000',
        totalBalance: '12.000000',
        topUpBalance: '12.000000',
        promotionalBalance: '0.000000',
        failureCode: null,
      });
      await server.settle();
      expect(subscription.events).toEqual([]);
    } finally {
      await subscription.close();
    }
  });

  it('topUpStatusChanged sends an open top-up as it is, then its completion', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '13' });
    const subscription = await subscribeToTopUp(server, buyer.token, topUp);
    try {
      expect(subscription.current?.topUpStatusChanged).toMatchObject({ eventId: '0', status: 'PENDING', totalBalance: '0.000000' });
      await stripe.succeed(topUp.providerReference);
      const [succeeded] = (await subscription.waitFor(1)).map((event) => event.topUpStatusChanged);
      expect(succeeded).toMatchObject({ status: 'SUCCEEDED', totalBalance: '13.000000' });
      expect(Number(succeeded.eventId)).toBeGreaterThan(0);
    } finally {
      await subscription.close();
    }
  });

  it('topUpStatusChanged does not send again a completion committed before the subscription but published after it', async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '14' });
    await server.services.outbox.stop();
    let subscription: Awaited<ReturnType<typeof subscribeToTopUp>> | undefined;
    try {
      await stripe.succeed(topUp.providerReference);
      await waitForStatus(server, buyer, topUp.id, 'SUCCEEDED');
      subscription = await subscribeToTopUp(server, buyer.token, topUp);
      expect(subscription.current?.topUpStatusChanged).toMatchObject({ eventId: '0', status: 'SUCCEEDED', totalBalance: '14.000000' });
    } finally {
      server.services.outbox.start();
    }
    try {
      await server.settle();
      // A later change (a full refund) arrives, and it is the only message after the first.
      await stripe.refund(topUp.providerReference);
      await subscription.waitFor(1);
      await server.settle();
      expect(subscription.events.map((event) => event.topUpStatusChanged.status)).toEqual(['REFUNDED']);
    } finally {
      await subscription.close();
    }
    expect(await server.audit()).toEqual([]);
  });
});
