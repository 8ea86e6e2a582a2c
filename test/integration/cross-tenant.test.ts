import { Role } from '../../src/auth/principal';
import { startTestServer, TestServer } from '../support/harness';
import { HISTORY_WITH_SOURCES } from '../support/history-sources';
import { credits, partnerWithCustomer, RECLAIM, RECORD_USAGE, TRANSFER, TRANSFER_BATCH, usageEvent } from '../support/partners';
import { collect, connect } from '../support/subscriptions';
import { eventually, WebhookReceiver } from '../support/webhook-receiver';

const CREATE_ENDPOINT = /* GraphQL */ `
  mutation Create($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      endpoint {
        id
      }
    }
  }
`;
const HISTORY_WITH_REFERENCE = /* GraphQL */ `
  query History($accountId: ID!) {
    creditHistory(accountId: $accountId, first: 50) {
      edges {
        node {
          id
          type
          amount
          reference
          description
          counterparty {
            accountId
            name
          }
        }
      }
    }
  }
`;
const BALANCE_CHANGED = /* GraphQL */ `
  subscription BalanceChanged($accountId: ID!) {
    balanceChanged(accountId: $accountId) {
      eventId
      accountId
      totalBalance
      topUpBalance
      promotionalBalance
      movementType
      amount
    }
  }
`;

/** The subject a signed test token carries (its `sub` claim). */
const subjectOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).sub;

/**
 * A partner's internals (its idempotency keys, its staff's identities) never reach its customer:
 * not through GraphQL, the history CSV, webhook deliveries or subscriptions. The partner itself and
 * the platform admin still see its references.
 */
