import { codes, startTestServer, TestServer } from '../support/harness';
import { createAccount, GRANT, grant, newKey } from '../support/fixtures';
import { allMovements, balancesOf, SET_STATUS } from '../support/foundation';

describe('grantPromotionalCredits', () => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.adminToken();
  });
  afterAll(async () => {
    await server.stop();
  });

  const grantInput = (accountId: string, extra: Record<string, unknown> = {}) => ({
    input: { accountId, amount: '10', reason: 'welcome bonus', idempotencyKey: newKey(), ...extra },
  });

  it('grants credits, returns the grant and the new balances, and records the movement', async () => {
    const accountId = await createAccount(server);
    const expiresAt = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
    const { grantPromotionalCredits } = await server.ok(GRANT, grantInput(accountId, { amount: '10.5', expiresAt }), admin);
    expect(grantPromotionalCredits).toEqual({
      grant: { id: expect.any(String), amount: '10.500000', remaining: '10.500000', expiresAt, reason: 'welcome bonus' },
      balances: { totalBalance: '10.500000', topUpBalance: '0.000000', promotionalBalance: '10.500000' },
    });
    expect(await balancesOf(server, accountId)).toMatchObject({ totalBalance: '10.500000', promotionalBalance: '10.500000' });
    const [movement] = await allMovements(server, accountId);
    expect(movement).toMatchObject({ type: 'PROMOTIONAL_GRANT', amount: '10.500000', balanceAfter: '10.500000', description: 'welcome bonus' });
    expect(await server.audit()).toEqual([]);
  });

  it('grants to a PENDING or SUSPENDED account', async () => {
    for (const status of ['PENDING', 'SUSPENDED']) {
      const accountId = await createAccount(server, { status });
      await grant(server, accountId, '1');
      expect((await balancesOf(server, accountId)).totalBalance).toBe('1.000000');
    }
  });

  it('returns the first result when the same key is replayed with the same arguments', async () => {
    const accountId = await createAccount(server);
    const variables = grantInput(accountId);
    const first = await server.ok(GRANT, variables, admin);
    await grant(server, accountId, '2');
    const replay = await server.ok(GRANT, variables, admin);
    expect(replay).toEqual(first);
    expect((await balancesOf(server, accountId)).totalBalance).toBe('12.000000');
    expect(await allMovements(server, accountId)).toHaveLength(2);
  });

  it('refuses the same key with other arguments with IDEMPOTENCY_KEY_REUSED, changing nothing', async () => {
    const accountId = await createAccount(server);
    const variables = grantInput(accountId);
    await server.ok(GRANT, variables, admin);
    for (const change of [{ amount: '11' }, { reason: 'another reason' }, { expiresAt: new Date(Date.now() + 86_400_000).toISOString() }]) {
      const result = await server.call(GRANT, { input: { ...variables.input, ...change } }, admin);
      expect(codes(result)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    }
    expect((await balancesOf(server, accountId)).totalBalance).toBe('10.000000');
    expect(await server.audit()).toEqual([]);
  });

  it('treats the same key on two accounts as two grants', async () => {
    const [first, second] = [await createAccount(server), await createAccount(server)];
    const idempotencyKey = newKey();
    await server.ok(GRANT, grantInput(first, { idempotencyKey }), admin);
    await server.ok(GRANT, grantInput(second, { idempotencyKey }), admin);
    expect((await balancesOf(server, second)).totalBalance).toBe('10.000000');
  });

  it('answers NOT_FOUND for an unknown account and for the system account', async () => {
    expect(codes(await server.call(GRANT, grantInput('no-such-account'), admin))).toEqual(['NOT_FOUND']);
    expect(codes(await server.call(GRANT, grantInput('system'), admin))).toEqual(['NOT_FOUND']);
    expect(await server.audit()).toEqual([]);
  });

  it('refuses a CLOSED account with ACCOUNT_NOT_ACTIVE', async () => {
    const accountId = await createAccount(server);
    await server.ok(SET_STATUS, { accountId, status: 'CLOSED' }, admin);
    expect(codes(await server.call(GRANT, grantInput(accountId), admin))).toEqual(['ACCOUNT_NOT_ACTIVE']);
    expect((await balancesOf(server, accountId)).totalBalance).toBe('0.000000');
  });

  it.each([
    ['an expiry in the past', { expiresAt: new Date(Date.now() - 1000).toISOString() }],
    ['an expiry more than ten years away', { expiresAt: new Date(Date.now() + 11 * 366 * 86_400_000).toISOString() }],
    ['an expiry that is not a date', { expiresAt: 'tomorrow' }],
    ['an empty reason', { reason: ' ' }],
    ['a short idempotency key', { idempotencyKey: 'abc' }],
    ['an idempotency key with spaces', { idempotencyKey: 'not a valid key' }],
  ])('refuses %s with BAD_USER_INPUT', async (_label, change) => {
    const accountId = await createAccount(server);
    expect(codes(await server.call(GRANT, grantInput(accountId, change), admin))).toEqual(['BAD_USER_INPUT']);
    expect((await balancesOf(server, accountId)).totalBalance).toBe('0.000000');
  });
});
