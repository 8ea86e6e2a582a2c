import { checkDestination, HostLookup, RefusedDestinationError } from '../../src/notifications/webhooks/destination-guard';
import { WebhookDeliveryEntity } from '../../src/notifications/webhooks/entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from '../../src/notifications/webhooks/entities/webhook-endpoint.entity';
import { WebhookEndpointStatus, WebhookEventType } from '../../src/notifications/webhooks/webhook.enums';
import { createAccount } from '../support/fixtures';
import { RECORD_USAGE, usageEvent } from '../support/partners';
import { eventually } from '../support/webhook-receiver';
import { codes, PRODUCTION_ENV, startTestServer, TestServer } from '../support/harness';
import { WebhookReceiver } from '../support/webhook-receiver';

/** A resolver with fixed answers, standing in for DNS (the names are the test's own). */
const fakeDns: HostLookup = async (hostname) => {
  const answers: Record<string, { address: string; family: number }[]> = {
    'loopback.test': [{ address: '127.0.0.1', family: 4 }],
    'private.test': [{ address: '10.1.2.3', family: 4 }],
    'metadata.test': [{ address: '169.254.169.254', family: 4 }],
    'ipv6-loopback.test': [{ address: '::1', family: 6 }],
    'mapped.test': [{ address: '::ffff:192.168.1.1', family: 6 }],
    'mixed.test': [
      { address: '93.184.216.34', family: 4 },
      { address: '172.16.0.9', family: 4 },
    ],
    'public.test': [{ address: '93.184.216.34', family: 4 }],
  };
  const answer = answers[hostname];
  if (!answer) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return answer;
};

describe('webhook destinations (SSRF guard)', () => {
  const production = { allowLoopback: false, lookup: fakeDns };
  const development = { allowLoopback: true, lookup: fakeDns };
  const refused = (url: string, policy = production) => expect(checkDestination(url, policy)).rejects.toBeInstanceOf(RefusedDestinationError);

  it('refuses host names resolving to loopback, private, link-local and IPv4-mapped private addresses in production', async () => {
    for (const host of ['loopback.test', 'private.test', 'metadata.test', 'ipv6-loopback.test', 'mapped.test', 'mixed.test', 'unknown.test']) {
      await refused(`https://${host}/hook`);
    }
  });

  it('refuses literal private addresses in every spelling', async () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://127.1.2.3/',
      'http://10.0.0.1/',
      'http://192.168.0.10/',
      'http://172.31.255.255/',
      'http://169.254.169.254/latest/meta-data',
      'http://0.0.0.0/',
      'http://[::1]/',
      'http://[fe80::1]/',
      'http://[fd00::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[64:ff9b::a00:1]/',
    ]) {
      await refused(url);
    }
  });

  it('resolves the real localhost to a loopback address and refuses it in production', async () => {
    await expect(checkDestination('http://localhost:9/hook', { allowLoopback: false })).rejects.toThrow(/loopback/);
  });

  it('allows public addresses, and outside production loopback (only)', async () => {
    await expect(checkDestination('https://public.test/hook', production)).resolves.toMatchObject({ address: '93.184.216.34', family: 4 });
    await expect(checkDestination('http://loopback.test:8080/hook', development)).resolves.toMatchObject({ address: '127.0.0.1' });
    await expect(checkDestination('http://[::1]:8080/hook', development)).resolves.toMatchObject({ address: '::1', family: 6 });
    await refused('http://private.test/hook', development);
    await refused('http://metadata.test/hook', development);
    await refused('ftp://public.test/hook', development);
    await refused('https://user:pass@public.test/hook', development);
  });

  describe('a server started with NODE_ENV=production', () => {
    let server: TestServer;
    let receiver: WebhookReceiver;
    beforeAll(async () => {
      server = await startTestServer({
        env: PRODUCTION_ENV,
      });
      receiver = await WebhookReceiver.start();
    });
    afterAll(async () => {
      await server.stop();
      await receiver.close();
    });

    it('refuses to register a local receiver, by address or by name', async () => {
      const accountId = await createAccount(server);
      const owner = await server.userToken(accountId);
      for (const url of [receiver.url, receiver.url.replace('127.0.0.1', 'localhost'), 'http://169.254.169.254/', 'http://10.0.0.8/hook']) {
        const result = await server.call(
          `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`,
          { input: { accountId, url, events: ['BALANCE_LOW'] } },
          owner,
        );
        expect(codes(result)).toEqual(['BAD_USER_INPUT']);
        expect(result.errors[0].message).toMatch(/not allowed/);
      }
      expect(receiver.received).toHaveLength(0);
    });

    it('checks the destination again at every attempt: an endpoint whose address turned private gets nothing', async () => {
      // As if the name resolved to a public address at registration and to a loopback one now (DNS rebinding).
      const accountId = await createAccount(server);
      const now = new Date();
      await server.services.runner.transaction((manager) =>
        manager.insert(WebhookEndpointEntity, {
          id: `whe_rebound_${Date.now()}`,
          accountId,
          url: receiver.url,
          events: WebhookEventType.ACCOUNT_DEPLETED,
          description: null,
          status: WebhookEndpointStatus.ACTIVE,
          secret: 'whsec_test',
          previousSecret: null,
          previousSecretExpiresAt: null,
          consecutiveFailures: 0,
          failingSince: null,
          disabledAt: null,
          disabledReason: null,
          createdAt: now,
          updatedAt: now,
        }),
      );
      await server.ok(RECORD_USAGE, { events: [usageEvent(accountId, '1')] }, await server.meteringToken());
      const delivery = await eventually(async () => {
        const rows = await server.services.runner.read((manager) =>
          manager.find(WebhookDeliveryEntity, { where: { eventType: WebhookEventType.ACCOUNT_DEPLETED } }),
        );
        return rows.find((row) => row.attempts === 1);
      }, 'the first attempt');
      expect(delivery.lastError).toMatch(/destination refused: .*loopback/);
      expect(delivery.lastResponseCode).toBeNull();
      expect(receiver.received).toHaveLength(0);
    });
  });
});
