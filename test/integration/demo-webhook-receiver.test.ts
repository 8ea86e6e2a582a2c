import { signatureHeader } from '../../src/notifications/webhooks/signature';
import { newKey } from '../support/fixtures';
import { PRODUCTION_ENV, startTestServer, TestServer } from '../support/harness';
import { credits, partnerWithCustomer, TRANSFER } from '../support/partners';
import { eventually } from '../support/webhook-receiver';

const CREATE_ENDPOINT = /* GraphQL */ `
  mutation Create($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      endpoint {
        id
      }
    }
  }
`;
const DELIVERIES = /* GraphQL */ `
  query Deliveries($endpointId: ID!) {
    webhookDeliveries(endpointId: $endpointId, first: 10) {
      edges {
        node {
          status
          attempts
          lastResponseCode
        }
      }
    }
  }
`;

describe("the embedded demo's webhook receiver", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { WEBHOOK_POLL_INTERVAL_MS: '100' } });
  });
  afterAll(async () => {
    await server.stop();
  });

  const receiverUrl = () => `${server.url}/demo/webhook-receiver`;
  const received = async (): Promise<any[]> => {
    const response = await fetch(receiverUrl(), { headers: { accept: 'application/json' } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { received: any[] }).received;
  };

  it('receives the deliveries of an endpoint registered to it, verifies their signatures and lists them', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(100));
    const { endpoint } = (await server.ok(CREATE_ENDPOINT, { input: { accountId: partnerId, url: receiverUrl(), events: ['TRANSFER_OUT'] } }, ownerToken))
      .createWebhookEndpoint;
    await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '7', idempotencyKey: newKey() } }, ownerToken);

    const [delivery] = await eventually(async () => {
      const mine = (await received()).filter((item) => item.envelope?.accountId === partnerId);
      return mine.length > 0 ? mine : undefined;
    }, 'the transfer to reach the demo receiver');
    expect(delivery).toMatchObject({
      signatureVerified: true,
      answeredStatus: 204,
      envelope: { type: 'TRANSFER_OUT', accountId: partnerId, data: { amount: '-7.000000' } },
    });
    expect(delivery.eventId).toBe(delivery.envelope.id);
    expect(delivery.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const log = await eventually(async () => {
      const edges = (await server.ok(DELIVERIES, { endpointId: endpoint.id }, ownerToken)).webhookDeliveries.edges;
      return edges[0]?.node.status === 'SUCCEEDED' ? edges : undefined;
    }, 'the delivery log to show the success');
    expect(log.map((edge: any) => edge.node)).toEqual([{ status: 'SUCCEEDED', attempts: 1, lastResponseCode: 204 }]);

    const page = await fetch(receiverUrl(), { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('TRANSFER_OUT');
    expect(html).toContain(delivery.eventId);
  });

  it('answers 400 to a delivery whose signature does not verify, and shows it as not verified', async () => {
    const { partnerId, ownerToken } = await partnerWithCustomer(server, 0n);
    await server.ok(CREATE_ENDPOINT, { input: { accountId: partnerId, url: receiverUrl(), events: ['TRANSFER_OUT'] } }, ownerToken);
    const body = JSON.stringify({
      id: 'evt_forged',
      type: 'TRANSFER_OUT',
      createdAt: new Date().toISOString(),
      accountId: partnerId,
      data: { note: '<script>' },
    });
    const forged = await fetch(receiverUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'credits-event-id': 'evt_forged',
        'credits-signature': signatureHeader(body, ['whsec_guessed'], Math.floor(Date.now() / 1000)),
      },
      body,
    });
    expect(forged.status).toBe(400);
    const listed = (await received()).find((item) => item.eventId === 'evt_forged');
    expect(listed).toMatchObject({ signatureVerified: false, answeredStatus: 400, envelope: { accountId: partnerId } });
    const html = await (await fetch(receiverUrl(), { headers: { accept: 'text/html' } })).text();
    expect(html).toContain('NOT verified');
    expect(html).not.toContain('<script>');
    expect(await server.audit()).toEqual([]);
  });

  it('is not there in production', async () => {
    const production = await startTestServer({ env: PRODUCTION_ENV });
    try {
      expect((await fetch(`${production.url}/demo/webhook-receiver`)).status).toBe(404);
      expect((await fetch(`${production.url}/demo/webhook-receiver`, { method: 'POST', body: '{}' })).status).toBe(404);
    } finally {
      await production.stop();
    }
  });
});
