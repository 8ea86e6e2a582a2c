import fs from 'node:fs';
import path from 'node:path';
import { Role } from '../../src/auth/principal';
import { LedgerTransactionType, WalletKind } from '../../src/ledger/ledger.enums';
import { createAccount, newKey } from '../support/fixtures';
import { codes, startTestServer, TestServer } from '../support/harness';
import { credits, partnerWithCustomer, RECLAIM, TRANSFER } from '../support/partners';
import { verifyCreditsSignature } from '../support/verify-webhook-signature';
import { eventually, unreachableUrl, WebhookReceiver } from '../support/webhook-receiver';

const CREATE_ENDPOINT = /* GraphQL */ `
  mutation Create($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      secret
      endpoint {
        id
        accountId
        url
        events
        status
      }
    }
  }
`;
const ENDPOINTS = /* GraphQL */ `
  query Endpoints($accountId: ID!) {
    webhookEndpoints(accountId: $accountId) {
      id
      url
      events
      status
      disabledReason
      consecutiveFailures
      previousSecretExpiresAt
    }
  }
`;
const DELIVERIES = /* GraphQL */ `
  query Deliveries($endpointId: ID!, $first: Int, $after: String) {
    webhookDeliveries(endpointId: $endpointId, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          eventId
          eventType
          status
          attempts
          lastResponseCode
          lastError
          payload
          recentAttempts {
            responseCode
            succeeded
            error
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
const REDELIVER = /* GraphQL */ `
  mutation Redeliver($deliveryId: ID!) {
    redeliverWebhook(deliveryId: $deliveryId) {
      id
      status
      attempts
    }
  }
`;
const ROTATE = /* GraphQL */ `
  mutation Rotate($endpointId: ID!, $overlapSeconds: Int) {
    rotateWebhookSecret(endpointId: $endpointId, overlapSeconds: $overlapSeconds) {
      secret
      endpoint {
        id
        previousSecretExpiresAt
      }
    }
  }
`;
const UPDATE_ENDPOINT = /* GraphQL */ `
  mutation Update($input: UpdateWebhookEndpointInput!) {
    updateWebhookEndpoint(input: $input) {
      id
      url
      events
      status
      disabledReason
    }
  }
`;
const DELETE_ENDPOINT = /* GraphQL */ `
  mutation Delete($endpointId: ID!) {
    deleteWebhookEndpoint(endpointId: $endpointId)
  }
`;

/** Fast retries so the retry and disabling paths take well under a second. */
const FAST_WEBHOOKS = {
  WEBHOOK_RETRY_BASE_DELAY_MS: '40',
  WEBHOOK_RETRY_MAX_DELAY_MS: '150',
  WEBHOOK_RETRY_WINDOW_MS: '60000',
  WEBHOOK_DISABLE_AFTER_FAILURES: '5',
  WEBHOOK_DISABLE_AFTER_MS: '0',
  WEBHOOK_POLL_INTERVAL_MS: '100',
  WEBHOOK_TIMEOUT_MS: '3000',
};

const ENDPOINTS_OF_ID_PROBE = /* GraphQL */ `
  query Deliveries($endpointId: ID!) {
    webhookDeliveries(endpointId: $endpointId, first: 1) {
      pageInfo {
        hasNextPage
      }
    }
  }
