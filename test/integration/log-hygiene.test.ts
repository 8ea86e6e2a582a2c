import { SignJWT } from 'jose';
import { Role } from '../../src/auth/principal';
import { CREATE_API_KEY } from '../support/api-keys';
import { CARDS, saveCard } from '../support/auto-recharge';
import { createAccount, UPDATE_BILLING } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';
import { createTopUp, waitForStatus, type Buyer } from '../support/top-ups';
import { eventually, WebhookReceiver } from '../support/webhook-receiver';

/** Values that appear nowhere but in this tour's requests, so finding one in a log line is a leak. */
const BILLING = {
  entityType: 'COMPANY',
  legalName: 'Quillfeather Zyxwv Holdings 7731',
  taxCode: '0317731773',
  addressLine1: '77 Vexilloid Lane 7731',
  addressLine2: 'Floor Q7731',
  city: 'Ho Chi Minh City',
  country: 'VN',
  postalCode: '773177',
  invoiceEmail: 'zq-invoices-7731@billing-hygiene.example',
};
const CREATE_ENDPOINT = /* GraphQL */ `
  mutation Create($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      secret
      endpoint {
        id
      }
    }
  }
`;

describe('logs carry no secrets and no personal data', () => {
  let server: TestServer;
  const lines: string[] = [];
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    // Every line the server writes, at the most verbose level.
    server = await startTestServer({ env: { LOG_LEVEL: 'trace' }, logDestination: { write: (line: string) => void lines.push(line) } });
  });
  afterAll(async () => {
    await server.stop();
    await receiver.close();
  });

  it('finds none of the tour’s tokens, secrets, card numbers or billing values in any log line', async () => {
    const accountId = await createAccount(server, { region: 'VN', status: 'ACTIVE' });
    const token = await server.userToken(accountId);
    const buyer: Buyer = { accountId, token };
    const secrets: string[] = [token, ...Object.values(BILLING).filter((value) => value.includes('7731'))];

    // Billing information with distinctive values, once valid and once refused (a refusal must not log the input either).
    await server.ok(UPDATE_BILLING, { accountId, input: BILLING }, token);
    const refused = await server.call(UPDATE_BILLING, { accountId, input: { ...BILLING, invoiceEmail: 'not-an-email-7731-refused' } }, token);
    expect(refused.errors.length).toBeGreaterThan(0);
    secrets.push('not-an-email-7731-refused');

    // A webhook endpoint and its signing secret; the deliveries it then receives are signed with it.
    const created = await server.ok(CREATE_ENDPOINT, { input: { accountId, url: receiver.url, events: ['TOP_UP_STATUS_CHANGED'] } }, token);
    secrets.push(created.createWebhookEndpoint.secret);

    // A card saved through the stand-in (3-D Secure on the way), then a top-up paid at the provider.
    await saveCard(server, buyer, '4000002500003155');
    secrets.push('4000002500003155', CARDS.succeeds);
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '25' });
    secrets.push(topUp.payment.clientSecret);
    const intent = server.standIns.stripe.findIntentByTopUpId(topUp.id)!;
    expect((await server.standIns.stripe.succeed(intent.id)).delivery?.status).toBe(200);
    await waitForStatus(server, buyer, topUp.id, 'SUCCEEDED');
    await eventually(async () => (receiver.received.length > 0 ? true : undefined), 'a signed delivery');
    for (const delivery of receiver.received)
      secrets.push(
        String(delivery.headers['credits-signature'] ?? '')
          .split(',')
          .pop()!,
      );

    // Refused credentials: a forged token, one signed with another key, and one over the size limit.
    const forged = await new SignJWT({ account_id: accountId, role: 'OWNER' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('intruder-7731')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('k'.repeat(40)));
    const oversized = `${'A'.repeat(9000)}.b.c`;
    for (const credential of [forged, oversized, 'not.a.token-7731']) {
      expect((await server.call('{ me { subject } }', {}, credential)).errors[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    secrets.push(forged, 'not.a.token-7731');
    // An API key: created (the secret answered once), used, sent mistyped, then revoked and sent again.
    const owner = await server.userToken(accountId, Role.OWNER);
    const { createApiKey } = await server.ok(CREATE_API_KEY, { input: { accountId, name: 'log-hygiene-7731', scopes: ['USAGE_READ'] } }, owner);
    const apiKey: string = createApiKey.secret;
    await server.ok('query ($id: ID!) { balances(accountId: $id) { totalBalance } }', { id: accountId }, apiKey);
    const mistyped = `${apiKey.slice(0, -1)}${apiKey.endsWith('A') ? 'B' : 'A'}`;
    expect((await server.call('{ me { subject } }', {}, mistyped)).errors[0].extensions?.code).toBe('UNAUTHENTICATED');
    await server.ok('mutation ($id: ID!) { revokeApiKey(id: $id) { id } }', { id: createApiKey.apiKey.id }, owner);
    expect((await server.call('{ me { subject } }', {}, apiKey)).errors[0].extensions?.code).toBe('UNAUTHENTICATED');
    secrets.push(apiKey, mistyped, apiKey.slice(createApiKey.apiKey.prefix.length));
    // A CSV export whose URL carries the token-like values as query parameters.
    await fetch(`${server.url}/history.csv?accountId=${accountId}&cursor=cursor-value-7731`, { headers: { authorization: `Bearer ${token}` } });
    secrets.push('cursor-value-7731');
    await server.settle();

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(10);
    expect(log).toContain('"msg":"request"');
    const found = secrets.filter((secret) => secret.length >= 8 && log.includes(secret));
    expect(found).toEqual([]);
    // Not even a fragment of a token: no JWT-shaped string at all.
    expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/);
  });
});
