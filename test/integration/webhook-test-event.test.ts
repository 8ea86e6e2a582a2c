import { Role } from '../../src/auth/principal';
import { createAccount } from '../support/fixtures';
import { codes, startTestServer, TestServer } from '../support/harness';
import { credits, fundTopUp } from '../support/partners';
import { verifyCreditsSignature } from '../support/verify-webhook-signature';
import { eventually, WebhookReceiver } from '../support/webhook-receiver';

const CREATE_ENDPOINT = `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }`;
const SEND_TEST = `mutation ($id: ID!) { sendTestWebhook(endpointId: $id) }`;
const DISABLE = `mutation ($id: ID!) { updateWebhookEndpoint(input: { endpointId: $id, enabled: false }) { status } }`;
const DELIVERIES = `query ($id: ID!) { webhookDeliveries(endpointId: $id, first: 10) { edges { node { id eventType status attempts } } } }`;
const BALANCES = `query ($id: ID!) { balances(accountId: $id) { totalBalance } }`;
const HISTORY = `query ($id: ID!) { creditHistory(accountId: $id, first: 10) { edges { node { type } } } }`;

describe('sendTestWebhook', () => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    server = await startTestServer({ env: { WEBHOOK_RETRY_BASE_DELAY_MS: '40', WEBHOOK_RETRY_MAX_DELAY_MS: '150', WEBHOOK_POLL_INTERVAL_MS: '100' } });
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });

  it('delivers a signed PING to that endpoint only, through the delivery log and its retries, moving no money', async () => {
    const accountId = await createAccount(server);
    await fundTopUp(server, accountId, credits(5));
    const owner = await server.userToken(accountId, Role.OWNER);
    const { createWebhookEndpoint } = await server.ok(CREATE_ENDPOINT, { input: { accountId, url: receiver.url, events: ['BALANCE_LOW'] } }, owner);
    const other = await server.ok(CREATE_ENDPOINT, { input: { accountId, url: `${receiver.url}/other`, events: ['BALANCE_LOW'] } }, owner);
    const endpointId: string = createWebhookEndpoint.endpoint.id;
    await server.settle();
    const historyBefore = await server.ok(HISTORY, { id: accountId }, owner);
    const requestsBefore = receiver.received.length;

    // The first attempt fails; the delivery path retries it.
    receiver.answerNext(500);
    expect(await server.ok(SEND_TEST, { id: endpointId }, owner)).toEqual({ sendTestWebhook: true });
    const delivered = await eventually(async () => {
      const { webhookDeliveries } = await server.ok(DELIVERIES, { id: endpointId }, owner);
      const node = webhookDeliveries.edges[0]?.node;
      return node?.status === 'SUCCEEDED' ? node : undefined;
    }, 'the PING delivered');
    expect(delivered).toMatchObject({ eventType: 'PING', attempts: 2 });

    const pings = receiver.received.slice(requestsBefore);
    expect(pings.map((request) => request.answeredStatus)).toEqual([500, 200]);
    const envelope = JSON.parse(pings[1].rawBody);
    expect(envelope).toMatchObject({ type: 'PING', accountId, data: { endpointId } });
    expect(verifyCreditsSignature(pings[1].rawBody, pings[1].headers['credits-signature'] as string, createWebhookEndpoint.secret)).toBe(true);
    const otherDeliveries = await server.ok(DELIVERIES, { id: other.createWebhookEndpoint.endpoint.id }, owner);
    expect(otherDeliveries.webhookDeliveries.edges).toEqual([]);

    expect((await server.ok(BALANCES, { id: accountId }, owner)).balances.totalBalance).toBe('5.000000');
    expect(await server.ok(HISTORY, { id: accountId }, owner)).toEqual(historyBefore);
  });

  it('refuses a disabled endpoint, and a VIEWER', async () => {
    const accountId = await createAccount(server);
    const owner = await server.userToken(accountId, Role.OWNER);
    const { createWebhookEndpoint } = await server.ok(CREATE_ENDPOINT, { input: { accountId, url: receiver.url, events: ['BALANCE_LOW'] } }, owner);
    const id = createWebhookEndpoint.endpoint.id;
    expect(codes(await server.call(SEND_TEST, { id }, await server.userToken(accountId, Role.VIEWER)))).toEqual(['FORBIDDEN']);
    await server.ok(DISABLE, { id }, owner);
    expect(codes(await server.call(SEND_TEST, { id }, owner))).toEqual(['BAD_USER_INPUT']);
  });
});
