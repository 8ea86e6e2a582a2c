import { codes, startTestServer, TestServer } from '../support/harness';
import { CREATE_ACCOUNT, createAccount, grant } from '../support/fixtures';
import { ACCOUNT, BALANCES, CREDIT_HISTORY, ME, SET_STATUS } from '../support/foundation';
import { Role } from '../../src/auth/principal';

describe('accounts', () => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.adminToken();
  });
  afterAll(async () => {
    await server.stop();
  });

  describe('me', () => {
    it('shows a user its role and account', async () => {
      const accountId = await createAccount(server);
      const { me } = await server.ok(ME, {}, await server.userToken(accountId, Role.BILLING_ADMIN));
      expect(me).toMatchObject({ role: 'BILLING_ADMIN', scopes: [], account: { id: accountId, kind: 'CUSTOMER', status: 'ACTIVE' } });
    });

    it('shows a service its scopes and no account', async () => {
      expect((await server.ok(ME, {}, admin)).me).toEqual({ subject: 'admin', role: null, scopes: ['ADMIN'], account: null });
      expect((await server.ok(ME, {}, await server.meteringToken())).me).toMatchObject({ scopes: ['USAGE_WRITE'], account: null });
    });
  });

  describe('account(id)', () => {
    it('shows the owner its account with balances, billing info, history and no partner', async () => {
      const accountId = await createAccount(server);
      await grant(server, accountId, '3.25');
      const { account } = await server.ok(ACCOUNT, { id: accountId }, await server.userToken(accountId));
      expect(account).toMatchObject({
        id: accountId,
        kind: 'CUSTOMER',
        status: 'ACTIVE',
        region: 'VN',
        partnerId: null,
        depleted: false,
        balances: { totalBalance: '3.250000', topUpBalance: '0.000000', promotionalBalance: '3.250000' },
        partner: null,
        creditHistory: { edges: [{ node: { type: 'PROMOTIONAL_GRANT', amount: '3.250000' } }] },
      });
    });

    it('refuses a principal reading another account, with every account query', async () => {
      const mine = await createAccount(server);
      const other = await createAccount(server);
      const token = await server.userToken(mine);
      expect(codes(await server.call(ACCOUNT, { id: other }, token))).toEqual(['FORBIDDEN']);
      expect(codes(await server.call(BALANCES, { accountId: other }, token))).toEqual(['FORBIDDEN']);
      expect(codes(await server.call(CREDIT_HISTORY, { accountId: other }, token))).toEqual(['FORBIDDEN']);
    });

    it('answers FORBIDDEN, not NOT_FOUND, to a user asking for an account that does not exist', async () => {
      const mine = await createAccount(server);
      expect(codes(await server.call(ACCOUNT, { id: 'no-such-account' }, await server.userToken(mine)))).toEqual(['FORBIDDEN']);
    });

    it('answers NOT_FOUND to the admin for an unknown account', async () => {
      expect(codes(await server.call(ACCOUNT, { id: 'no-such-account' }, admin))).toEqual(['NOT_FOUND']);
      expect(codes(await server.call(BALANCES, { accountId: 'no-such-account' }, admin))).toEqual(['NOT_FOUND']);
      expect(codes(await server.call(CREDIT_HISTORY, { accountId: 'no-such-account' }, admin))).toEqual(['NOT_FOUND']);
    });

    it('refuses a user reading the platform system account', async () => {
      const mine = await createAccount(server);
      expect(codes(await server.call(BALANCES, { accountId: 'system' }, await server.userToken(mine)))).toEqual(['FORBIDDEN']);
    });
  });

  describe('partners and their customers', () => {
    let partner: string;
    let customer: string;
    let otherPartner: string;
    let otherCustomer: string;
    beforeAll(async () => {
      partner = await createAccount(server, { kind: 'PARTNER' });
      otherPartner = await createAccount(server, { kind: 'PARTNER' });
      customer = await createAccount(server, { partnerId: partner });
      otherCustomer = await createAccount(server, { partnerId: otherPartner });
      await grant(server, customer, '7');
    });

    it('lets a partner read its own customer, including the partner link', async () => {
      const token = await server.userToken(partner);
      const { account } = await server.ok(ACCOUNT, { id: customer }, token);
      expect(account).toMatchObject({ id: customer, partnerId: partner, partner: { id: partner }, balances: { totalBalance: '7.000000' } });
      expect((await server.ok(BALANCES, { accountId: customer }, token)).balances.totalBalance).toBe('7.000000');
      expect((await server.ok(CREDIT_HISTORY, { accountId: customer }, token)).creditHistory.edges).toHaveLength(1);
    });

    it("refuses a partner reading another partner's customer", async () => {
      const token = await server.userToken(partner);
      expect(codes(await server.call(ACCOUNT, { id: otherCustomer }, token))).toEqual(['FORBIDDEN']);
      expect(codes(await server.call(BALANCES, { accountId: otherCustomer }, token))).toEqual(['FORBIDDEN']);
      expect(codes(await server.call(CREDIT_HISTORY, { accountId: otherCustomer }, token))).toEqual(['FORBIDDEN']);
    });

    it('refuses a partner reading another partner', async () => {
      expect(codes(await server.call(BALANCES, { accountId: otherPartner }, await server.userToken(partner)))).toEqual(['FORBIDDEN']);
    });

    it('refuses a customer reading its partner, and hides the partner from it', async () => {
      const token = await server.userToken(customer);
      expect(codes(await server.call(BALANCES, { accountId: partner }, token))).toEqual(['FORBIDDEN']);
      expect((await server.ok(ACCOUNT, { id: customer }, token)).account).toMatchObject({ partnerId: partner, partner: null });
    });

    it('refuses a customer reading a sibling customer of the same partner', async () => {
      const sibling = await createAccount(server, { partnerId: partner });
      expect(codes(await server.call(BALANCES, { accountId: sibling }, await server.userToken(customer)))).toEqual(['FORBIDDEN']);
    });
  });

  describe('createAccount', () => {
    const create = (input: Record<string, unknown>) =>
      server.call(CREATE_ACCOUNT, { input: { kind: 'CUSTOMER', name: 'Acme', region: 'VN', ...input } }, admin);

    it('creates a PENDING account with zero balances by default', async () => {
      const { data } = await create({ id: 'acme-pending-1' });
      expect(data.createAccount).toEqual({ id: 'acme-pending-1', kind: 'CUSTOMER', status: 'PENDING', region: 'VN', name: 'Acme', partnerId: null });
      expect((await server.ok(BALANCES, { accountId: 'acme-pending-1' }, admin)).balances).toMatchObject({ totalBalance: '0.000000' });
    });

    it('generates an id and normalises the region', async () => {
      const { data } = await create({ region: 'us' });
      expect(data.createAccount.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(data.createAccount.region).toBe('US');
    });

    it('creates a customer of a partner', async () => {
      const partnerId = await createAccount(server, { kind: 'PARTNER' });
      expect((await create({ partnerId })).data.createAccount.partnerId).toBe(partnerId);
    });

    it.each([
      ['an id with capitals', { id: 'Acme-1' }],
      ['an id that is too short', { id: 'ab' }],
      ['the system id', { id: 'system' }],
      ['a SYSTEM kind', { kind: 'SYSTEM' }],
      ['an empty name', { name: '   ' }],
      ['a name with control characters', { name: 'Ac\u0000me' }],
      ['a region that is not a country code', { region: 'VNM' }],
      ['a partner that does not exist', { partnerId: 'no-such-partner' }],
      ['a partner for a PARTNER', { kind: 'PARTNER', partnerId: 'whatever' }],
    ])('refuses %s with BAD_USER_INPUT', async (_label, input) => {
      expect(codes(await create(input))).toEqual(['BAD_USER_INPUT']);
    });

    it('refuses a customer as the partner', async () => {
      const customerId = await createAccount(server);
      expect(codes(await create({ partnerId: customerId }))).toEqual(['BAD_USER_INPUT']);
    });

    it('answers a replay (same id, same arguments, also racing) with the same account, creating it once', async () => {
      const input = { id: `replayed-${Date.now().toString(36)}`, name: 'Replayed' };
      const answers = await Promise.all([create(input), create(input), create(input)]);
      answers.push(await create(input));
      for (const answer of answers) expect(answer).toEqual(answers[0]);
      expect(answers[0].data.createAccount).toMatchObject({ id: input.id, name: 'Replayed' });
    });

    it('refuses an id that already exists, leaving the first account as it was', async () => {
      const existing = await createAccount(server, { name: 'Original' });
      expect(codes(await create({ id: existing, name: 'Impostor' }))).toEqual(['BAD_USER_INPUT']);
      expect((await server.ok(ACCOUNT, { id: existing }, admin)).account.name).toBe('Original');
    });
  });

  describe('setAccountStatus', () => {
    it('activates, suspends and reactivates an account', async () => {
      const accountId = await createAccount(server, { status: 'PENDING' });
      for (const status of ['ACTIVE', 'SUSPENDED', 'ACTIVE']) {
        expect((await server.ok(SET_STATUS, { accountId, status }, admin)).setAccountStatus).toEqual({ id: accountId, status });
      }
      expect((await server.ok(ACCOUNT, { id: accountId }, admin)).account.status).toBe('ACTIVE');
    });

    it('keeps a CLOSED account closed', async () => {
      const accountId = await createAccount(server);
      await server.ok(SET_STATUS, { accountId, status: 'CLOSED' }, admin);
      expect(codes(await server.call(SET_STATUS, { accountId, status: 'ACTIVE' }, admin))).toEqual(['BAD_USER_INPUT']);
      expect((await server.ok(ACCOUNT, { id: accountId }, admin)).account.status).toBe('CLOSED');
    });

    it('refuses a move back to PENDING', async () => {
      const accountId = await createAccount(server);
      expect(codes(await server.call(SET_STATUS, { accountId, status: 'PENDING' }, admin))).toEqual(['BAD_USER_INPUT']);
    });

    it('answers NOT_FOUND for an unknown account and for the system account', async () => {
      expect(codes(await server.call(SET_STATUS, { accountId: 'no-such-account', status: 'ACTIVE' }, admin))).toEqual(['NOT_FOUND']);
      expect(codes(await server.call(SET_STATUS, { accountId: 'system', status: 'SUSPENDED' }, admin))).toEqual(['NOT_FOUND']);
    });

    it('refuses a status that does not exist', async () => {
      const accountId = await createAccount(server);
      expect(codes(await server.call(SET_STATUS, { accountId, status: 'DELETED' }, admin))).toEqual(['BAD_USER_INPUT']);
    });
  });
});
