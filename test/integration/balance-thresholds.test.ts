import { Role } from '../../src/auth/principal';
import { BalanceThresholdCrossingEntity } from '../../src/balances/thresholds/entities/balance-threshold-crossing.entity';
import { createAccount, newKey } from '../support/fixtures';
import { codes, startTestServer, TestServer } from '../support/harness';
import { SET_CREDIT_LIMIT } from '../support/corrections';
import { credits, fundTopUp, partnerWithCustomer, RECLAIM, RECORD_USAGE, TRANSFER, usageEvent } from '../support/partners';
import { collect, connect, untilFirstEvent } from '../support/subscriptions';
import { WebhookReceiver } from '../support/webhook-receiver';

const SET_THRESHOLDS = /* GraphQL */ `
  mutation Set($accountId: ID!, $thresholds: [Credits!]!) {
    setBalanceThresholds(accountId: $accountId, thresholds: $thresholds)
  }
`;
const SET_MEASURED = /* GraphQL */ `
  mutation SetMeasured($accountId: ID!, $thresholds: [Credits!]!, $measure: BalanceMeasure!) {
    setBalanceThresholds(accountId: $accountId, thresholds: $thresholds, measure: $measure)
  }
`;
const READ_BOTH = /* GraphQL */ `
  query ReadBoth($id: ID!) {
    account(id: $id) {
      total: balanceThresholds
      available: balanceThresholds(measure: AVAILABLE_TO_TRANSFER)
    }
  }
`;
const BALANCE_LOW_MEASURED = /* GraphQL */ `
  subscription LowMeasured($accountId: ID!) {
    balanceLow(accountId: $accountId) {
      eventId
      measure
      threshold
      balance
      previousBalance
      totalBalance
      movementType
      amount
    }
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
  describe("on a partner's available credit (top-up balance + credit limit)", () => {
    const setLimit = async (partnerAccountId: string, limit: string) =>
      server.ok(SET_CREDIT_LIMIT, { input: { partnerAccountId, limit, reason: 'thresholds test' } }, await server.adminToken());
    const transfer = (customerAccountId: string, amount: string, token: string) =>
      server.call(TRANSFER, { input: { customerAccountId, amount, idempotencyKey: newKey() } }, token);
    const crossingsOf = (accountId: string) =>
      server.services.runner.read((manager) => manager.find(BalanceThresholdCrossingEntity, { where: { accountId }, order: { id: 'ASC' } }));

    it('keeps each measure its own list, and refuses available credit on an account that is not a partner', async () => {
      const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, 0n);
      await server.ok(SET_THRESHOLDS, { accountId: partnerId, thresholds: ['30'] }, ownerToken);
      const set = await server.ok(SET_MEASURED, { accountId: partnerId, thresholds: ['20', '50'], measure: 'AVAILABLE_TO_TRANSFER' }, ownerToken);
      expect(set.setBalanceThresholds).toEqual(['50.000000', '20.000000']);
      // The same amount on both measures is two thresholds.
      await server.ok(SET_MEASURED, { accountId: partnerId, thresholds: ['30', '50'], measure: 'AVAILABLE_TO_TRANSFER' }, ownerToken);
      expect((await server.ok(READ_BOTH, { id: partnerId }, ownerToken)).account).toEqual({ total: ['30.000000'], available: ['50.000000', '30.000000'] });
      await server.ok(SET_THRESHOLDS, { accountId: partnerId, thresholds: [] }, ownerToken);
      expect((await server.ok(READ_BOTH, { id: partnerId }, ownerToken)).account).toEqual({ total: [], available: ['50.000000', '30.000000'] });

      const refused = await server.call(SET_MEASURED, { accountId: customerId, thresholds: ['5'], measure: 'AVAILABLE_TO_TRANSFER' }, ownerToken);
      expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors[0]?.extensions?.field).toBe('measure');
      expect((await server.ok(READ_BOTH, { id: customerId }, ownerToken)).account).toEqual({ total: [], available: [] });
    });

    it('is crossed by transfers that draw on the limit and by a lowered limit, once each, on the subscription and the webhook; raising it re-arms', async () => {
      const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(21));
      // Warm-up: a total-balance threshold each trigger crosses, until the subscription is live.
      await server.ok(SET_THRESHOLDS, { accountId: partnerId, thresholds: ['20.5'] }, ownerToken);
      const subscription = collect<any>(connect(server.websocketUrl, ownerToken), BALANCE_LOW_MEASURED, { accountId: partnerId });
      await untilFirstEvent(subscription, async () => {
        await use(partnerId, '1');
        await fundTopUp(server, partnerId, credits(1));
      });
      await settled();
      const warmUpEvents = subscription.events.length;
      const warmUpCrossings = (await crossingsOf(partnerId)).length;

      await setLimit(partnerId, '100'); // available 121
      await server.ok(SET_MEASURED, { accountId: partnerId, thresholds: ['50'], measure: 'AVAILABLE_TO_TRANSFER' }, ownerToken);
      // A total-balance threshold the same movements cross too: its own event, with its own measure.
      await server.ok(SET_THRESHOLDS, { accountId: partnerId, thresholds: ['10'] }, ownerToken);
      const hook = await WebhookReceiver.start();
      receivers.push(hook);
      await server.ok(CREATE_ENDPOINT, { input: { accountId: partnerId, url: hook.url, events: ['BALANCE_LOW'] } }, ownerToken);

      expect((await transfer(customerId, '61', ownerToken)).errors).toEqual([]); // top-up 21 → -40, available 121 → 60; the total crosses 10
      expect((await transfer(customerId, '20', ownerToken)).errors).toEqual([]); // available 60 → 40: crosses 50
      expect((await transfer(customerId, '5', ownerToken)).errors).toEqual([]); // 40 → 35: stays below
      await setLimit(partnerId, '200'); // 35 → 135: back above
      await setLimit(partnerId, '80'); // 135 → 15: crosses 50 with no movement
      await settled();

      const rows = (await crossingsOf(partnerId)).slice(warmUpCrossings);
      expect(rows.map((row) => [row.measure, row.thresholdMicros, row.totalBeforeMicros, row.totalAfterMicros])).toEqual([
        ['TOTAL', credits(10), credits(21), credits(-40)],
        ['AVAILABLE_TO_TRANSFER', credits(50), credits(60), credits(40)],
        ['AVAILABLE_TO_TRANSFER', credits(50), credits(135), credits(15)],
      ]);
      const expected = [
        ['TOTAL', '10.000000', '21.000000', '-40.000000', 'TRANSFER_OUT', '-61.000000'],
        ['AVAILABLE_TO_TRANSFER', '50.000000', '60.000000', '40.000000', 'TRANSFER_OUT', '-20.000000'],
        ['AVAILABLE_TO_TRANSFER', '50.000000', '135.000000', '15.000000', null, '-120.000000'],
      ];
      await hook.waitFor(3);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const data = hook.envelopes().map((envelope) => envelope.data);
      expect(data.map((event) => [event.measure, event.threshold, event.previousBalance, event.balance, event.movementType, event.amount])).toEqual(expected);
      expect(data[2]).toMatchObject({ totalBalance: '-65.000000', previousTotalBalance: '-65.000000' });
      const events = subscription.events.slice(warmUpEvents).map((event) => event.balanceLow);
      expect(events.map((event) => [event.measure, event.threshold, event.previousBalance, event.balance, event.movementType, event.amount])).toEqual(expected);
      expect(events.map((event) => `evt_${event.eventId}`)).toEqual(hook.envelopes().map((envelope) => envelope.id));
      await subscription.close();
      expect(await server.audit()).toEqual([]);
    });

    it('measures a movement with the limit it was posted under, even when the limit changed before the movement was consumed', async () => {
      const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, 0n);
      await setLimit(partnerId, '100');
      await server.ok(SET_MEASURED, { accountId: partnerId, thresholds: ['50'], measure: 'AVAILABLE_TO_TRANSFER' }, ownerToken);
      await settled();
      await server.services.outbox.stop();
      try {
        expect((await transfer(customerId, '60', ownerToken)).errors).toEqual([]); // 100 → 40 under a limit of 100: crosses 50
        await setLimit(partnerId, '200'); // 40 → 140
      } finally {
        server.services.outbox.start();
      }
      await settled();
      // Measured with the limit in force when it is consumed (200), the transfer would have been 200 → 140 and crossed nothing.
      expect((await crossingsOf(partnerId)).map((row) => [row.totalBeforeMicros, row.totalAfterMicros])).toEqual([[credits(100), credits(40)]]);
      await setLimit(partnerId, '45'); // 140 → -15, floored at 0: crosses again
      await settled();
      expect((await crossingsOf(partnerId)).map((row) => [row.totalBeforeMicros, row.totalAfterMicros])).toEqual([
        [credits(100), credits(40)],
        [credits(140), 0n],
      ]);
      expect(await server.audit()).toEqual([]);
    });

    it('is crossed exactly once by 40 racing transfers, even when every event is consumed again', async () => {
      const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(10));
      const second = await createAccount(server, { partnerId });
      await setLimit(partnerId, '30'); // available 40
      await server.ok(SET_MEASURED, { accountId: partnerId, thresholds: ['25'], measure: 'AVAILABLE_TO_TRANSFER' }, ownerToken);
      const hook = await WebhookReceiver.start();
      receivers.push(hook);
      await server.ok(CREATE_ENDPOINT, { input: { accountId: partnerId, url: hook.url, events: ['BALANCE_LOW'] } }, ownerToken);

      const answers = await Promise.all(Array.from({ length: 40 }, (_, index) => transfer(index % 2 ? customerId : second, '1', ownerToken)));
      expect(answers.filter((answer) => answer.errors.length === 0)).toHaveLength(40);
      await settled();
      // As if a process died after consuming but before marking the batch: everything is consumed again.
      await server.services.runner.transaction((manager) => manager.query('UPDATE outbox_event SET publishedAt = NULL, leaseOwner = NULL, leaseUntil = NULL'));
      await settled();

      const rows = await crossingsOf(partnerId);
      expect(rows.map((row) => [row.measure, row.thresholdMicros, row.totalBeforeMicros, row.totalAfterMicros])).toEqual([
        ['AVAILABLE_TO_TRANSFER', credits(25), credits(25), credits(24)],
      ]);
      await hook.waitFor(1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(hook.envelopes().map((envelope) => [envelope.type, envelope.data.measure])).toEqual([['BALANCE_LOW', 'AVAILABLE_TO_TRANSFER']]);
      expect(await server.audit()).toEqual([]);
    });
  });
});
