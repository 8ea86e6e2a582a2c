import { codes, startTestServer, TestServer } from '../support/harness';
import { createAccount, UPDATE_BILLING, VALID_BILLING } from '../support/fixtures';
import { SET_STATUS } from '../support/foundation';
import { Role } from '../../src/auth/principal';

const BILLING_INFO = /* GraphQL */ `
  query BillingInfo($id: ID!) {
    account(id: $id) {
      billingInfo {
        accountId
        entityType
        legalName
        taxCode
        addressLine1
        addressLine2
        city
        postalCode
        country
        invoiceEmail
      }
    }
  }
`;

describe('billing information', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const billingInfoOf = async (accountId: string) => (await server.ok(BILLING_INFO, { id: accountId }, await server.adminToken())).account.billingInfo;

  it('is null until given', async () => {
    expect(await billingInfoOf(await createAccount(server))).toBeNull();
  });

  it.each([Role.OWNER, Role.BILLING_ADMIN])('is created and replaced by an %s of the account', async (role) => {
    const accountId = await createAccount(server);
    const token = await server.userToken(accountId, role);
    const { updateBillingInfo } = await server.ok(UPDATE_BILLING, { input: VALID_BILLING }, token);
    expect(updateBillingInfo).toMatchObject({ accountId, legalName: 'Test Company LLC', taxCode: '0312345678', country: 'VN' });

    await server.ok(
      UPDATE_BILLING,
      {
        accountId,
        input: { ...VALID_BILLING, entityType: 'INDIVIDUAL', legalName: 'Nguyen Van A', taxCode: '0312345678-001', country: 'vn', postalCode: '700000' },
      },
      token,
    );
    expect(await billingInfoOf(accountId)).toEqual({
      accountId,
      entityType: 'INDIVIDUAL',
      legalName: 'Nguyen Van A',
      taxCode: '0312345678-001',
      addressLine1: '1 Test Street',
      addressLine2: null,
      city: 'Ho Chi Minh City',
      postalCode: '700000',
      country: 'VN',
      invoiceEmail: 'billing@test.example',
    });
  });

  it('is readable by the OWNER through the account', async () => {
    const accountId = await createAccount(server);
    const token = await server.userToken(accountId);
    await server.ok(UPDATE_BILLING, { input: VALID_BILLING }, token);
    expect((await server.ok(BILLING_INFO, { id: accountId }, token)).account.billingInfo.legalName).toBe('Test Company LLC');
  });

  it('cannot be changed by a VIEWER', async () => {
    const accountId = await createAccount(server);
    const result = await server.call(UPDATE_BILLING, { input: VALID_BILLING }, await server.userToken(accountId, Role.VIEWER));
    expect(codes(result)).toEqual(['FORBIDDEN']);
    expect(await billingInfoOf(accountId)).toBeNull();
  });

  it('cannot be read by a VIEWER', async () => {
    const accountId = await createAccount(server);
    await server.ok(UPDATE_BILLING, { input: VALID_BILLING }, await server.userToken(accountId));
    const result = await server.call(BILLING_INFO, { id: accountId }, await server.userToken(accountId, Role.VIEWER));
    expect(codes(result)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(result.data)).not.toContain('0312345678');
  });

  it("is readable by the OWNER of the account's partner, but not by the partner's VIEWER", async () => {
    const partner = await createAccount(server, { kind: 'PARTNER' });
    const customer = await createAccount(server, { partnerId: partner });
    await server.ok(UPDATE_BILLING, { input: VALID_BILLING }, await server.userToken(customer));
    expect((await server.ok(BILLING_INFO, { id: customer }, await server.userToken(partner))).account.billingInfo.taxCode).toBe('0312345678');
    expect(codes(await server.call(BILLING_INFO, { id: customer }, await server.userToken(partner, Role.VIEWER)))).toEqual(['FORBIDDEN']);
  });

  it("cannot be changed on another account, not even by that account's partner", async () => {
    const partner = await createAccount(server, { kind: 'PARTNER' });
    const customer = await createAccount(server, { partnerId: partner });
    const stranger = await createAccount(server);
    expect(codes(await server.call(UPDATE_BILLING, { accountId: customer, input: VALID_BILLING }, await server.userToken(stranger)))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(UPDATE_BILLING, { accountId: customer, input: VALID_BILLING }, await server.userToken(partner)))).toEqual(['FORBIDDEN']);
    expect(await billingInfoOf(customer)).toBeNull();
  });

  it('cannot be changed by a service without an account', async () => {
    expect(codes(await server.call(UPDATE_BILLING, { input: VALID_BILLING }, await server.meteringToken()))).toEqual(['FORBIDDEN']);
  });

  it.each([
    ['a VN tax code that is not 10 digits', { taxCode: '12345' }],
    ['a foreign tax code with symbols', { country: 'US', taxCode: '12-34;5' }],
    ['a foreign tax code of 3 characters', { country: 'US', taxCode: 'A12' }],
    ['a foreign tax code of 33 characters', { country: 'US', taxCode: 'A'.repeat(33) }],
    ['a company without a tax code', { taxCode: '' }],
    ['a company with a null tax code', { taxCode: null }],
    ['an invoice e-mail without a domain', { invoiceEmail: 'billing@' }],
    ['an invoice e-mail with a space', { invoiceEmail: 'bill ing@test.example' }],
    ['a country that is not a code', { country: 'Vietnam' }],
    ['a one-character legal name', { legalName: 'A' }],
    ['an empty city', { city: '' }],
    ['an overlong address', { addressLine1: 'x'.repeat(201) }],
    ['an unknown entity type', { entityType: 'TRUST' }],
  ])('refuses %s with BAD_USER_INPUT and keeps the old information', async (_label, change) => {
    const accountId = await createAccount(server);
    const token = await server.userToken(accountId);
    await server.ok(UPDATE_BILLING, { input: VALID_BILLING }, token);
    const before = await billingInfoOf(accountId);
    expect(codes(await server.call(UPDATE_BILLING, { input: { ...VALID_BILLING, legalName: 'Changed Name', ...change } }, token))).toEqual(['BAD_USER_INPUT']);
    expect(await billingInfoOf(accountId)).toEqual(before);
  });

  it('takes a private individual without a tax code (absent, null or blank), shows it as null, and lets the account buy', async () => {
    const individual = { ...VALID_BILLING, entityType: 'INDIVIDUAL', legalName: 'Nguyen Van B' };
    const withoutTaxCode = Object.fromEntries(Object.entries(individual).filter(([field]) => field !== 'taxCode'));
    for (const input of [withoutTaxCode, { ...individual, taxCode: null }, { ...individual, taxCode: '   ' }]) {
      const accountId = await createAccount(server, { region: 'VN', status: 'ACTIVE' });
      const token = await server.userToken(accountId);
      const { updateBillingInfo } = await server.ok(UPDATE_BILLING, { input }, token);
      expect(updateBillingInfo).toMatchObject({ entityType: 'INDIVIDUAL', legalName: 'Nguyen Van B', taxCode: null });
      expect(await billingInfoOf(accountId)).toMatchObject({ taxCode: null });
      const { topUpOptions } = await server.ok(`query($id: ID!) { topUpOptions(accountId: $id) { canTopUp blockers { code } } }`, { id: accountId }, token);
      expect(topUpOptions).toEqual({ canTopUp: true, blockers: [] });
    }
  });

  it('takes a foreign tax code of 4 to 32 characters, as documented', async () => {
    for (const taxCode of ['A123', 'B'.repeat(32), 'DE 123/45.6-7']) {
      const accountId = await createAccount(server);
      const { updateBillingInfo } = await server.ok(UPDATE_BILLING, { input: { ...VALID_BILLING, country: 'DE', taxCode } }, await server.userToken(accountId));
      expect(updateBillingInfo.taxCode).toBe(taxCode);
    }
  });

  it('refuses a CLOSED account with ACCOUNT_NOT_ACTIVE', async () => {
    const accountId = await createAccount(server);
    await server.ok(SET_STATUS, { accountId, status: 'CLOSED' }, await server.adminToken());
    expect(codes(await server.call(UPDATE_BILLING, { input: VALID_BILLING }, await server.userToken(accountId)))).toEqual(['ACCOUNT_NOT_ACTIVE']);
    expect(await billingInfoOf(accountId)).toBeNull();
  });
});
