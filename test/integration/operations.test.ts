import { codes, startTestServer, TEST_DATABASE, TestServer } from '../support/harness';
import { createAccount } from '../support/fixtures';
import { BALANCES } from '../support/foundation';

describe('operations endpoints and failure handling', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const postGraphQL = (body: string, headers: Record<string, string> = {}) =>
    fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('answers /healthz', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with the database it reached', async () => {
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready', database: TEST_DATABASE === 'sqlite' ? 'sqlite' : 'mysql' });
  });

  it('counts HTTP requests and GraphQL operations in /metrics', async () => {
    const accountId = await createAccount(server);
    await server.ok(BALANCES, { accountId }, await server.userToken(accountId));
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^http_requests_total\{method="POST",route="\/graphql",status="200"\} \d+$/m);
    expect(text).toMatch(/^graphql_operations_total\{operation="balances",type="query",outcome="success"\} 1$/m);
  });

  it('labels operations by root field, so client-chosen operation names cannot add metric series', async () => {
    for (const name of ['Probe1', 'Probe2', 'Probe3']) await server.ok(`query ${name} { __typename }`);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).not.toMatch(/Probe\d/);
    expect(text).toMatch(/^graphql_operations_total\{operation="__typename",type="query",outcome="success"\} 3$/m);
  });

  it('echoes a well-formed x-request-id and replaces a malformed one', async () => {
    const echoed = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(echoed.headers.get('x-request-id')).toBe('trace-abc.123');
    const replaced = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces <script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const generated = await postGraphQL(JSON.stringify({ query: '{ __typename }' }));
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a malformed JSON body with a 400 JSON error and keeps serving', async () => {
    const response = await postGraphQL('{"query": "{ __typename }"');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0].message).not.toMatch(/\n\s+at /);
    expect(await server.ok('{ __typename }')).toEqual({ __typename: 'Query' });
  });

  it('answers a GraphQL syntax error and an unknown field with stable codes', async () => {
    expect(codes(await server.call('{ balances(accountId: ) }'))).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(codes(await server.call('{ noSuchField }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('refuses a body over the size limit without crashing', async () => {
    const response = await postGraphQL(JSON.stringify({ query: `{ __typename }`, variables: { padding: 'x'.repeat(300_000) } }));
    expect(response.status).toBe(413);
    expect(await server.ok('{ __typename }')).toEqual({ __typename: 'Query' });
  });
});

describe('an unexpected internal error', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('reaches the client as INTERNAL_SERVER_ERROR with a generic message, without SQL or a stack', async () => {
    const accountId = await createAccount(server);
    // A broken database is the realistic unexpected failure: the billing table has gone.
    await server.services.dataSource.query('DROP TABLE billing_info');
    const result = await server.call(`query($id: ID!) { account(id: $id) { id billingInfo { legalName } } }`, { id: accountId }, await server.adminToken());
    expect(codes(result)).toEqual(['INTERNAL_SERVER_ERROR']);
    const [error] = result.errors;
    expect(error.message).toBe('Something went wrong on our side. It has been logged; please try again later.');
    expect(JSON.stringify(result.errors)).not.toMatch(/billing_info|SELECT|QueryFailedError|stacktrace|\.ts:\d+/i);
    expect(result.data).toEqual({ account: { id: accountId, billingInfo: null } });
    expect(await server.ok('{ __typename }')).toEqual({ __typename: 'Query' });
  });
});
