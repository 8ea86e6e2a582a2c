import { AccountDepleted } from '../../src/accounts/account-events';
import { ACCOUNT, balancesOf, SET_STATUS } from '../support/foundation';
import { createAccount, grant, newKey } from '../support/fixtures';
import { codes, startTestServer, TestServer } from '../support/harness';
import { credits, fundTopUp, grantRow, RECORD_USAGE, usageEvent } from '../support/partners';
import { collect, connect, untilFirstEvent } from '../support/subscriptions';

const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600 * 1000).toISOString();

describe('recordUsage', () => {
  let server: TestServer;
  let metering: string;
  beforeAll(async () => {
    server = await startTestServer({ env: { EXPIRY_CHECK_CACHE_MS: '0' } });
    metering = await server.meteringToken();
  });
  afterAll(async () => {
    await server.stop();
  });

  const record = (events: unknown[], token = metering) => server.call(RECORD_USAGE, { events }, token);

  it('applies each event id once, within one batch and across batches', async () => {
    const accountId = await createAccount(server);
    await fundTopUp(server, accountId, credits(100));
    const [first, second, third] = [usageEvent(accountId, '1'), usageEvent(accountId, '2'), usageEvent(accountId, '4')];
    const batch = await server.ok(RECORD_USAGE, { events: [first, first, second] }, metering);
    expect(batch.recordUsage.results.map((result: any) => result.status)).toEqual(['APPLIED', 'DUPLICATE', 'APPLIED']);
    expect(batch.recordUsage).toMatchObject({ appliedCount: 2, duplicateCount: 1, refusedCount: 0 });

    const again = await server.ok(RECORD_USAGE, { events: [second, first, third, third] }, metering);
    expect(again.recordUsage.results.map((result: any) => result.status)).toEqual(['DUPLICATE', 'DUPLICATE', 'APPLIED', 'DUPLICATE']);
    expect((await balancesOf(server, accountId)).topUpBalance).toBe('93.000000');

    const changed = await server.ok(RECORD_USAGE, { events: [{ ...first, amount: '9' }] }, metering);
    expect(changed.recordUsage.results[0]).toMatchObject({ status: 'REFUSED', code: 'IDEMPOTENCY_KEY_REUSED' });
    expect((await balancesOf(server, accountId)).topUpBalance).toBe('93.000000');
    expect(await server.audit()).toEqual([]);
  });

  it('applies concurrent batches carrying the same events once', async () => {
    const accountId = await createAccount(server);
    const events = Array.from({ length: 10 }, () => usageEvent(accountId, '1'));
    const results = await Promise.all(Array.from({ length: 5 }, () => server.ok(RECORD_USAGE, { events }, metering)));
    expect(results.reduce((sum, result) => sum + result.recordUsage.appliedCount, 0)).toBe(10);
    expect((await balancesOf(server, accountId)).topUpBalance).toBe('-10.000000');
    expect(await server.audit()).toEqual([]);
  });

  it('uses promotional credits first, soonest expiry first, never-expiring last, then top-up credits', async () => {
    const accountId = await createAccount(server);
    await fundTopUp(server, accountId, credits(5));
    const later = (await grant(server, accountId, '10', { expiresAt: inDays(20) })).grantPromotionalCredits.grant.id;
    const never = (await grant(server, accountId, '10')).grantPromotionalCredits.grant.id;
    const sooner = (await grant(server, accountId, '10', { expiresAt: inDays(10) })).grantPromotionalCredits.grant.id;
    const remaining = async () => Promise.all([sooner, later, never].map(async (id) => (await grantRow(server, id)).remainingMicros));

    const step = async (amount: string) => (await server.ok(RECORD_USAGE, { events: [usageEvent(accountId, amount)] }, metering)).recordUsage.results[0];
    expect(await step('12')).toMatchObject({ status: 'APPLIED', promotionalAmount: '12.000000', topUpAmount: '0.000000' });
    expect(await remaining()).toEqual([0n, credits(8), credits(10)]);
    expect(await step('15')).toMatchObject({ promotionalAmount: '15.000000', topUpAmount: '0.000000' });
    expect(await remaining()).toEqual([0n, 0n, credits(3)]);
    expect(await step('6.5')).toMatchObject({
      promotionalAmount: '3.000000',
      topUpAmount: '3.500000',
      balances: { promotionalBalance: '0.000000', topUpBalance: '1.500000', totalBalance: '1.500000' },
    });
    expect(await remaining()).toEqual([0n, 0n, 0n]);
    expect(await server.audit()).toEqual([]);
  });

  it('does not draw from a grant past its expiry, and expires it first', async () => {
    const accountId = await createAccount(server);
    const expiring = (await grant(server, accountId, '10', { expiresAt: new Date(Date.now() + 1500).toISOString() })).grantPromotionalCredits.grant.id;
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const result = (await server.ok(RECORD_USAGE, { events: [usageEvent(accountId, '2')] }, metering)).recordUsage.results[0];
    expect(result).toMatchObject({ status: 'APPLIED', promotionalAmount: '0.000000', topUpAmount: '2.000000' });
    expect((await grantRow(server, expiring)).remainingMicros).toBe(0n);
    expect(await balancesOf(server, accountId)).toMatchObject({ promotionalBalance: '0.000000', topUpBalance: '-2.000000' });
    expect(await server.audit()).toEqual([]);
  });

  it('flags an account depleted when usage overdraws its top-up balance, notifies, and clears the flag when credits return', async () => {
    const partnerId = await createAccount(server, { kind: 'PARTNER' });
    const accountId = await createAccount(server, { partnerId });
    await fundTopUp(server, accountId, credits(3));
    const subscription = collect<{ accountDepleted: { eventId: string; accountId: string; topUpBalance: string; totalBalance: string } }>(
      connect(server.websocketUrl, await server.userToken(partnerId)),
      'subscription($id: ID!) { accountDepleted(accountId: $id) { eventId accountId topUpBalance totalBalance } }',
      { id: accountId },
    );
    try {
      // A marker event on the bus proves the subscription is live before the real one happens.
      await untilFirstEvent(subscription, () =>
        server.services.bus.publish(AccountDepleted.topic, accountId, { eventId: 0, accountId, topUpMicros: '0', totalMicros: '0' }),
      );
      const depletedAt = subscription.events.length;
      const result = (await server.ok(RECORD_USAGE, { events: [usageEvent(accountId, '5')] }, metering)).recordUsage.results[0];
      expect(result.balances.topUpBalance).toBe('-2.000000');
      const events = await subscription.waitFor(depletedAt + 1);
      expect(events[depletedAt].accountDepleted).toMatchObject({ accountId, topUpBalance: '-2.000000', totalBalance: '-2.000000' });
      expect((await server.ok(ACCOUNT, { id: accountId }, await server.userToken(accountId))).account.depleted).toBe(true);

      // Further usage while depleted does not notify again.
      await server.ok(RECORD_USAGE, { events: [usageEvent(accountId, '1')] }, metering);
      await server.services.outbox.drain();
      expect(subscription.events.filter((event) => event.accountDepleted.eventId !== '0')).toHaveLength(1);

      await fundTopUp(server, accountId, credits(10));
      expect((await server.ok(ACCOUNT, { id: accountId }, await server.userToken(accountId))).account.depleted).toBe(false);
    } finally {
      await subscription.close();
    }
  });

  it('refuses the depletion subscription for an account the principal may not see', async () => {
    const accountId = await createAccount(server);
    const stranger = await createAccount(server);
    const subscription = collect(
      connect(server.websocketUrl, await server.userToken(stranger)),
      'subscription($id: ID!) { accountDepleted(accountId: $id) { eventId } }',
      { id: accountId },
    );
    try {
      await expect(subscription.waitFor(1, 5000)).rejects.toThrow(/FORBIDDEN|not see/);
    } finally {
      await subscription.close();
    }
  });

  it('refuses events one by one: unknown or closed accounts, bad amounts, bad ids, future times', async () => {
    const accountId = await createAccount(server);
    const closed = await createAccount(server);
    await server.ok(SET_STATUS, { accountId: closed, status: 'CLOSED' }, await server.adminToken());
    const suspended = await createAccount(server, { status: 'SUSPENDED' });
    const { recordUsage } = await server.ok(
      RECORD_USAGE,
      {
        events: [
          usageEvent('no-such-account', '1'),
          usageEvent('system', '1'),
          usageEvent(closed, '1'),
          usageEvent(accountId, '0'),
          usageEvent(accountId, '-1'),
          usageEvent(accountId, '1', { eventId: 'bad id with spaces' }),
          usageEvent(accountId, '1', { occurredAt: inDays(1) }),
          usageEvent(accountId, '1', { service: '' }),
          usageEvent(suspended, '1'),
          usageEvent(accountId, '1'),
        ],
      },
      metering,
    );
    expect(recordUsage.results.map((result: any) => result.code)).toEqual([
      'NOT_FOUND',
      'NOT_FOUND',
      'ACCOUNT_NOT_ACTIVE',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      null,
      null,
    ]);
    expect(recordUsage).toMatchObject({ appliedCount: 2, refusedCount: 8 });
    expect((await balancesOf(server, closed)).totalBalance).toBe('0.000000');
    expect(await server.audit()).toEqual([]);
  });

  it('refuses a principal without the usage:write scope, and batches that are empty or too large', async () => {
    const accountId = await createAccount(server);
    const events = [usageEvent(accountId, '1')];
    expect(codes(await record(events, await server.adminToken()))).toEqual(['FORBIDDEN']);
    expect(codes(await record(events, await server.userToken(accountId)))).toEqual(['FORBIDDEN']);
    expect(codes(await record(events, ''))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await record([]))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await record(Array.from({ length: 501 }, () => usageEvent(accountId, '1'))))).toEqual(['BAD_USER_INPUT']);
    expect((await balancesOf(server, accountId)).totalBalance).toBe('0.000000');
  });

  it("shows recorded usage per service in the partner's usage report", async () => {
    const partnerId = await createAccount(server, { kind: 'PARTNER' });
    const customerId = await createAccount(server, { partnerId });
    await server.ok(
      RECORD_USAGE,
      {
        events: [
          usageEvent(customerId, '1.5', { service: 'compute' }),
          usageEvent(customerId, '2', { service: 'storage' }),
          usageEvent(customerId, '0.5', { service: 'compute' }),
        ],
      },
      metering,
    );
    const hour = 3600_000;
    const thisHour = Math.floor(Date.now() / hour) * hour;
    const period = { from: new Date(thisHour - hour).toISOString(), to: new Date(thisHour + 2 * hour).toISOString() };
    const { creditUsageReport } = await server.ok(
      'query($period: ReportPeriodInput!) { creditUsageReport(period: $period) { totalUsage rows { customerId service amount eventCount } } }',
      { period },
      await server.userToken(partnerId),
    );
    expect(creditUsageReport.totalUsage).toBe('4.000000');
    const byService = Object.fromEntries(creditUsageReport.rows.map((row: any) => [row.service, [row.amount, row.eventCount]]));
    expect(byService).toEqual({ compute: ['2.000000', 2], storage: ['2.000000', 1] });
  });

  it('records a full batch of 500 events over several accounts', async () => {
    const accounts = await Promise.all(Array.from({ length: 5 }, () => createAccount(server)));
    await grant(server, accounts[0], '100', { expiresAt: inDays(1) });
    const events = Array.from({ length: 500 }, (_, index) => usageEvent(accounts[index % 5], '0.5', { eventId: `batch-${newKey()}-${index}` }));
    const { recordUsage } = await server.ok(RECORD_USAGE, { events }, metering);
    expect(recordUsage.appliedCount).toBe(500);
    expect(await balancesOf(server, accounts[0])).toMatchObject({ promotionalBalance: '50.000000', topUpBalance: '0.000000' });
    expect(await balancesOf(server, accounts[4])).toMatchObject({ topUpBalance: '-50.000000' });
    expect(await server.audit()).toEqual([]);
  });
});