describe('nothing crosses tenants', () => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    server = await startTestServer();
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver?.close();
    await server?.stop();
  });

  it("shows the customer none of its partner's keys or staff, through every route it can read", async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(100));
    const customerToken = await server.userToken(customerId, Role.OWNER);
    const marker = `${process.pid}${Date.now()}`;
    const keys = { transfer: `partner-secret-transfer-${marker}`, batch: `partner-secret-batch-${marker}`, reclaim: `partner-secret-reclaim-${marker}` };
    const staffSubject = subjectOf(ownerToken);

    // The customer listens before anything moves: a webhook endpoint for its incoming and outgoing
    // credits, and a balanceChanged subscription.
    await server.ok(CREATE_ENDPOINT, { input: { accountId: customerId, url: receiver.url, events: ['TRANSFER_IN', 'RECLAIM_OUT'] } }, customerToken);
    const subscription = collect(connect(server.websocketUrl, customerToken), BALANCE_CHANGED, { accountId: customerId }, { currentStateFirst: true });
    await new Promise((resolve) => setTimeout(resolve, 200));

    await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '10', idempotencyKey: keys.transfer } }, ownerToken);
    await server.ok(
      TRANSFER_BATCH,
      { input: { idempotencyKey: keys.batch, mode: 'ALL_OR_NOTHING', rows: [{ customerAccountId: customerId, amount: '5' }] } },
      ownerToken,
    );
    await server.ok(RECLAIM, { input: { customerAccountId: customerId, amount: '3', idempotencyKey: keys.reclaim } }, ownerToken);
    await server.settle();

    const deliveries = await eventually(
      async () => (receiver.received.length >= 3 ? receiver.received : undefined),
      'three webhook deliveries to the customer',
    );
    await subscription.waitFor(3);
    await subscription.close();

    const history = await server.ok<any>(HISTORY_WITH_REFERENCE, { accountId: customerId }, customerToken);
    const withSources = await server.ok<any>(HISTORY_WITH_SOURCES, { accountId: customerId, first: 50 }, customerToken);
    const csv = await fetch(`${server.url}/history.csv?accountId=${customerId}`, { headers: { authorization: `Bearer ${customerToken}` } });
    expect(csv.status).toBe(200);

    const seenByTheCustomer = [
      JSON.stringify(history),
      JSON.stringify(withSources),
      await csv.text(),
      ...deliveries.map((delivery) => delivery.rawBody),
      JSON.stringify(subscription.events),
    ].join('\n');
    // The routes did answer with the movements (three partner postings), so the scan reads something.
    expect(history.creditHistory.edges.map((edge: any) => edge.node.type).sort()).toEqual(['RECLAIM_OUT', 'TRANSFER_IN', 'TRANSFER_IN']);
    expect(subscription.events).toHaveLength(3);
    for (const secret of [...Object.values(keys), staffSubject]) expect(seenByTheCustomer).not.toContain(secret);
    expect(history.creditHistory.edges.every((edge: any) => edge.node.reference === null)).toBe(true);

    // The partner reads its customer's history with its own references, and so does the admin.
    for (const token of [ownerToken, await server.adminToken()]) {
      const seen = JSON.stringify(await server.ok<any>(HISTORY_WITH_REFERENCE, { accountId: customerId }, token));
      for (const key of Object.values(keys)) expect(seen).toContain(key);
    }
    const partnerCsv = await (await fetch(`${server.url}/history.csv?accountId=${partnerId}`, { headers: { authorization: `Bearer ${ownerToken}` } })).text();
    expect(partnerCsv).toContain(keys.transfer);
  });
  it("shows the customer neither the key nor the rule's actor of an auto-transfer its partner's rule made", async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(100));
    const customerToken = await server.userToken(customerId, Role.OWNER);
    const rule = (
      await server.ok<any>(
        'mutation ($id: ID!) { setAutoTransferRule(input: { customerAccountId: $id, threshold: "5", targetBalance: "20", monthlyCap: "100" }) { id } }',
        { id: customerId },
        ownerToken,
      )
    ).setAutoTransferRule;
    await server.ok(
      TRANSFER,
      { input: { customerAccountId: customerId, amount: '10', idempotencyKey: `partner-secret-seed-${process.pid}-${Date.now()}` } },
      ownerToken,
    );
    // The customer's usage takes it from 10 below the threshold of 5: the rule tops it up to 20.
    const used = await server.ok<any>(RECORD_USAGE, { events: [usageEvent(customerId, '6')] }, await server.meteringToken());
    expect(used.recordUsage.appliedCount).toBe(1);
    for (let round = 0; round < 3; round++) {
      await server.services.outbox.drain();
      await server.services.autoTransferWorker.drain();
    }
    const ruleKey = `auto-transfer:${rule.id}:`;
    const ruleActor = `auto-transfer-rule:${rule.id}`;

    const history = await server.ok<any>(HISTORY_WITH_REFERENCE, { accountId: customerId }, customerToken);
    const withSources = await server.ok<any>(HISTORY_WITH_SOURCES, { accountId: customerId, first: 50 }, customerToken);
    const csv = await (await fetch(`${server.url}/history.csv?accountId=${customerId}`, { headers: { authorization: `Bearer ${customerToken}` } })).text();
    // The auto-transfer did happen (USAGE, then the rule's TRANSFER_IN of 16, newest first).
    expect(history.creditHistory.edges.map((edge: any) => [edge.node.type, edge.node.amount])).toEqual([
      ['TRANSFER_IN', '16.000000'],
      ['USAGE', '-6.000000'],
      ['TRANSFER_IN', '10.000000'],
    ]);
    const seenByTheCustomer = [JSON.stringify(history), JSON.stringify(withSources), csv].join('\n');
    expect(seenByTheCustomer).not.toContain(ruleKey);
    expect(seenByTheCustomer).not.toContain(ruleActor);

    // The partner sees the rule's key on its customer's row and the rule as the actor on its own.
    expect(JSON.stringify(await server.ok<any>(HISTORY_WITH_REFERENCE, { accountId: customerId }, ownerToken))).toContain(ruleKey);
    expect(JSON.stringify(await server.ok<any>(HISTORY_WITH_SOURCES, { accountId: partnerId, first: 50 }, ownerToken))).toContain(ruleActor);
  });
});
