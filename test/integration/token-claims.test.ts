import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { createAccount } from '../support/fixtures';
import { BALANCES } from '../support/foundation';
import { startTestServer, TestServer } from '../support/harness';

/**
 * A token can be correctly signed and still carry claims of the wrong type. Each such token is
 * refused as UNAUTHENTICATED (401) on every door: /graphql, the WebSocket connection_init and the
 * CSV routes; never an internal error.
 */
describe('tokens whose claims have the wrong type', () => {
  let server: TestServer;
  let accountId: string;
  beforeAll(async () => {
    server = await startTestServer();
    accountId = await createAccount(server);
  });
  afterAll(async () => {
    await server.stop();
  });

  /** Signs exactly these claims with the server's own secret (no defaults added). */
  const signed = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(server.services.config.auth.hmacSecret!));
  const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

  const MALFORMED: [string, () => Record<string, unknown>][] = [
    ['scope is an array', () => ({ sub: 'svc', scope: ['admin'], exp: inAnHour() })],
    ['scope is a number', () => ({ sub: 'svc', scope: 42, exp: inAnHour() })],
    ['scope is an object', () => ({ sub: 'svc', scope: { admin: true }, exp: inAnHour() })],
    ['sub is a number', () => ({ sub: 7, account_id: accountId, role: 'OWNER', exp: inAnHour() })],
    ['sub is an array', () => ({ sub: ['user'], account_id: accountId, role: 'OWNER', exp: inAnHour() })],
    ['account_id is a number', () => ({ sub: 'user', account_id: 12345, role: 'OWNER', exp: inAnHour() })],
    ['account_id is an array', () => ({ sub: 'user', account_id: [accountId], role: 'OWNER', exp: inAnHour() })],
    ['role is an array', () => ({ sub: 'user', account_id: accountId, role: ['OWNER'], exp: inAnHour() })],
    ['role is a number', () => ({ sub: 'user', account_id: accountId, role: 1, exp: inAnHour() })],
    ['exp is a string', () => ({ sub: 'user', account_id: accountId, role: 'OWNER', exp: String(inAnHour()) })],
    ['exp is an array', () => ({ sub: 'user', account_id: accountId, role: 'OWNER', exp: [inAnHour()] })],
  ];

  it.each(MALFORMED)('refuses a token whose %s on /graphql with 401 UNAUTHENTICATED', async (_label, claims) => {
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await signed(claims())}` },
      body: JSON.stringify({ query: BALANCES, variables: { accountId } }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
    expect(body.errors.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
  });

  it.each(MALFORMED)('refuses a token whose %s on the CSV routes with 401 UNAUTHENTICATED', async (_label, claims) => {
    const response = await fetch(`${server.url}/reports/usage.csv?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z`, {
      headers: { authorization: `Bearer ${await signed(claims())}` },
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
  });

  it.each(MALFORMED)('closes the WebSocket at connection_init (4403) for a token whose %s', async (_label, claims) => {
    const token = await signed(claims());
    const socket = new WebSocket(server.websocketUrl, 'graphql-transport-ws');
    const closed = new Promise<{ code: number; messages: string[] }>((resolve, reject) => {
      const messages: string[] = [];
      socket.on('message', (data) => messages.push(String(data)));
      socket.on('close', (code) => resolve({ code, messages }));
      socket.on('error', reject);
    });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    const { code, messages } = await closed;
    expect(code).toBe(4403);
    expect(messages).toEqual([]);
  });

  it('still accepts a well-formed token of each kind (the checks refuse only wrong types)', async () => {
    const user = await signed({ sub: 'user', account_id: accountId, role: 'OWNER', exp: inAnHour() });
    expect((await server.ok(BALANCES, { accountId }, user)).balances.accountId).toBe(accountId);
    const admin = await signed({ sub: 'admin', scope: 'admin', exp: inAnHour() });
    expect((await server.ok(BALANCES, { accountId }, admin)).balances.accountId).toBe(accountId);
  });
});