`;

describe('outbound webhooks', () => {
  let server: TestServer;
  const receivers: WebhookReceiver[] = [];
  const receiver = async (fallbackStatus = 200) => {
    const started = await WebhookReceiver.start(fallbackStatus);
    receivers.push(started);
    return started;
  };

  beforeAll(async () => {
    server = await startTestServer({ env: FAST_WEBHOOKS });
  });
  afterAll(async () => {
    await server.stop();
    await Promise.all(receivers.map((started) => started.close()));
  });

  async function endpointFor(accountId: string, url: string, events: string[], token?: string) {
    const result = await server.ok(CREATE_ENDPOINT, { input: { accountId, url, events } }, token ?? (await server.userToken(accountId, Role.OWNER)));
    return result.createWebhookEndpoint as { secret: string; endpoint: { id: string } };
  }
  async function deliveries(endpointId: string, accountId: string) {
    const page = await server.ok(DELIVERIES, { endpointId, first: 50 }, await server.userToken(accountId, Role.OWNER));
    return page.webhookDeliveries.edges.map((edge: any) => edge.node) as any[];
  }
  async function transfer(fixture: { customerId: string; ownerToken: string }, amount: string) {
    return server.call(TRANSFER, { input: { customerAccountId: fixture.customerId, amount, idempotencyKey: newKey() } }, fixture.ownerToken);
  }

  it('signs each delivery so that the documented recipe verifies it, with the event id in a header', async () => {
    const fixture = await partnerWithCustomer(server, credits(100));
    const hook = await receiver();
    const { secret } = await endpointFor(fixture.customerId, hook.url, ['TRANSFER_IN']);
    const partnerHook = await receiver();
    await endpointFor(fixture.partnerId, partnerHook.url, ['TRANSFER_OUT'], fixture.ownerToken);
    expect(codes(await transfer(fixture, '7'))).toEqual([]);

    const [request] = await hook.waitFor(1);
    const envelope = JSON.parse(request.rawBody);
    expect(envelope).toMatchObject({
      type: 'TRANSFER_IN',
      accountId: fixture.customerId,
      data: { amount: '7.000000', balances: { totalBalance: '7.000000' } },
    });
    expect(envelope.id).toMatch(/^evt_\d+$/);
    expect(new Date(envelope.createdAt).toISOString()).toBe(envelope.createdAt);
    expect(request.headers['credits-event-id']).toBe(envelope.id);
    const signature = request.headers['credits-signature'] as string;
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyCreditsSignature(request.rawBody, signature, secret)).toBe(true);
    expect(verifyCreditsSignature(request.rawBody, signature, `${secret}x`)).toBe(false);
    expect(verifyCreditsSignature(request.rawBody.replace('7.000000', '8.000000'), signature, secret)).toBe(false);

    const [partnerRequest] = await partnerHook.waitFor(1);
    expect(JSON.parse(partnerRequest.rawBody)).toMatchObject({ type: 'TRANSFER_OUT', accountId: fixture.partnerId, data: { amount: '-7.000000' } });
  });

  it('announces a reclaim to both sides: RECLAIM_OUT to the customer, RECLAIM_IN to the partner', async () => {
    const fixture = await partnerWithCustomer(server, credits(100));
    expect(codes(await transfer(fixture, '10'))).toEqual([]);
    const customerHook = await receiver();
    await endpointFor(fixture.customerId, customerHook.url, ['RECLAIM_OUT']);
    const partnerHook = await receiver();
    await endpointFor(fixture.partnerId, partnerHook.url, ['RECLAIM_IN'], fixture.ownerToken);
    const input = { customerAccountId: fixture.customerId, amount: '4', idempotencyKey: newKey() };
    expect(codes(await server.call(RECLAIM, { input }, fixture.ownerToken))).toEqual([]);

    const [customerRequest] = await customerHook.waitFor(1);
    expect(JSON.parse(customerRequest.rawBody)).toMatchObject({
      type: 'RECLAIM_OUT',
      accountId: fixture.customerId,
      data: { amount: '-4.000000', balances: { topUpBalance: '6.000000' } },
    });
    const [partnerRequest] = await partnerHook.waitFor(1);
    expect(JSON.parse(partnerRequest.rawBody)).toMatchObject({
      type: 'RECLAIM_IN',
      accountId: fixture.partnerId,
      data: { amount: '4.000000', balances: { topUpBalance: '94.000000' } },
    });
    // A dry run and a replay announce nothing more.
    await server.ok(RECLAIM, { input: { ...input, idempotencyKey: newKey(), dryRun: true } }, fixture.ownerToken);
    await server.ok(RECLAIM, { input }, fixture.ownerToken);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(customerHook.received).toHaveLength(1);
    expect(partnerHook.received).toHaveLength(1);
  });

  it('keeps the documented recipe (docs/guides/webhooks-and-thresholds.md) and the code the tests verify with identical', () => {
    const guide = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'guides', 'webhooks-and-thresholds.md'), 'utf8');
    const recipe = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'demo', 'webhook-receiver', 'verify-credits-signature.ts'), 'utf8').trim();
    expect(guide).toContain(recipe);
  });

  it('signs with both secrets while a rotation overlaps, and only the new one without overlap', async () => {
    const fixture = await partnerWithCustomer(server, credits(100));
    const hook = await receiver();
    const { secret: oldSecret, endpoint } = await endpointFor(fixture.customerId, hook.url, ['TRANSFER_IN']);
    const owner = await server.userToken(fixture.customerId, Role.OWNER);
    const rotated = (await server.ok(ROTATE, { endpointId: endpoint.id, overlapSeconds: 3600 }, owner)).rotateWebhookSecret;
    expect(rotated.secret).not.toBe(oldSecret);
    expect(rotated.endpoint.previousSecretExpiresAt).not.toBeNull();
    await transfer(fixture, '1');
    const [during] = await hook.waitFor(1);
    const header = during.headers['credits-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verifyCreditsSignature(during.rawBody, header, rotated.secret)).toBe(true);
    expect(verifyCreditsSignature(during.rawBody, header, oldSecret)).toBe(true);

    const again = (await server.ok(ROTATE, { endpointId: endpoint.id, overlapSeconds: 0 }, owner)).rotateWebhookSecret;
    await transfer(fixture, '1');
    const [, after] = await hook.waitFor(2);
    const afterHeader = after.headers['credits-signature'] as string;
    expect(afterHeader).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyCreditsSignature(after.rawBody, afterHeader, again.secret)).toBe(true);
    expect(verifyCreditsSignature(after.rawBody, afterHeader, rotated.secret)).toBe(false);
  });

  it('retries a receiver that fails 3 times: one successful delivery, 4 attempts in the log', async () => {
    const fixture = await partnerWithCustomer(server, credits(100));
    const hook = await receiver();
    hook.answerNext(500, 503, 500);
    const { endpoint } = await endpointFor(fixture.customerId, hook.url, ['TRANSFER_IN']);
    await transfer(fixture, '3');

    const delivered = await eventually(async () => {
      const [delivery] = await deliveries(endpoint.id, fixture.customerId);
      return delivery?.status === 'SUCCEEDED' ? delivery : undefined;
    }, 'the delivery to succeed');
    expect(delivered).toMatchObject({ attempts: 4, lastResponseCode: 200, lastError: null, eventType: 'TRANSFER_IN' });
    expect(delivered.recentAttempts.map((attempt: any) => attempt.responseCode)).toEqual([200, 500, 503, 500]);
    expect(hook.received.map((request) => request.answeredStatus)).toEqual([500, 503, 500, 200]);
    expect(new Set(hook.received.map((request) => request.rawBody)).size).toBe(1);
    expect(new Set(hook.received.map((request) => request.headers['credits-event-id'])).size).toBe(1);
    // Nothing more arrives after the success.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(hook.received.filter((request) => request.answeredStatus === 200)).toHaveLength(1);
    const [state] = (await server.ok(ENDPOINTS, { accountId: fixture.customerId }, await server.userToken(fixture.customerId))).webhookEndpoints;
    expect(state).toMatchObject({ status: 'ACTIVE', consecutiveFailures: 0 });
  });

  it('redelivers on request: the same body and event id, freshly signed, logged as one more attempt', async () => {
    const fixture = await partnerWithCustomer(server, credits(100));
    const hook = await receiver();
    const { endpoint, secret } = await endpointFor(fixture.customerId, hook.url, ['TRANSFER_IN']);
    await transfer(fixture, '2');
    await hook.waitFor(1);
    const [delivery] = await eventually(async () => {
      const rows = await deliveries(endpoint.id, fixture.customerId);
      return rows[0]?.status === 'SUCCEEDED' ? rows : undefined;
    }, 'the first delivery');
    const owner = await server.userToken(fixture.customerId, Role.BILLING_ADMIN);
    expect((await server.ok(REDELIVER, { deliveryId: delivery.id }, owner)).redeliverWebhook.status).toBe('PENDING');
    const [first, second] = await hook.waitFor(2);
    expect(second.rawBody).toBe(first.rawBody);
    expect(second.headers['credits-event-id']).toBe(first.headers['credits-event-id']);
    expect(verifyCreditsSignature(second.rawBody, second.headers['credits-signature'] as string, secret)).toBe(true);
    const redelivered = await eventually(async () => {
      const [row] = await deliveries(endpoint.id, fixture.customerId);
      return row.status === 'SUCCEEDED' && row.attempts === 2 ? row : undefined;
    }, 'the redelivery to be logged');
    expect(redelivered.recentAttempts).toHaveLength(2);

    const viewer = await server.userToken(fixture.customerId, Role.VIEWER);
    expect(codes(await server.call(REDELIVER, { deliveryId: delivery.id }, viewer))).toEqual(['FORBIDDEN']);
    const stranger = await server.userToken(await createAccount(server), Role.OWNER);
    expect(codes(await server.call(REDELIVER, { deliveryId: delivery.id }, stranger))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(DELIVERIES, { endpointId: endpoint.id }, stranger))).toEqual(['FORBIDDEN']);
  });

  it('disables an endpoint whose receiver is down for good, fails its deliveries, and tells the account', async () => {
    const fixture = await partnerWithCustomer(server, credits(100));
    const notices = await receiver();
    await endpointFor(fixture.customerId, notices.url, ['WEBHOOK_ENDPOINT_DISABLED']);
    const { endpoint } = await endpointFor(fixture.customerId, await unreachableUrl(), ['TRANSFER_IN']);
    await transfer(fixture, '1');

    const owner = await server.userToken(fixture.customerId);
    const disabled = await eventually(async () => {
      const rows = (await server.ok(ENDPOINTS, { accountId: fixture.customerId }, owner)).webhookEndpoints;
      return rows.find((row: any) => row.id === endpoint.id && row.status === 'DISABLED');
    }, 'the endpoint to be disabled');
    expect(disabled.consecutiveFailures).toBe(5);
    expect(disabled.disabledReason).toMatch(/5 failed attempts in a row/);
    const [delivery] = await deliveries(endpoint.id, fixture.customerId);
    expect(delivery).toMatchObject({ status: 'FAILED', attempts: 5, lastResponseCode: null });
    expect(delivery.recentAttempts.every((attempt: any) => !attempt.succeeded && /connection failed/.test(attempt.error))).toBe(true);

    const [notice] = await notices.waitFor(1);
    expect(JSON.parse(notice.rawBody)).toMatchObject({ type: 'WEBHOOK_ENDPOINT_DISABLED', accountId: fixture.customerId, data: { endpointId: endpoint.id } });

    // A disabled endpoint gets no new deliveries, and redelivery asks for it to be enabled first.
    await transfer(fixture, '1');
    await server.services.outbox.drain();
    expect(await deliveries(endpoint.id, fixture.customerId)).toHaveLength(1);
    expect(codes(await server.call(REDELIVER, { deliveryId: delivery.id }, owner))).toEqual(['BAD_USER_INPUT']);
    const enabled = (await server.ok(UPDATE_ENDPOINT, { input: { endpointId: endpoint.id, enabled: true } }, owner)).updateWebhookEndpoint;
    expect(enabled).toMatchObject({ status: 'ACTIVE', disabledReason: null });
  });

  it('sends nothing for a transaction that rolled back', async () => {
    const fixture = await partnerWithCustomer(server, credits(5));
    const hook = await receiver();
    const { endpoint } = await endpointFor(fixture.customerId, hook.url, ['TRANSFER_IN']);
    expect(codes(await transfer(fixture, '50'))).toEqual(['INSUFFICIENT_CREDITS']);
    // A posting that committed nothing: its transaction throws after the ledger wrote the movement and its outbox row.
    await expect(
      server.services.runner.transaction(async (manager) => {
        await server.services.ledger.post(manager, {
          type: LedgerTransactionType.TRANSFER,
          idempotencyKey: `rolled-back:${newKey()}`,
          legs: [
            { accountId: fixture.partnerId, walletKind: WalletKind.TOPUP, amountMicros: -credits(1) },
            { accountId: fixture.customerId, walletKind: WalletKind.TOPUP, amountMicros: credits(1) },
          ],
        });
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    // A committed transfer afterwards is the marker: once it arrives, anything earlier would have too.
    expect(codes(await transfer(fixture, '2'))).toEqual([]);
    const [only] = await hook.waitFor(1);
    expect(JSON.parse(only.rawBody).data.amount).toBe('2.000000');
    await server.services.outbox.drain();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hook.received).toHaveLength(1);
    expect(await deliveries(endpoint.id, fixture.customerId)).toHaveLength(1);
  });

  it('does not make a second delivery when an event is consumed again', async () => {
    const fixture = await partnerWithCustomer(server, credits(10));
    const hook = await receiver();
    const { endpoint } = await endpointFor(fixture.customerId, hook.url, ['TRANSFER_IN']);
    await transfer(fixture, '1');
    await hook.waitFor(1);
    // Let the drain that delivered it finish first: resetting rows it still holds would be two
    // drains consuming one event at once (the unique key then fails the later one, which is retried).
    await server.services.outbox.drain();
    // As if the process died after consuming but before marking: every event is consumed again.
    await server.services.runner.transaction((manager) => manager.query('UPDATE outbox_event SET publishedAt = NULL, leaseOwner = NULL, leaseUntil = NULL'));
    await server.services.outbox.drain();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await deliveries(endpoint.id, fixture.customerId)).toHaveLength(1);
    expect(hook.received).toHaveLength(1);
  });

  it('manages endpoints: validation, authorisation, update, delete, and the secret never read back', async () => {
    const fixture = await partnerWithCustomer(server, credits(10));
    const hook = await receiver();
    const owner = await server.userToken(fixture.customerId, Role.OWNER);
    const create = (input: Record<string, unknown>, token = owner) =>
      server.call(CREATE_ENDPOINT, { input: { accountId: fixture.customerId, url: hook.url, events: ['BALANCE_LOW'], ...input } }, token);
    expect(codes(await create({ url: 'ftp://example.com/x' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await create({ url: 'not a url' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await create({ url: 'http://10.0.0.5/hook' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await create({ url: 'http://169.254.169.254/latest/meta-data' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await create({ events: [] }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await create({}, await server.userToken(fixture.customerId, Role.VIEWER)))).toEqual(['FORBIDDEN']);
    expect(codes(await create({}, await server.adminToken()))).toEqual(['FORBIDDEN']);
    expect(codes(await create({}, await server.userToken(await createAccount(server, { kind: 'PARTNER' }))))).toEqual(['FORBIDDEN']);
    expect(codes(await create({}, fixture.ownerToken))).toEqual([]);
    const created = (await create({})).data.createWebhookEndpoint;
    expect(created.secret).toMatch(/^whsec_/);

    const updated = (await server.ok(UPDATE_ENDPOINT, { input: { endpointId: created.endpoint.id, events: ['ACCOUNT_DEPLETED', 'BALANCE_LOW'] } }, owner))
      .updateWebhookEndpoint;
    expect(updated.events).toEqual(['ACCOUNT_DEPLETED', 'BALANCE_LOW']);
    expect((await server.ok(ENDPOINTS, { accountId: fixture.customerId }, await server.adminToken())).webhookEndpoints).toHaveLength(2);
    expect(codes(await server.call(ENDPOINTS, { accountId: fixture.customerId }, await server.userToken(fixture.customerId, Role.VIEWER)))).toEqual([
      'FORBIDDEN',
    ]);
    const secretField = await server.call(`query($a: ID!) { webhookEndpoints(accountId: $a) { secret } }`, { a: fixture.customerId }, owner);
    expect(codes(secretField)).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    expect((await server.ok(DELETE_ENDPOINT, { endpointId: created.endpoint.id }, owner)).deleteWebhookEndpoint).toBe(true);
    // A deleted (or never created) endpoint answers like another account's: no probing of ids.
    expect(codes(await server.call(DELETE_ENDPOINT, { endpointId: created.endpoint.id }, owner))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(ENDPOINTS_OF_ID_PROBE, { endpointId: created.endpoint.id }, owner))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(ENDPOINTS_OF_ID_PROBE, { endpointId: created.endpoint.id }, await server.adminToken()))).toEqual(['NOT_FOUND']);
    expect(codes(await server.call(REDELIVER, { deliveryId: '999999999' }, owner))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(DELETE_ENDPOINT, { endpointId: created.endpoint.id }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await server.call(REDELIVER, { deliveryId: '1' }))).toEqual(['UNAUTHENTICATED']);
    expect((await server.ok(ENDPOINTS, { accountId: fixture.customerId }, owner)).webhookEndpoints).toHaveLength(1);
  });
});
