import type { TestServer } from './harness';

let counter = 0;
const uniqueId = (prefix: string) => `${prefix}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

export const CREATE_ACCOUNT = /* GraphQL */ `
  mutation CreateAccount($input: CreateAccountInput!) {
    createAccount(input: $input) {
      id
      kind
      status
      region
      name
      partnerId
    }
  }
`;

export const GRANT = /* GraphQL */ `
  mutation Grant($input: GrantPromotionalCreditsInput!) {
    grantPromotionalCredits(input: $input) {
      grant {
        id
        amount
        remaining
        expiresAt
        reason
      }
      balances {
        totalBalance
        topUpBalance
        promotionalBalance
      }
    }
  }
`;

export const UPDATE_BILLING = /* GraphQL */ `
  mutation UpdateBilling($accountId: ID, $input: BillingInfoInput!) {
    updateBillingInfo(accountId: $accountId, input: $input) {
      accountId
      legalName
      taxCode
      country
      invoiceEmail
      entityType
    }
  }
`;

export const VALID_BILLING = {
  entityType: 'COMPANY',
  legalName: 'Test Company LLC',
  taxCode: '0312345678',
  addressLine1: '1 Test Street',
  city: 'Ho Chi Minh City',
  country: 'VN',
  invoiceEmail: 'billing@test.example',
};

/** Creates an account through the admin API (the real endpoint). */
export async function createAccount(
  server: TestServer,
  input: { kind?: 'CUSTOMER' | 'PARTNER'; status?: string; region?: string; partnerId?: string; name?: string } = {},
): Promise<string> {
  const id = uniqueId((input.kind ?? 'CUSTOMER').toLowerCase());
  await server.ok(
    CREATE_ACCOUNT,
    {
      input: {
        id,
        kind: input.kind ?? 'CUSTOMER',
        name: input.name ?? `Account ${id}`,
        region: input.region ?? 'VN',
        status: input.status ?? 'ACTIVE',
        partnerId: input.partnerId ?? null,
      },
    },
    await server.adminToken(),
  );
  return id;
}

export async function grant(server: TestServer, accountId: string, amount: string, extra: { expiresAt?: string; idempotencyKey?: string } = {}) {
  return server.ok(
    GRANT,
    { input: { accountId, amount, reason: 'test grant', idempotencyKey: extra.idempotencyKey ?? uniqueId('grant-key'), expiresAt: extra.expiresAt } },
    await server.adminToken(),
  );
}

export const newKey = () => uniqueId('key');
