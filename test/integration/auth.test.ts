import { SignJWT } from 'jose';
import { codes, startTestServer, TestServer } from '../support/harness';
import { CREATE_ACCOUNT, createAccount, GRANT, newKey, UPDATE_BILLING, VALID_BILLING } from '../support/fixtures';
import { ACCOUNT, BALANCES, CREDIT_HISTORY, ME, SET_STATUS } from '../support/foundation';
import { Role } from '../../src/auth/principal';

describe('authentication and authorisation', () => {
  let server: TestServer;
  let accountId: string;
  beforeAll(async () => {
    server = await startTestServer();
    accountId = await createAccount(server);
  });
  afterAll(async () => {
    await server.stop();
  });

  /** Signs claims with the server's own secret; `exp` in seconds since the epoch. */
  const signed = (claims: Record<string, unknown>, options: { exp?: number; secret?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-x')
      .setIssuedAt()
      .setExpirationTime(options.exp ?? Math.floor(Date.now() / 1000) + 3600)
      .sign(new TextEncoder().encode(options.secret ?? server.services.config.auth.hmacSecret!));

  const everyOperation = () =>
    [
      ['me', ME, {}],
      ['account', ACCOUNT, { id: accountId }],
      ['balances', BALANCES, { accountId }],
      ['creditHistory', CREDIT_HISTORY, { accountId }],
      ['createAccount', CREATE_ACCOUNT, { input: { kind: 'CUSTOMER', name: 'Nobody', region: 'VN' } }],
      ['setAccountStatus', SET_STATUS, { accountId, status: 'SUSPENDED' }],
      ['grantPromotionalCredits', GRANT, { input: { accountId, amount: '1', reason: 'r', idempotencyKey: newKey() } }],
      ['updateBillingInfo', UPDATE_BILLING, { input: VALID_BILLING }],
    ] as const;

  it('refuses every operation without a token', async () => {
    for (const [name, query, variables] of everyOperation()) {
      const result = await server.call(query, variables);
      expect({ name, codes: codes(result) }).toEqual({ name, codes: ['UNAUTHENTICATED'] });
    }
  });

  it.each([
    ['a garbage token', async () => 'not-a-jwt'],
    ['a token signed with another secret', () => signed({ account_id: 'x', role: 'OWNER' }, { secret: 'y'.repeat(40) })],
  ])('refuses every operation with %s', async (_label, token) => {
    const bearer = await token();
    for (const [name, query, variables] of everyOperation()) {
      const result = await server.call(query, variables, bearer);
      expect({ name, codes: codes(result) }).toEqual({ name, codes: ['UNAUTHENTICATED'] });
    }
  });

  it('refuses an expired token', async () => {
    const expired = await signed({ account_id: accountId, role: 'OWNER' }, { exp: Math.floor(Date.now() / 1000) - 60 });
    expect(codes(await server.call(BALANCES, { accountId }, expired))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await server.call(ME, {}, expired))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a user token without a role, and one with an unknown role', async () => {
    expect(codes(await server.call(ME, {}, await signed({ account_id: accountId })))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await server.call(ME, {}, await signed({ account_id: accountId, role: 'ROOT' })))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      body: JSON.stringify({ query: '{ me { subject } }' }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('lets a valid token through', async () => {
    const { me } = await server.ok(ME, {}, await server.userToken(accountId));
    expect(me.account.id).toBe(accountId);
  });

  it.each([Role.OWNER, Role.BILLING_ADMIN, Role.VIEWER])('refuses the admin mutations to a customer %s', async (role) => {
    const token = await server.userToken(accountId, role);
    for (const [name, query, variables] of everyOperation().filter(([name]) =>
      ['createAccount', 'setAccountStatus', 'grantPromotionalCredits'].includes(name),
    )) {
      const result = await server.call(query, variables, token);
      expect({ name, codes: codes(result) }).toEqual({ name, codes: ['FORBIDDEN'] });
    }
    expect((await server.ok(BALANCES, { accountId }, await server.userToken(accountId))).balances.totalBalance).toBe('0.000000');
    expect((await server.ok(ACCOUNT, { id: accountId }, await server.adminToken())).account.status).toBe('ACTIVE');
  });

  it('refuses the admin mutations and account reads to the metering service', async () => {
    const token = await server.meteringToken();
    expect(codes(await server.call(GRANT, { input: { accountId, amount: '1', reason: 'r', idempotencyKey: newKey() } }, token))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(SET_STATUS, { accountId, status: 'SUSPENDED' }, token))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(BALANCES, { accountId }, token))).toEqual(['FORBIDDEN']);
  });
});
