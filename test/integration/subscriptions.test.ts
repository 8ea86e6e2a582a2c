import { startTestServer, TestServer } from '../support/harness';
import { createAccount, grant } from '../support/fixtures';
import { balancesOf } from '../support/foundation';
import { BALANCE_CHANGED, collect, CollectedSubscription, connect, untilFirstEvent } from '../support/subscriptions';
import { Role } from '../../src/auth/principal';

interface BalanceChanged {
  balanceChanged: {
    eventId: string;
    accountId: string;
    totalBalance: string;
    topUpBalance: string;
    promotionalBalance: string;
    movementType: string;
    amount: string;
  };
}

/** Waits for the first event (beyond those already seen) that matches. */
async function eventWhere(subscription: CollectedSubscription<BalanceChanged>, matches: (event: BalanceChanged['balanceChanged']) => boolean) {
  for (let count = 1; ; count++) {
    const events = await subscription.waitFor(count);
    const found = events.find((event) => matches(event.balanceChanged));
    if (found) return found.balanceChanged;
  }
}

describe('balanceChanged subscription', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const subscribeAs = async (token: string | null, accountId: string) =>
    collect<BalanceChanged>(connect(server.websocketUrl, token), BALANCE_CHANGED, { accountId }, { currentStateFirst: true });

  it('delivers the new balances after a grant, events in order', async () => {
    const accountId = await createAccount(server);
    const subscription = await subscribeAs(await server.userToken(accountId, Role.VIEWER), accountId);
    try {
      await untilFirstEvent(subscription, async () => {
        await grant(server, accountId, '1');
      });
      expect(subscription.events[0].balanceChanged).toMatchObject({
        accountId,
        movementType: 'PROMOTIONAL_GRANT',
        amount: '1.000000',
        topUpBalance: '0.000000',
      });

      await grant(server, accountId, '7.5');
      const { totalBalance } = await balancesOf(server, accountId);
      expect(await eventWhere(subscription, (event) => event.amount === '7.500000')).toMatchObject({ totalBalance, promotionalBalance: totalBalance });
      const eventIds = subscription.events.map((event) => Number(event.balanceChanged.eventId));
      expect(eventIds).toEqual([...eventIds].sort((a, b) => a - b));
      expect(subscription.errors).toEqual([]);
    } finally {
      await subscription.close();
    }
  });

  it("lets a partner follow its customer's balances", async () => {
    const partner = await createAccount(server, { kind: 'PARTNER' });
    const customer = await createAccount(server, { partnerId: partner });
    const subscription = await subscribeAs(await server.userToken(partner), customer);
    try {
      await untilFirstEvent(subscription, async () => {
        await grant(server, customer, '2');
      });
      expect(subscription.events[0].balanceChanged.accountId).toBe(customer);
    } finally {
      await subscription.close();
    }
  });

  it('refuses a subscription to another account with FORBIDDEN and sends it nothing', async () => {
    const mine = await createAccount(server);
    const other = await createAccount(server);
    const subscription = await subscribeAs(await server.userToken(mine), other);
    try {
      await expect(subscription.waitFor(1)).rejects.toThrow(/subscription failed/);
      expect(subscription.errors.map((error) => (error as { extensions?: { code?: string } }).extensions?.code)).toEqual(['FORBIDDEN']);
      await grant(server, other, '3');
      await server.services.outbox.drain();
      expect(subscription.events).toEqual([]);
    } finally {
      await subscription.close();
    }
  });

  it('does not deliver the events of one account to a subscriber of another', async () => {
    const [first, second] = [await createAccount(server), await createAccount(server)];
    const subscription = await subscribeAs(await server.userToken(first), first);
    try {
      await untilFirstEvent(subscription, async () => {
        await grant(server, first, '1');
      });
      await grant(server, second, '9');
      await grant(server, first, '4');
      await eventWhere(subscription, (event) => event.amount === '4.000000');
      expect(subscription.events.every((event) => event.balanceChanged.accountId === first)).toBe(true);
    } finally {
      await subscription.close();
    }
  });

  it.each([
    ['without a token', null],
    ['with a bad token', 'not-a-jwt'],
  ])('rejects a connection %s', async (_label, token) => {
    const accountId = await createAccount(server);
    const subscription = await subscribeAs(token, accountId);
    try {
      await expect(subscription.waitFor(1)).rejects.toThrow(/subscription failed/);
      expect(subscription.errors).toHaveLength(1);
      expect((subscription.errors[0] as { code?: number }).code).toBe(4403);
    } finally {
      await subscription.close();
    }
  });
});
