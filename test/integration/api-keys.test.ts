import { Role } from '../../src/auth/principal';
import { ApiKeyEntity } from '../../src/api-keys/entities/api-key.entity';
import { createAccount, newKey } from '../support/fixtures';
import { codes, startTestServer, TestServer } from '../support/harness';
import { credits, partnerWithCustomer, TRANSFER } from '../support/partners';
import { CREATE_API_KEY } from '../support/api-keys';
import { parseCsv } from '../support/ledger-activity';

const API_KEYS = `query ($accountId: ID!) { apiKeys(accountId: $accountId) { id name prefix scopes lastUsedAt revokedAt revokedBy previousSecretExpiresAt } }`;
const REVOKE = `mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt revokedBy } }`;
const ROLL = `mutation ($input: RollApiKeyInput!) { rollApiKey(input: $input) { secret apiKey { id previousSecretExpiresAt } } }`;
const BALANCES = `query ($id: ID!) { balances(accountId: $id) { totalBalance } }`;
const wholeHour = (offsetHours: number) => new Date(Math.floor(Date.now() / 3_600_000 + offsetHours) * 3_600_000).toISOString();
const period = { from: wholeHour(-24), to: wholeHour(24) };
const TOP_UP_REPORT = `query ($period: ReportPeriodInput!) { creditTopUpReport(period: $period) { rows { kind reference actor actorRole actorName } } }`;
const HISTORY = `query ($id: ID!) { creditHistory(accountId: $id, first: 5) { edges { node { source { ... on TransferSource { transferId actor { userId role apiKey { id name } } } } } } } }`;

