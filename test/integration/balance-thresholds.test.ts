import { Role } from '../../src/auth/principal';
import { BalanceThresholdCrossingEntity } from '../../src/balances/thresholds/entities/balance-threshold-crossing.entity';
import { createAccount, newKey } from '../support/fixtures';
import { codes, startTestServer, TestServer } from '../support/harness';
import { credits, fundTopUp, partnerWithCustomer, RECLAIM, RECORD_USAGE, usageEvent } from '../support/partners';
import { collect, connect, untilFirstEvent } from '../support/subscriptions';
import { WebhookReceiver } from '../support/webhook-receiver';

const SET_THRESHOLDS = /* GraphQL */ `
  mutation Set($accountId: ID!, $thresholds: [Credits!]!) {
    setBalanceThresholds(accountId: $accountId, thresholds: $thresholds)
  }
`;
const READ_THRESHOLDS = /* GraphQL */ `
  query Read($id: ID!) {
    account(id: $id) {
      balanceThresholds
    }
  }
`;
const BALANCE_LOW = /* GraphQL */ `
  subscription Low($accountId: ID!) {
    balanceLow(accountId: $accountId) {
      eventId
      accountId
      threshold
      totalBalance
      previousTotalBalance
      movementType
      amount
    }
  }
`;
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

describe('balance thresholds', () => {
  let server: TestServer;
  let metering: string;
  const receivers: WebhookReceiver[] = [];
  beforeAll(async () => {
    server = await startTestServer({ env: { WEBHOOK_POLL_INTERVAL_MS: '100' } });
    metering = await server.meteringToken();
  });
  afterAll(async () => {
    await server.stop();
    await Promise.all(receivers.map((receiver) => receiver.close()));
  });

  const use = async (accountId: string, amount: string) => {
    const result = await server.ok(RECORD_USAGE, { events: [usageEvent(accountId, amount)] }, metering);
    expect(result.recordUsage.appliedCount).toBe(1);
  };
  const settled = async () => {
    await server.services.outbox.drain();
    await new Promise((resolve) => setTimeout(resolve, 200));
  };

  it('sets, replaces, reads and validates thresholds; OWNER or BILLING_ADMIN of the account or its partner only', async () => {
    const { customerId, ownerToken: partnerOwner } = await partnerWithCustomer(server, 0n);
    const owner = await server.userToken(customerId, Role.OWNER);
    expect((await server.ok(SET_THRESHOLDS, { accountId: customerId, thresholds: ['5', '50.5', '20'] }, owner)).setBalanceThresholds).toEqual([
      '50.500000',
      '20.000000',
      '5.000000',
    ]);
    expect((await server.ok(READ_THRESHOLDS, { id: customerId }, await server.userToken(customerId, Role.VIEWER))).account.balanceThresholds).toEqual([
      '50.500000',
      '20.000000',
      '5.000000',
    ]);
    expect((await server.ok(SET_THRESHOLDS, { accountId: customerId, thresholds: ['10'] }, partnerOwner)).setBalanceThresholds).toEqual(['10.000000']);
    const billingAdmin = await server.userToken(customerId, Role.BILLING_ADMIN);
    for (const thresholds of [['0'], ['-1'], ['3', '3'], Array.from({ length: 11 }, (_, index) => String(index + 1)), ['2000000000']]) {
      expect(codes(await server.call(SET_THRESHOLDS, { accountId: customerId, thresholds }, billingAdmin))).toEqual(['BAD_USER_INPUT']);
    }
    for (const token of [await server.userToken(customerId, Role.VIEWER), await server.adminToken(), await server.userToken(await createAccount(server))]) {
      expect(codes(await server.call(SET_THRESHOLDS, { accountId: customerId, thresholds: ['1'] }, token))).toEqual(['FORBIDDEN']);
    }
    expect(codes(await server.call(SET_THRESHOLDS, { accountId: customerId, thresholds: ['1'] }))).toEqual(['UNAUTHENTICATED']);
    expect((await server.ok(READ_THRESHOLDS, { id: customerId }, owner)).account.balanceThresholds).toEqual(['10.000000']);
    expect((await server.ok(SET_THRESHOLDS, { accountId: customerId, thresholds: [] }, owner)).setBalanceThresholds).toEqual([]);
    expect((await server.ok(READ_THRESHOLDS, { id: customerId }, owner)).account.balanceThresholds).toEqual([]);
  });

  it('raises balanceLow once per downward crossing, none while staying below, again after going back above; on the subscription and the webhook', async () => {
    const accountId = await createAccount(server);
    const owner = await server.userToken(accountId, Role.OWNER);
    await fundTopUp(server, accountId, credits(101));
    // Warm-up: a threshold each trigger crosses, until the subscription is live.
    await server.ok(SET_THRESHOLDS, { accountId, thresholds: ['100.5'] }, owner);
    const subscription = collect<any>(connect(server.websocketUrl, owner), BALANCE_LOW, { accountId });
    await untilFirstEvent(subscription, async () => {
      await use(accountId, '1');
      await fundTopUp(server, accountId, credits(1));
    });
    await settled();
    const warmUpEvents = subscription.events.length;

    const hook = await WebhookReceiver.start();
    receivers.push(hook);
    await server.ok(CREATE_ENDPOINT, { input: { accountId, url: hook.url, events: ['BALANCE_LOW'] } }, owner);
    await server.ok(SET_THRESHOLDS, { accountId, thresholds: ['50', '20'] }, owner);
    // Balance 101: 61 (none), 46 (crosses 50), 41 (stays below: none), 11 (crosses 20), back to 111, 40 (crosses 50 again).
    await use(accountId, '40');
    await use(accountId, '15');
    await use(accountId, '5');
    await use(accountId, '30');
    await fundTopUp(server, accountId, credits(100));
    await use(accountId, '71');
    await settled();

    const events = subscription.events.slice(warmUpEvents).map((event) => event.balanceLow);
    expect(events.map((event) => [event.threshold, event.previousTotalBalance, event.totalBalance])).toEqual([
      ['50.000000', '61.000000', '46.000000'],
      ['20.000000', '41.000000', '11.000000'],
      ['50.000000', '111.000000', '40.000000'],
    ]);
    expect(events.every((event) => event.movementType === 'USAGE' && event.accountId === accountId)).toBe(true);
    await hook.waitFor(3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const envelopes = hook.envelopes();
    expect(envelopes.map((envelope) => envelope.type)).toEqual(['BALANCE_LOW', 'BALANCE_LOW', 'BALANCE_LOW']);
    expect(envelopes.map((envelope) => envelope.data.threshold)).toEqual(['50.000000', '20.000000', '50.000000']);
    expect(envelopes.map((envelope) => envelope.id)).toEqual(events.map((event) => `evt_${event.eventId}`));
    await subscription.close();
  });

  it('raises one balanceLow per threshold when one movement crosses several', async () => {
    const accountId = await createAccount(server);
    await fundTopUp(server, accountId, credits(100));
    await server.ok(SET_THRESHOLDS, { accountId, thresholds: ['80', '60', '10'] }, await server.userToken(accountId));
    await use(accountId, '50');
    await settled();
    const rows = await server.services.runner.read((manager) => manager.find(BalanceThresholdCrossingEntity, { where: { accountId } }));
    expect(rows.map((row) => row.thresholdMicros).sort()).toEqual([credits(60), credits(80)].sort());
  });

  it("raises balanceLow on a customer when its partner's reclaim crosses one of its thresholds", async () => {
    const { customerId, ownerToken } = await partnerWithCustomer(server, 0n);
    await fundTopUp(server, customerId, credits(30));
    await server.ok(SET_THRESHOLDS, { accountId: customerId, thresholds: ['10'] }, ownerToken);
    await server.ok(RECLAIM, { input: { customerAccountId: customerId, amount: '25', idempotencyKey: newKey() } }, ownerToken);
    await settled();
    const rows = await server.services.runner.read((manager) => manager.find(BalanceThresholdCrossingEntity, { where: { accountId: customerId } }));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ thresholdMicros: credits(10), totalBeforeMicros: credits(30), totalAfterMicros: credits(5) });
  });

  it('raises exactly one balanceLow when 50 concurrent usage events cross one threshold, even when every event is consumed again', async () => {
    const accountId = await createAccount(server);
    const owner = await server.userToken(accountId);
    await fundTopUp(server, accountId, credits(100));
    await server.ok(SET_THRESHOLDS, { accountId, thresholds: ['50'] }, owner);
    const hook = await WebhookReceiver.start();
    receivers.push(hook);
    await server.ok(CREATE_ENDPOINT, { input: { accountId, url: hook.url, events: ['BALANCE_LOW'] } }, owner);

    const results = await Promise.all(Array.from({ length: 50 }, () => server.ok(RECORD_USAGE, { events: [usageEvent(accountId, '1.5')] }, metering)));
    expect(results.reduce((sum, result) => sum + result.recordUsage.appliedCount, 0)).toBe(50);
    await settled();
    // As if a process died after consuming but before marking the batch: everything is consumed again.
    await server.services.runner.transaction((manager) => manager.query('UPDATE outbox_event SET publishedAt = NULL, leaseOwner = NULL, leaseUntil = NULL'));
    await settled();

    const crossings = await server.services.runner.read((manager) => manager.find(BalanceThresholdCrossingEntity, { where: { accountId } }));
    expect(crossings).toHaveLength(1);
    expect(crossings[0]).toMatchObject({ thresholdMicros: credits(50) });
    expect(crossings[0].totalBeforeMicros).toBeGreaterThanOrEqual(credits(50));
    expect(crossings[0].totalAfterMicros).toBeLessThan(credits(50));
    await hook.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hook.envelopes().map((envelope) => envelope.type)).toEqual(['BALANCE_LOW']);
    expect(await server.audit()).toEqual([]);
  });
});
