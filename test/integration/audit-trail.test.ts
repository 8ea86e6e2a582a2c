import { createBuyer } from '../support/top-ups';
import { codes, startTestServer, type GraphQLResult, type TestServer } from '../support/harness';
import { createAccount, UPDATE_BILLING, VALID_BILLING } from '../support/fixtures';
import { partnerWithCustomer } from '../support/partners';
import { PAUSE_AUTO_RECHARGE, REMOVE_AUTO_RECHARGE, saveCard, SET_AUTO_RECHARGE } from '../support/auto-recharge';
import { Role } from '../../src/auth/principal';
import { buildCreditsSchema } from '../../src/server/schema';
import { serviceActor } from '../../src/audit/actor';
import { AuditAction } from '../../src/audit/audit.enums';
import { recordAudit } from '../../src/audit/audit-recorder';
import { AuditLogEntity } from '../../src/audit/entities/audit-log.entity';

const AUDIT_LOG = /* GraphQL */ `
  query AuditLog($accountId: ID, $filter: AuditLogFilterInput, $first: Int, $after: String) {
    auditLog(accountId: $accountId, filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          createdAt
          actor {
            kind
            subject
            role
            accountId
            apiKeyId
          }
          address
          requestId
          action
          targetType
          targetId
          accountId
          before
          after
          reason
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        endCursor
      }
    }
  }
`;

interface Entry {
  id: string;
  createdAt: string;
  actor: { kind: string; subject: string; role: string | null; accountId: string | null; apiKeyId: string | null };
  address: string | null;
  requestId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  accountId: string | null;
  before: string | null;
  after: string | null;
  reason: string | null;
}

const LOCAL_ADDRESSES = ['127.0.0.1', '::1'];

