import { Role } from '../../src/auth/principal';
import { BALANCES, balancesOf, CREDIT_HISTORY, SET_STATUS } from '../support/foundation';
import { createAccount, newKey } from '../support/fixtures';
import { codes, startTestServer, TestServer } from '../support/harness';
import { credits, fundTopUp, partnerWithCustomer, TRANSFER } from '../support/partners';
import { collect, connect } from '../support/subscriptions';

describe('transferCredits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const transfer = async (token: string, input: Record<string, unknown>) => server.call(TRANSFER, { input: { idempotencyKey: newKey(), ...input } }, token);

  it('moves credits from the partner to its customer in one ledger transaction, with history on both sides', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(100));
    const result = await server.ok(
      TRANSFER,
      { input: { customerAccountId: customerId, amount: '30.5', idempotencyKey: newKey(), note: 'June budget' } },
      ownerToken,
    );
    expect(result.transferCredits).toMatchObject({
      dryRun: false,
      transfer: { partnerAccountId: partnerId, customerAccountId: customerId, amount: '30.500000', note: 'June budget' },
      partnerBalances: { accountId: partnerId, topUpBalance: '69.500000', totalBalance: '69.500000' },
      customerBalances: { accountId: customerId, topUpBalance: '30.500000', totalBalance: '30.500000' },
    });
    expect((await balancesOf(server, customerId)).topUpBalance).toBe('30.500000');

    const history = async (accountId: string) =>
      (await server.ok(CREDIT_HISTORY, { accountId, first: 5 }, await server.userToken(accountId))).creditHistory.edges.map((edge: any) => edge.node);
    expect((await history(partnerId))[0]).toMatchObject({ type: 'TRANSFER_OUT', amount: '-30.500000', counterparty: { accountId: customerId } });
    expect((await history(customerId))[0]).toMatchObject({ type: 'TRANSFER_IN', amount: '30.500000', counterparty: { accountId: partnerId } });
    expect(await server.audit()).toEqual([]);
  });

  it('notifies the balance subscribers of both accounts', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(10));
    const query = 'subscription($id: ID!) { balanceChanged(accountId: $id) { eventId accountId movementType amount topUpBalance } }';
    const subscriptions = [partnerId, customerId].map((id) =>
      collect<{ balanceChanged: any }>(connect(server.websocketUrl, ownerToken), query, { id }, { currentStateFirst: true }),
    );
    try {
      // The first message (the balances now) is sent once the server listens: each subscription is live before the transfer.
      for (const subscription of subscriptions) await subscription.waitForCurrent();
      const marks = subscriptions.map((subscription) => subscription.events.length);
      await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '2.5', idempotencyKey: newKey() } }, ownerToken);
      const [partnerEvents, customerEvents] = await Promise.all(subscriptions.map((subscription, index) => subscription.waitFor(marks[index] + 1)));
      expect(partnerEvents[marks[0]].balanceChanged).toMatchObject({
        accountId: partnerId,
        movementType: 'TRANSFER_OUT',
        amount: '-2.500000',
        topUpBalance: '7.500000',
      });
      expect(customerEvents[marks[1]].balanceChanged).toMatchObject({
        accountId: customerId,
        movementType: 'TRANSFER_IN',
        amount: '2.500000',
        topUpBalance: '2.500000',
      });
    } finally {
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
    }
  });

  it('lets a BILLING_ADMIN transfer, and refuses a VIEWER without changing anything', async () => {
    const { partnerId, customerId } = await partnerWithCustomer(server, credits(10));
    expect(codes(await transfer(await server.userToken(partnerId, Role.VIEWER), { customerAccountId: customerId, amount: '1' }))).toEqual(['FORBIDDEN']);
    expect((await balancesOf(server, partnerId)).topUpBalance).toBe('10.000000');
    const allowed = await transfer(await server.userToken(partnerId, Role.BILLING_ADMIN), { customerAccountId: customerId, amount: '1' });
    expect(allowed.errors).toEqual([]);
  });

  it('refuses a transfer to a customer of another partner, to a direct customer and to an unknown account', async () => {
    const { partnerId, ownerToken } = await partnerWithCustomer(server, credits(10));
    const other = await partnerWithCustomer(server, 0n);
    const direct = await createAccount(server);
    for (const customerAccountId of [other.customerId, direct, 'no-such-account', other.partnerId]) {
      expect(codes(await transfer(ownerToken, { customerAccountId, amount: '1' }))).toEqual(['FORBIDDEN']);
    }
    expect((await balancesOf(server, partnerId)).topUpBalance).toBe('10.000000');
    expect((await balancesOf(server, other.customerId)).topUpBalance).toBe('0.000000');
  });

  it.each(['PENDING', 'SUSPENDED'])('refuses a transfer to a %s customer', async (status) => {
    const { partnerId, ownerToken } = await partnerWithCustomer(server, credits(10));
    const customerId = await createAccount(server, { partnerId, status });
    expect(codes(await transfer(ownerToken, { customerAccountId: customerId, amount: '1' }))).toEqual(['ACCOUNT_NOT_ACTIVE']);
    expect((await balancesOf(server, partnerId)).topUpBalance).toBe('10.000000');
    expect((await balancesOf(server, customerId)).topUpBalance).toBe('0.000000');
  });

  it('refuses a suspended partner, a balance too low and bad amounts', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(5));
    expect(codes(await transfer(ownerToken, { customerAccountId: customerId, amount: '5.000001' }))).toEqual(['INSUFFICIENT_CREDITS']);
    for (const amount of ['0', '-1', '1.0000001', '1e3', 'ten', '1000000001']) {
      expect(codes(await transfer(ownerToken, { customerAccountId: customerId, amount }))).toEqual(['BAD_USER_INPUT']);
    }
    expect(codes(await transfer(ownerToken, { customerAccountId: customerId, amount: '1', idempotencyKey: 'short' }))).toEqual(['BAD_USER_INPUT']);
    await server.ok(SET_STATUS, { accountId: partnerId, status: 'SUSPENDED' }, await server.adminToken());
    expect(codes(await transfer(ownerToken, { customerAccountId: customerId, amount: '1' }))).toEqual(['ACCOUNT_NOT_ACTIVE']);
    expect((await balancesOf(server, partnerId)).topUpBalance).toBe('5.000000');
    expect(await server.audit()).toEqual([]);
  });

  it('returns the first result on replay and refuses the key for a different transfer', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(10));
    const input = { customerAccountId: customerId, amount: '2', idempotencyKey: newKey(), note: 'once' };
    const first = await server.ok(TRANSFER, { input }, ownerToken);
    const again = await server.ok(TRANSFER, { input }, ownerToken);
    expect(again).toEqual(first);
    expect(codes(await server.call(TRANSFER, { input: { ...input, amount: '3' } }, ownerToken))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(codes(await server.call(TRANSFER, { input: { ...input, note: 'twice' } }, ownerToken))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect((await balancesOf(server, partnerId)).topUpBalance).toBe('8.000000');
  });

  it('makes one transfer of concurrent replays of one key', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(10));
    const input = { customerAccountId: customerId, amount: '1', idempotencyKey: newKey() };
    const results = await Promise.all(Array.from({ length: 20 }, () => server.call(TRANSFER, { input }, ownerToken)));
    expect(results.flatMap(codes)).toEqual([]);
    expect(new Set(results.map((result) => result.data.transferCredits.transfer.id)).size).toBe(1);
    expect((await balancesOf(server, partnerId)).topUpBalance).toBe('9.000000');
    expect((await balancesOf(server, customerId)).topUpBalance).toBe('1.000000');
    expect(await server.audit()).toEqual([]);
  });

  it('previews a dry run without moving anything or consuming the key', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(10));
    const idempotencyKey = newKey();
    const preview = await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '4', idempotencyKey, dryRun: true } }, ownerToken);
    expect(preview.transferCredits).toMatchObject({
      dryRun: true,
      transfer: null,
      partnerBalances: { topUpBalance: '6.000000' },
      customerBalances: { topUpBalance: '4.000000' },
    });
    expect((await balancesOf(server, partnerId)).topUpBalance).toBe('10.000000');
    expect((await balancesOf(server, customerId)).topUpBalance).toBe('0.000000');
    expect(codes(await transfer(ownerToken, { customerAccountId: customerId, amount: '11', dryRun: true }))).toEqual(['INSUFFICIENT_CREDITS']);
    // The same key still makes the real transfer, with other arguments than the dry run.
    const real = await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '5', idempotencyKey } }, ownerToken);
    expect(real.transferCredits.partnerBalances.topUpBalance).toBe('5.000000');
  });

  it('lets exactly as many of 200 concurrent transfers succeed as the balance allows', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(73));
    const secondCustomer = await createAccount(server, { partnerId });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, index) => transfer(ownerToken, { customerAccountId: index % 2 ? customerId : secondCustomer, amount: '1' })),
    );
    const succeeded = results.filter((result) => result.errors.length === 0);
    expect(succeeded).toHaveLength(73);
    expect(
      results
        .filter((result) => result.errors.length > 0)
        .flatMap(codes)
        .every((code) => code === 'INSUFFICIENT_CREDITS'),
    ).toBe(true);
    for (const result of succeeded) expect(result.data.transferCredits.partnerBalances.topUpBalance).not.toMatch(/^-/);
    expect((await balancesOf(server, partnerId)).topUpBalance).toBe('0.000000');
    const customers = await Promise.all([customerId, secondCustomer].map((id) => balancesOf(server, id)));
    expect(customers.reduce((sum, balances) => sum + Number(balances.topUpBalance), 0)).toBe(73);
    expect(await server.audit()).toEqual([]);
  });

  it('refuses a customer user and the metering service', async () => {
    const { customerId } = await partnerWithCustomer(server, credits(1));
    await fundTopUp(server, customerId, credits(1));
    expect(codes(await transfer(await server.userToken(customerId), { customerAccountId: customerId, amount: '1' }))).toEqual(['FORBIDDEN']);
    expect(codes(await transfer(await server.meteringToken(), { customerAccountId: customerId, amount: '1' }))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(BALANCES, { accountId: customerId }))).toEqual(['UNAUTHENTICATED']);
  });
});
