import { createAccount } from '../support/fixtures';
import { PRODUCTION_ENV, startTestServer, TestServer } from '../support/harness';

const PERIOD = new URLSearchParams({ from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }).toString();

/** The headers every answer carries, whatever the route. */
function expectSecurityHeaders(headers: Headers): void {
  const csp = headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  // Scripts run only from this server: no inline script, no eval.
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
  expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
  expect(headers.get('x-powered-by')).toBeNull();
}

describe('security headers', () => {
  let server: TestServer;
  let token: string;
  let accountId: string;
  beforeAll(async () => {
    server = await startTestServer();
    accountId = await createAccount(server);
    token = await server.userToken(accountId);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('are on the explorer page, its assets, the CSV and report routes, GraphQL answers and the probes', async () => {
    const answers = await Promise.all([
      fetch(server.graphqlUrl, { headers: { accept: 'text/html' } }),
      fetch(`${server.url}/explorer/explorer.js`),
      fetch(`${server.url}/reports/usage.csv?${PERIOD}`, { headers: { authorization: `Bearer ${token}` } }),
      fetch(`${server.url}/history.csv?accountId=${accountId}`, { headers: { authorization: `Bearer ${token}` } }),
      fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) }),
      fetch(`${server.url}/healthz`),
    ]);
    expect((await answers[0].text()).toLowerCase()).toContain('<!doctype html>');
    for (const answer of answers) expectSecurityHeaders(answer.headers);
    // No HSTS outside production: a developer's http://127.0.0.1 is never pinned to https.
    expect(answers[0].headers.get('strict-transport-security')).toBeNull();
    // A direct customer may not read partner reports: the refusal carries the headers too.
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 403, 200, 200, 200]);
    // A GraphQL answer (data or a refusal) holds a caller's data: never stored by a proxy or a browser.
    expect(answers[4].headers.get('cache-control')).toBe('no-store');
    const refused = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ balancez }' }),
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    // Read every body: an unread one keeps its connection open, and the server's graceful stop
    // would wait its full drain time for it.
    await Promise.all(answers.slice(1).map((answer) => answer.arrayBuffer()));

    // An unknown route: express's own 404 page narrows the policy further (nothing may load at all).
    const missing = await fetch(`${server.url}/no-such-route`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(missing.headers.get('x-content-type-options')).toBe('nosniff');
    expect(missing.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });
});

describe('security headers and CORS in production', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: PRODUCTION_ENV });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('adds HSTS, and answers CORS only for the configured origins', async () => {
    const allowed = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: PRODUCTION_ENV.CORS_ORIGINS },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expectSecurityHeaders(allowed.headers);
    expect(allowed.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(PRODUCTION_ENV.CORS_ORIGINS);

    const stranger = await fetch(server.graphqlUrl, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });
});