describe('audit trail', () => {
  let server: TestServer;
  let admin: string;
  let requestSerial = 0;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.adminToken();
  });
  afterAll(async () => {
    await server.stop();
  });

  /** One GraphQL request over real HTTP with a chosen X-Request-Id. */
  async function callWithRequestId<T = any>(
    query: string,
    variables: Record<string, unknown>,
    token: string,
  ): Promise<{ result: GraphQLResult<T>; requestId: string }> {
    const requestId = `audit-test-${process.pid}-${++requestSerial}`;
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: GraphQLResult['errors'] };
    return { result: { data: body.data ?? null, errors: body.errors ?? [] }, requestId };
  }

  async function okWithRequestId<T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<{ data: T; requestId: string }> {
    const { result, requestId } = await callWithRequestId<T>(query, variables, token);
    if (result.errors.length > 0) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return { data: result.data as T, requestId };
  }

  async function entries(accountId: string | null, filter: Record<string, unknown> = {}, token = admin): Promise<Entry[]> {
    const data = await server.ok(AUDIT_LOG, { accountId, filter, first: 100 }, token);
    return data.auditLog.edges.map((edge: { node: Entry }) => edge.node);
  }

  /** The single entry with this request id (each audited request writes exactly one). */
  async function entryOf(accountId: string, requestId: string): Promise<Entry> {
    const found = (await entries(accountId)).filter((entry) => entry.requestId === requestId);
    expect(found).toHaveLength(1);
    return found[0];
  }

  const json = (text: string | null) => (text === null ? null : JSON.parse(text));

  it('records platform-admin actions: account creation, status changes and grants, with actor, address and request id', async () => {
    const id = `audit-acct-${process.pid}-${Date.now().toString(36)}`;
    const created = await okWithRequestId(
      'mutation ($input: CreateAccountInput!) { createAccount(input: $input) { id } }',
      { input: { id, kind: 'CUSTOMER', name: 'Audit Lane Ltd', region: 'VN' } },
      admin,
    );
    const createdEntry = await entryOf(id, created.requestId);
    expect(createdEntry).toMatchObject({
      action: 'ACCOUNT_CREATED',
      targetType: 'ACCOUNT',
      targetId: id,
      accountId: id,
      actor: { kind: 'ADMIN', subject: 'admin', role: null, accountId: null, apiKeyId: null },
      before: null,
    });
    expect(LOCAL_ADDRESSES).toContain(createdEntry.address);
    expect(json(createdEntry.after)).toMatchObject({ kind: 'CUSTOMER', status: 'PENDING', name: 'Audit Lane Ltd', region: 'VN', partnerId: null });

    const activated = await okWithRequestId('mutation ($id: ID!) { setAccountStatus(accountId: $id, status: ACTIVE) { id } }', { id }, admin);
    const statusEntry = await entryOf(id, activated.requestId);
    expect(statusEntry.action).toBe('ACCOUNT_STATUS_CHANGED');
    expect(json(statusEntry.before)).toEqual({ status: 'PENDING' });
    expect(json(statusEntry.after)).toEqual({ status: 'ACTIVE' });

    const granted = await okWithRequestId(
      'mutation ($input: GrantPromotionalCreditsInput!) { grantPromotionalCredits(input: $input) { grant { id } } }',
      { input: { accountId: id, amount: '12.5', reason: 'Apology for the outage', idempotencyKey: `audit-grant-${requestSerial}` } },
      admin,
    );
    const grantEntry = await entryOf(id, granted.requestId);
    expect(grantEntry).toMatchObject({
      action: 'PROMOTIONAL_CREDITS_GRANTED',
      targetType: 'PROMOTIONAL_GRANT',
      targetId: granted.data.grantPromotionalCredits.grant.id,
      reason: 'Apology for the outage',
    });
    expect(json(grantEntry.after)).toMatchObject({ amountMicros: '12500000', expiresAt: null });
  });

  it('records billing-information changes with the fields before and after, by the user who made them', async () => {
    const accountId = await createAccount(server);
    const owner = await server.userToken(accountId, Role.OWNER);
    const first = await okWithRequestId(UPDATE_BILLING, { accountId, input: VALID_BILLING }, owner);
    const firstEntry = await entryOf(accountId, first.requestId);
    expect(firstEntry.action).toBe('BILLING_INFO_CHANGED');
    expect(firstEntry.before).toBeNull();
    expect(json(firstEntry.after)).toMatchObject({
      legalName: VALID_BILLING.legalName,
      taxCode: VALID_BILLING.taxCode,
      invoiceEmail: VALID_BILLING.invoiceEmail,
    });
    expect(firstEntry.actor).toMatchObject({ kind: 'USER', role: 'OWNER', accountId });

    const billingAdmin = await server.userToken(accountId, Role.BILLING_ADMIN);
    const second = await okWithRequestId(UPDATE_BILLING, { accountId, input: { ...VALID_BILLING, legalName: 'Renamed Trading Co' } }, billingAdmin);
    const secondEntry = await entryOf(accountId, second.requestId);
    expect(json(secondEntry.before)).toMatchObject({ legalName: VALID_BILLING.legalName });
    expect(json(secondEntry.after)).toMatchObject({ legalName: 'Renamed Trading Co' });
    expect(secondEntry.actor).toMatchObject({ kind: 'USER', role: 'BILLING_ADMIN', accountId });
    expect(secondEntry.actor.subject).not.toBe(firstEntry.actor.subject);
  });

  it('records thresholds and webhook endpoints (creation, change, secret rotation, removal) and never a secret', async () => {
    const accountId = await createAccount(server);
    const owner = await server.userToken(accountId, Role.OWNER);
    const thresholds = await okWithRequestId('mutation ($id: ID!) { setBalanceThresholds(accountId: $id, thresholds: ["5", "20"]) }', { id: accountId }, owner);
    const thresholdEntry = await entryOf(accountId, thresholds.requestId);
    expect(thresholdEntry.action).toBe('BALANCE_THRESHOLDS_SET');
    expect(json(thresholdEntry.before)).toEqual({ measure: 'TOTAL', thresholdsMicros: [] });
    expect(json(thresholdEntry.after)).toEqual({ measure: 'TOTAL', thresholdsMicros: ['20000000', '5000000'] });

    const created = await okWithRequestId(
      'mutation ($id: ID!) { createWebhookEndpoint(input: { accountId: $id, url: "http://127.0.0.1:9/audit", events: [BALANCE_LOW] }) { endpoint { id } secret } }',
      { id: accountId },
      owner,
    );
    const endpointId = created.data.createWebhookEndpoint.endpoint.id;
    const secrets = [created.data.createWebhookEndpoint.secret];
    const updated = await okWithRequestId(
      'mutation ($id: ID!) { updateWebhookEndpoint(input: { endpointId: $id, enabled: false }) { id } }',
      { id: endpointId },
      owner,
    );
    const rotated = await okWithRequestId(
      'mutation ($id: ID!) { rotateWebhookSecret(endpointId: $id, overlapSeconds: 60) { secret } }',
      { id: endpointId },
      owner,
    );
    secrets.push(rotated.data.rotateWebhookSecret.secret);
    const deleted = await okWithRequestId('mutation ($id: ID!) { deleteWebhookEndpoint(endpointId: $id) }', { id: endpointId }, owner);

    const createdEntry = await entryOf(accountId, created.requestId);
    expect(createdEntry).toMatchObject({ action: 'WEBHOOK_ENDPOINT_CREATED', targetType: 'WEBHOOK_ENDPOINT', targetId: endpointId, before: null });
    expect(json(createdEntry.after)).toMatchObject({ url: 'http://127.0.0.1:9/audit', status: 'ACTIVE' });
    const updatedEntry = await entryOf(accountId, updated.requestId);
    expect(json(updatedEntry.before)).toMatchObject({ status: 'ACTIVE' });
    expect(json(updatedEntry.after)).toMatchObject({ status: 'DISABLED' });
    const rotatedEntry = await entryOf(accountId, rotated.requestId);
    expect(rotatedEntry.action).toBe('WEBHOOK_SECRET_ROTATED');
    expect(json(rotatedEntry.after)).toMatchObject({ overlapSeconds: 60 });
    const deletedEntry = await entryOf(accountId, deleted.requestId);
    expect(deletedEntry).toMatchObject({ action: 'WEBHOOK_ENDPOINT_DELETED', after: null });

    const everything = JSON.stringify(await entries(accountId));
    for (const secret of secrets) expect(everything).not.toContain(secret);
    const rows = JSON.stringify(await server.services.dataSource.getRepository(AuditLogEntity).findBy({ accountId }));
    for (const secret of secrets) expect(rows).not.toContain(secret);
  });

  it('records saved cards (by the provider webhook) and the auto-recharge rule (set, pause, resume, remove)', async () => {
    // Cards are saved by accounts that may buy: with billing information.
    const { accountId, token: owner } = await createBuyer(server);
    const cardId = await saveCard(server, { accountId, token: owner });
    const [cardEntry] = await entries(accountId, { actions: ['SAVED_CARD_ADDED'] });
    expect(cardEntry).toMatchObject({ targetType: 'SAVED_CARD', targetId: cardId, actor: { kind: 'SERVICE', subject: 'stripe-webhook' } });
    expect(json(cardEntry.after)).toMatchObject({ last4: '4242' });
    expect(cardEntry.after).not.toContain('4242424242424242');

    const set = await okWithRequestId(
      SET_AUTO_RECHARGE,
      { input: { accountId, threshold: '5', amount: '10', monthlyCap: '50', paymentMethodId: cardId } },
      owner,
    );
    const setEntry = await entryOf(accountId, set.requestId);
    expect(setEntry).toMatchObject({ action: 'AUTO_RECHARGE_SET', before: null });
    expect(json(setEntry.after)).toMatchObject({ thresholdMicros: '5000000', amountMicros: '10000000', monthlyCapMicros: '50000000', paymentMethodId: cardId });
    const paused = await okWithRequestId(PAUSE_AUTO_RECHARGE, { accountId, paused: true }, owner);
    expect(json((await entryOf(accountId, paused.requestId)).after)).toEqual({ status: 'PAUSED' });
    const resumed = await okWithRequestId(PAUSE_AUTO_RECHARGE, { accountId, paused: false }, owner);
    expect((await entryOf(accountId, resumed.requestId)).action).toBe('AUTO_RECHARGE_RESUMED');
    const removed = await okWithRequestId(REMOVE_AUTO_RECHARGE, { accountId }, owner);
    const removedEntry = await entryOf(accountId, removed.requestId);
    expect(removedEntry.action).toBe('AUTO_RECHARGE_REMOVED');
    expect(json(removedEntry.before)).toMatchObject({ thresholdMicros: '5000000', status: 'ACTIVE' });
    const detached = await okWithRequestId('mutation ($id: ID!) { removeSavedPaymentMethod(id: $id) }', { id: cardId }, owner);
    expect(await entryOf(accountId, detached.requestId)).toMatchObject({
      action: 'SAVED_CARD_REMOVED',
      targetType: 'SAVED_CARD',
      targetId: cardId,
      actor: { kind: 'USER', role: 'OWNER' },
    });
  });

  it("records a partner's auto-transfer rule on the partner's account, and shows the partner's staff to the customer by kind only", async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, 0n);
    const setRule =
      'mutation ($id: ID!) { setAutoTransferRule(input: { customerAccountId: $id, threshold: "1", targetBalance: "2", monthlyCap: "3" }) { id } }';
    const set = await okWithRequestId(setRule, { id: customerId }, ownerToken);
    const ruleId = set.data.setAutoTransferRule.id;
    const paused = await okWithRequestId('mutation ($id: ID!) { pauseAutoTransferRule(customerAccountId: $id) { id } }', { id: customerId }, ownerToken);
    const resumed = await okWithRequestId('mutation ($id: ID!) { resumeAutoTransferRule(customerAccountId: $id) { id } }', { id: customerId }, ownerToken);
    const removed = await okWithRequestId('mutation ($id: ID!) { removeAutoTransferRule(customerAccountId: $id) }', { id: customerId }, ownerToken);
    const expected: [string, string][] = [
      [set.requestId, 'AUTO_TRANSFER_RULE_SET'],
      [paused.requestId, 'AUTO_TRANSFER_RULE_PAUSED'],
      [resumed.requestId, 'AUTO_TRANSFER_RULE_RESUMED'],
      [removed.requestId, 'AUTO_TRANSFER_RULE_REMOVED'],
    ];
    for (const [requestId, action] of expected) {
      expect(await entryOf(partnerId, requestId)).toMatchObject({ action, targetType: 'AUTO_TRANSFER_RULE', targetId: ruleId, accountId: partnerId });
    }
    expect(json((await entryOf(partnerId, set.requestId)).after)).toMatchObject({ customerAccountId: customerId, thresholdMicros: '1000000' });
    // The partner's own OWNER sees its staff in full.
    const partnerView = await entries(partnerId, {}, ownerToken);
    expect(partnerView.find((entry) => entry.requestId === set.requestId)?.actor.accountId).toBe(partnerId);

    // The partner's staff sets the customer's thresholds: the customer's OWNER sees that a partner
    // user did it, but not who, from where, or with which request.
    const partnerThresholds = await okWithRequestId(
      'mutation ($id: ID!) { setBalanceThresholds(accountId: $id, thresholds: ["7"]) }',
      { id: customerId },
      ownerToken,
    );
    const partnerSubject = (await entryOf(customerId, partnerThresholds.requestId)).actor.subject;
    const customerOwner = await server.userToken(customerId, Role.OWNER);
    const customerView = await entries(customerId, {}, customerOwner);
    const seen = customerView.find((entry) => entry.action === 'BALANCE_THRESHOLDS_SET');
    expect(seen).toMatchObject({ actor: { kind: 'USER', subject: 'partner', role: null, accountId: null, apiKeyId: null }, address: null, requestId: null });
    expect(JSON.stringify(customerView)).not.toContain(partnerSubject);
    // The entry names no partner account as the actor's (the customer knows its partner as Account.partnerId).
    expect(JSON.stringify(seen)).not.toContain(partnerId);
    // Nor can the customer look the partner's staff up by subject.
    expect(await entries(customerId, { actor: partnerSubject }, customerOwner)).toEqual([]);
    // The customer's own log has none of the partner's rule entries.
    expect(customerView.some((entry) => entry.action.startsWith('AUTO_TRANSFER_RULE'))).toBe(false);
  });

  it('writes no entry for a change that fails', async () => {
    const accountId = await createAccount(server);
    const owner = await server.userToken(accountId, Role.OWNER);
    const before = (await entries(accountId)).length;
    // A status change the lifecycle refuses, a closed account's billing update, a bad threshold.
    const refusedStatus = await callWithRequestId('mutation ($id: ID!) { setAccountStatus(accountId: $id, status: PENDING) { id } }', { id: accountId }, admin);
    expect(codes(refusedStatus.result)).toEqual(['BAD_USER_INPUT']);
    const badThreshold = await callWithRequestId(
      'mutation ($id: ID!) { setBalanceThresholds(accountId: $id, thresholds: ["5", "5"]) }',
      { id: accountId },
      owner,
    );
    expect(codes(badThreshold.result)).toEqual(['BAD_USER_INPUT']);
    await server.ok('mutation ($id: ID!) { setAccountStatus(accountId: $id, status: CLOSED) { id } }', { id: accountId }, admin);
    const closedBilling = await callWithRequestId(UPDATE_BILLING, { accountId, input: VALID_BILLING }, owner);
    expect(codes(closedBilling.result)).toEqual(['ACCOUNT_NOT_ACTIVE']);
    const after = await entries(accountId);
    expect(after).toHaveLength(before + 1); // the CLOSED status change only
    for (const failed of [refusedStatus, badThreshold, closedBilling]) expect(after.some((entry) => entry.requestId === failed.requestId)).toBe(false);

    // The recorder writes in the caller's transaction: when that transaction fails after the entry
    // was written, the entry is rolled back with it.
    const marker = `rolled-back-${process.pid}-${Date.now()}`;
    await expect(
      server.services.runner.transaction(async (manager) => {
        await recordAudit(manager, serviceActor('audit-test'), { action: AuditAction.ACCOUNT_UPDATED, targetType: 'ACCOUNT', targetId: marker, accountId });
        throw new Error('the change failed after its entry was written');
      }),
    ).rejects.toThrow('the change failed');
    expect(await server.services.dataSource.getRepository(AuditLogEntity).countBy({ targetId: marker })).toBe(0);
  });

  it('pages newest first and filters by action, actor and period', async () => {
    const accountId = await createAccount(server);
    const owner = await server.userToken(accountId, Role.OWNER);
    for (const amount of ['1', '2', '3']) {
      await server.ok('mutation ($id: ID!, $t: [Credits!]!) { setBalanceThresholds(accountId: $id, thresholds: $t) }', { id: accountId, t: [amount] }, owner);
    }
    const all = await entries(accountId);
    // ACCOUNT_CREATED (by the admin, created ACTIVE) and three threshold changes, newest first.
    expect(all.map((entry) => entry.action)).toEqual(['BALANCE_THRESHOLDS_SET', 'BALANCE_THRESHOLDS_SET', 'BALANCE_THRESHOLDS_SET', 'ACCOUNT_CREATED']);
    expect(all.map((entry) => Number(entry.id))).toEqual([...all.map((entry) => Number(entry.id))].sort((a, b) => b - a));

    const firstPage = (await server.ok(AUDIT_LOG, { accountId, first: 3 }, owner)).auditLog;
    expect(firstPage.edges.map((edge: { node: Entry }) => edge.node.id)).toEqual(all.slice(0, 3).map((entry) => entry.id));
    expect(firstPage.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const secondPage = (await server.ok(AUDIT_LOG, { accountId, first: 3, after: firstPage.pageInfo.endCursor }, owner)).auditLog;
    expect(secondPage.edges.map((edge: { node: Entry }) => edge.node.id)).toEqual([all[3].id]);
    expect(secondPage.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    expect((await entries(accountId, { actions: ['ACCOUNT_CREATED'] })).map((entry) => entry.id)).toEqual([all[3].id]);
    expect((await entries(accountId, { actor: 'admin' })).map((entry) => entry.id)).toEqual([all[3].id]);
    expect((await entries(accountId, { actor: all[0].actor.subject })).map((entry) => entry.id)).toEqual(all.slice(0, 3).map((entry) => entry.id));
    const from = new Date(Date.parse(all[2].createdAt)).toISOString();
    const inPeriod = await entries(accountId, { from });
    expect(inPeriod.map((entry) => entry.id)).toEqual(all.filter((entry) => Date.parse(entry.createdAt) >= Date.parse(from)).map((entry) => entry.id));
    expect(await entries(accountId, { to: '2000-01-01T00:00:00Z' })).toEqual([]);

    // The admin without an account reads across accounts.
    const everywhere = await server.ok(AUDIT_LOG, { first: 100 }, admin);
    const accounts = new Set(everywhere.auditLog.edges.map((edge: { node: Entry }) => edge.node.accountId));
    expect(accounts.size).toBeGreaterThan(1);

    expect(codes(await server.call(AUDIT_LOG, { accountId, first: 0 }, owner))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await server.call(AUDIT_LOG, { accountId, first: 5, after: 'not-a-cursor' }, owner))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await server.call(AUDIT_LOG, { accountId, filter: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } }, owner))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  it("lets the platform admin read all and an account's OWNER its own account only", async () => {
    const accountId = await createAccount(server);
    const other = await createAccount(server);
    const owner = await server.userToken(accountId, Role.OWNER);
    expect((await server.ok(AUDIT_LOG, { first: 10 }, owner)).auditLog.edges.every((edge: { node: Entry }) => edge.node.accountId === accountId)).toBe(true);
    expect(codes(await server.call(AUDIT_LOG, { accountId: other }, owner))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(AUDIT_LOG, { accountId }, await server.userToken(accountId, Role.VIEWER)))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(AUDIT_LOG, { accountId }, await server.userToken(accountId, Role.BILLING_ADMIN)))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(AUDIT_LOG, { accountId }, await server.meteringToken()))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(AUDIT_LOG, { accountId }))).toEqual(['UNAUTHENTICATED']);
  });

  it('cannot be changed: the API has no path to, and the database refuses UPDATE and DELETE', async () => {
    const schema = await buildCreditsSchema();
    const mutations = Object.keys(schema.getMutationType()!.getFields());
    expect(mutations.filter((name) => /audit/i.test(name))).toEqual([]);

    const repository = server.services.dataSource.getRepository(AuditLogEntity);
    const [entry] = await repository.find({ order: { id: 'DESC' }, take: 1 });
    expect(entry).toBeDefined();
    await expect(repository.update({ id: entry.id }, { reason: 'rewritten' })).rejects.toThrow(/append-only/);
    await expect(repository.delete({ id: entry.id })).rejects.toThrow(/append-only/);
    await expect(server.services.dataSource.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    const unchanged = await repository.findOneByOrFail({ id: entry.id });
    expect(unchanged.reason).toBe(entry.reason);
  });
});