describe('API keys', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function createKey(accountId: string, ownerToken: string, scopes: string[], name = 'nightly script') {
    const { createApiKey } = await server.ok(CREATE_API_KEY, { input: { accountId, name, scopes } }, ownerToken);
    return createApiKey as { secret: string; apiKey: { id: string; prefix: string; name: string } };
  }

  const transfer = (key: string, customerAccountId: string, amount = '1') =>
    server.call(TRANSFER, { input: { customerAccountId, amount, idempotencyKey: newKey() } }, key);

  it('answers the secret once, in a recognisable format, and lists the key without it', async () => {
    const { partnerId, ownerToken } = await partnerWithCustomer(server, 0n);
    const { secret, apiKey } = await createKey(partnerId, ownerToken, ['CUSTOMERS_READ']);
    expect(secret).toMatch(/^ck_test_[0-9A-Za-z]{65}$/);
    expect(secret.startsWith(apiKey.prefix)).toBe(true);
    expect(apiKey.prefix).toBe(`ck_test_${apiKey.id}`);
    const { apiKeys } = await server.ok(API_KEYS, { accountId: partnerId }, ownerToken);
    expect(apiKeys).toEqual([expect.objectContaining({ id: apiKey.id, name: 'nightly script', scopes: ['CUSTOMERS_READ'], revokedAt: null })]);
    expect(JSON.stringify(apiKeys)).not.toContain(secret.slice(apiKey.prefix.length));
    const stored = await server.services.runner.read((manager) => manager.findOneByOrFail(ApiKeyEntity, { id: apiKey.id }));
    expect(JSON.stringify(stored)).not.toContain(secret.slice(apiKey.prefix.length));
  });

  it("lets only the account's OWNER manage keys", async () => {
    const { partnerId, ownerToken } = await partnerWithCustomer(server, 0n);
    const billingAdmin = await server.userToken(partnerId, Role.BILLING_ADMIN);
    const input = { accountId: partnerId, name: 'x', scopes: ['REPORTS_READ'] };
    expect(codes(await server.call(CREATE_API_KEY, { input }, billingAdmin))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(CREATE_API_KEY, { input }, await server.adminToken()))).toEqual(['FORBIDDEN']);
    const { secret, apiKey } = await createKey(partnerId, ownerToken, ['CUSTOMERS_READ', 'TRANSFERS_WRITE', 'REPORTS_READ', 'WEBHOOKS_MANAGE', 'USAGE_READ']);
    // A key never manages keys, whatever its scopes.
    expect(codes(await server.call(CREATE_API_KEY, { input }, secret))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(REVOKE, { id: apiKey.id }, secret))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(REVOKE, { id: apiKey.id }, billingAdmin))).toEqual(['FORBIDDEN']);
  });

  it('refuses a key with reports:read a transfer, naming the missing scope, and lets it read reports', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(10));
    const { secret } = await createKey(partnerId, ownerToken, ['REPORTS_READ']);
    const refused = await transfer(secret, customerId);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors[0].message).toContain('"transfers:write"');
    expect((await server.ok(BALANCES, { id: partnerId }, ownerToken)).balances.totalBalance).toBe('10.000000');
    await server.ok(TOP_UP_REPORT, { period }, secret);
    const csv = await fetch(`${server.url}/reports/top-ups.csv?${new URLSearchParams(period)}`, { headers: { authorization: `Bearer ${secret}` } });
    expect(csv.status).toBe(200);
    const history = await fetch(`${server.url}/history.csv?accountId=${partnerId}`, { headers: { authorization: `Bearer ${secret}` } });
    expect(history.status).toBe(403);
    const body = (await history.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(body.errors[0].message).toContain('"usage:read"');
  });

  it('acts for its own account only', async () => {
    const { partnerId, ownerToken } = await partnerWithCustomer(server, credits(10));
    const other = await partnerWithCustomer(server, credits(10));
    const { secret } = await createKey(partnerId, ownerToken, ['TRANSFERS_WRITE', 'USAGE_READ']);
    expect(codes(await transfer(secret, other.customerId))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(BALANCES, { id: other.partnerId }, secret))).toEqual(['FORBIDDEN']);
  });

  it("is recorded as the actor of its transfers: history and the top-up report show the key's id and name", async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(10));
    const { secret, apiKey } = await createKey(partnerId, ownerToken, ['TRANSFERS_WRITE', 'USAGE_READ', 'REPORTS_READ'], 'billing sync');
    const result = await transfer(secret, customerId, '2');
    expect(result.errors).toEqual([]);
    const nodes = (await server.ok(HISTORY, { id: partnerId }, secret)).creditHistory.edges.map((edge: any) => edge.node);
    expect(nodes[0].source.actor).toEqual({ userId: `apikey:${apiKey.id}`, role: null, apiKey: { id: apiKey.id, name: 'billing sync' } });
    const { creditTopUpReport } = await server.ok(TOP_UP_REPORT, { period }, secret);
    expect(creditTopUpReport.rows.filter((row: any) => row.kind === 'TRANSFER')).toEqual([
      expect.objectContaining({ actor: `apikey:${apiKey.id}`, actorRole: null, actorName: 'billing sync' }),
    ]);
    // The CSV names the key too, in the same column as GraphQL.
    const csv = await fetch(`${server.url}/reports/top-ups.csv?${new URLSearchParams(period)}`, { headers: { authorization: `Bearer ${secret}` } });
    expect(csv.status).toBe(200);
    expect(parseCsv(await csv.text()).filter((row) => row.kind === 'TRANSFER')).toEqual([
      expect.objectContaining({ actor: `apikey:${apiKey.id}`, actorRole: '', actorName: 'billing sync' }),
    ]);
  });

  it('stops working once revoked', async () => {
    const { partnerId, ownerToken } = await partnerWithCustomer(server, 0n);
    const { secret, apiKey } = await createKey(partnerId, ownerToken, ['USAGE_READ']);
    await server.ok(BALANCES, { id: partnerId }, secret);
    const { revokeApiKey } = await server.ok(REVOKE, { id: apiKey.id }, ownerToken);
    expect(revokeApiKey.revokedAt).not.toBeNull();
    const refused = await server.call(BALANCES, { id: partnerId }, secret);
    expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(codes(await server.call(ROLL, { input: { id: apiKey.id, overlapSeconds: 0 } }, ownerToken))).toEqual(['BAD_USER_INPUT']);
  });

  it("honours a rolled key's old secret during the overlap only", async () => {
    const { partnerId, ownerToken } = await partnerWithCustomer(server, 0n);
    const { secret: first, apiKey } = await createKey(partnerId, ownerToken, ['USAGE_READ']);
    await server.ok(BALANCES, { id: partnerId }, first);
    const { rollApiKey } = await server.ok(ROLL, { input: { id: apiKey.id, overlapSeconds: 2 } }, ownerToken);
    const second: string = rollApiKey.secret;
    expect(second).not.toBe(first);
    expect(second.startsWith(`ck_test_${apiKey.id}`)).toBe(true);
    await server.ok(BALANCES, { id: partnerId }, first);
    await server.ok(BALANCES, { id: partnerId }, second);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(codes(await server.call(BALANCES, { id: partnerId }, first))).toEqual(['UNAUTHENTICATED']);
    await server.ok(BALANCES, { id: partnerId }, second);
    // Without an overlap the old secret stops at once.
    const { rollApiKey: again } = await server.ok(ROLL, { input: { id: apiKey.id, overlapSeconds: 0 } }, ownerToken);
    expect(codes(await server.call(BALANCES, { id: partnerId }, second))).toEqual(['UNAUTHENTICATED']);
    await server.ok(BALANCES, { id: partnerId }, again.secret);
  });

  it('is in the audit trail: its creation, roll and revocation by the OWNER, and the rules it sets as the actor', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, 0n);
    const { secret, apiKey } = await createKey(partnerId, ownerToken, ['TRANSFERS_WRITE']);
    const setRule =
      'mutation ($id: ID!) { setAutoTransferRule(input: { customerAccountId: $id, threshold: "1", targetBalance: "2", monthlyCap: "3" }) { id } }';
    await server.ok(setRule, { id: customerId }, secret);
    await server.ok(ROLL, { input: { id: apiKey.id, overlapSeconds: 0 } }, ownerToken);
    await server.ok(REVOKE, { id: apiKey.id }, ownerToken);
    const { auditLog } = await server.ok<any>(
      'query ($id: ID!) { auditLog(accountId: $id, first: 20) { edges { node { action targetId actor { kind apiKeyId role } before after } } } }',
      { id: partnerId },
      ownerToken,
    );
    // The account's own creation by the admin comes first; then what the key and its OWNER did.
    const entries = auditLog.edges
      .map((edge: any) => edge.node)
      .reverse()
      .filter((entry: any) => entry.action !== 'ACCOUNT_CREATED');
    expect(entries.map((entry: any) => [entry.action, entry.actor.kind])).toEqual([
      ['API_KEY_CREATED', 'USER'],
      ['AUTO_TRANSFER_RULE_SET', 'API_KEY'],
      ['API_KEY_ROTATED', 'USER'],
      ['API_KEY_REVOKED', 'USER'],
    ]);
    expect(entries[1].actor.apiKeyId).toBe(apiKey.id);
    expect(entries.filter((entry: any) => entry.action.startsWith('API_KEY')).every((entry: any) => entry.targetId === apiKey.id)).toBe(true);
    expect(JSON.parse(entries[0].after)).toMatchObject({ name: 'nightly script', scopes: ['transfers:write'] });
    // The secret is never in an entry.
    expect(JSON.stringify(entries)).not.toContain(secret.slice(apiKey.prefix.length));
  });

  it('refuses a mistyped key by its checksum, before any database lookup', async () => {
    const { partnerId, ownerToken } = await partnerWithCustomer(server, 0n);
    const { secret } = await createKey(partnerId, ownerToken, ['USAGE_READ']);
    const position = 30;
    const typo = secret.slice(0, position) + (secret[position] === 'a' ? 'b' : 'a') + secret.slice(position + 1);
    const before = server.services.apiKeyVerifier.databaseLookups;
    const refused = await server.call(BALANCES, { id: partnerId }, typo);
    expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(server.services.apiKeyVerifier.databaseLookups).toBe(before);
    // The real key costs one lookup, and then none while it is cached.
    await server.ok(BALANCES, { id: partnerId }, secret);
    await server.ok(BALANCES, { id: partnerId }, secret);
    expect(server.services.apiKeyVerifier.databaseLookups).toBe(before + 1);
  });

  it('records lastUsedAt at most once a minute, not per request', async () => {
    const { partnerId, ownerToken } = await partnerWithCustomer(server, 0n);
    const { secret, apiKey } = await createKey(partnerId, ownerToken, ['USAGE_READ']);
    await server.ok(BALANCES, { id: partnerId }, secret);
    const firstUse = async () => (await server.services.runner.read((manager) => manager.findOneByOrFail(ApiKeyEntity, { id: apiKey.id }))).lastUsedAt;
    for (let attempt = 0; attempt < 50 && (await firstUse()) === null; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
    const recorded = await firstUse();
    expect(recorded).not.toBeNull();
    for (let request = 0; request < 5; request++) await server.ok(BALANCES, { id: partnerId }, secret);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await firstUse())!.getTime()).toBe(recorded!.getTime());
  });

  it('refuses a key of the other environment and a key that has expired', async () => {
    const accountId = await createAccount(server);
    const ownerToken = await server.userToken(accountId, Role.OWNER);
    const { secret, apiKey } = await createKey(accountId, ownerToken, ['USAGE_READ']);
    expect(codes(await server.call(BALANCES, { id: accountId }, secret.replace('ck_test_', 'ck_live_')))).toEqual(['UNAUTHENTICATED']);
    await server.services.runner.transaction((manager) => manager.update(ApiKeyEntity, { id: apiKey.id }, { expiresAt: new Date(Date.now() - 1000) }));
    server.services.apiKeyVerifier.forget(apiKey.id);
    expect(codes(await server.call(BALANCES, { id: accountId }, secret))).toEqual(['UNAUTHENTICATED']);
  });
});
