import type { Client } from 'graphql-ws';
import { createAccount } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';
import { connect } from '../support/subscriptions';

/**
 * The same mistake answers the same `extensions.code` over HTTP and over graphql-ws, and never
 * INTERNAL_SERVER_ERROR. A subscription cannot run over HTTP, so a subscription case is compared
 * with the query that reads the same thing (balanceChanged ↔ balances, topUpStatusChanged ↔ topUp).
 */
interface Request {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}
interface Case {
  name: string;
  http: Request;
  ws: Request;
  /** The code both transports answer. */
  code: string;
}

/** Over the 256 kB request limit. */
const OVERSIZED = 'x'.repeat(300 * 1024);

async function httpCode(server: TestServer, token: string, request: Request): Promise<string[]> {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  return (body.errors ?? []).map((error) => error.extensions?.code ?? 'NO_CODE');
}

/** One operation over graphql-ws: the codes of the errors it ends with (its first event's errors, or the error message). */
function wsCode(client: Client, request: Request): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer over graphql-ws for ${request.query.slice(0, 80)}`)), 10_000);
    const finish = (codes: string[]) => {
      clearTimeout(timer);
      dispose();
      resolve(codes);
    };
    const dispose = client.subscribe(request as { query: string }, {
      next: (message) => finish((message.errors ?? []).map((error) => (error.extensions?.code as string | undefined) ?? 'NO_CODE')),
      error: (error) => {
        if (Array.isArray(error)) finish(error.map((item: { extensions?: { code?: string } }) => item.extensions?.code ?? 'NO_CODE'));
        else {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
        }
      },
      complete: () => finish([]),
    });
  });
}

describe('errors are the same over HTTP and graphql-ws', () => {
  let server: TestServer;
  let client: Client;
  let own: string;
  let other: string;
  beforeAll(async () => {
    server = await startTestServer();
    own = await createAccount(server);
    other = await createAccount(server);
    client = connect(server.websocketUrl, await server.userToken(own));
  });
  afterAll(async () => {
    await client.dispose();
    await server.stop();
  });

  const balancesQuery = 'query($id: ID!) { balances(accountId: $id) { accountId } }';
  const balanceChanged = 'subscription($id: ID!) { balanceChanged(accountId: $id) { accountId } }';
  const topUpQuery = 'query($id: ID!) { topUp(id: $id) { id } }';
  const topUpStatusChanged = 'subscription($id: ID!) { topUpStatusChanged(topUpId: $id) { status } }';
  const same = (request: Request) => ({ http: request, ws: request });
  const cases = (): Case[] => [
    { name: 'balanceChanged without its variable', http: { query: balancesQuery }, ws: { query: balanceChanged }, code: 'BAD_USER_INPUT' },
    { name: 'topUpStatusChanged without its variable', http: { query: topUpQuery }, ws: { query: topUpStatusChanged }, code: 'BAD_USER_INPUT' },
    {
      name: 'topUpStatusChanged with an object for an ID',
      http: { query: topUpQuery, variables: { id: { x: 1 } } },
      ws: { query: topUpStatusChanged, variables: { id: { x: 1 } } },
      code: 'BAD_USER_INPUT',
    },
    {
      name: 'balanceChanged with a list for an ID',
      http: { query: balancesQuery, variables: { id: [own] } },
      ws: { query: balanceChanged, variables: { id: [own] } },
      code: 'BAD_USER_INPUT',
    },
    { name: 'a query without its variable', ...same({ query: balancesQuery }), code: 'BAD_USER_INPUT' },
    { name: 'a query with a wrongly typed variable', ...same({ query: balancesQuery, variables: { id: true } }), code: 'BAD_USER_INPUT' },
    {
      name: 'oversized variables',
      http: { query: balancesQuery, variables: { id: own, padding: OVERSIZED } },
      ws: { query: balanceChanged, variables: { id: own, padding: OVERSIZED } },
      code: 'BAD_REQUEST',
    },
    { name: 'a syntax error', ...same({ query: 'subscription { balanceChanged(accountId: ' }), code: 'GRAPHQL_PARSE_FAILED' },
    { name: 'an unknown field', ...same({ query: 'subscription { balanceChangez(accountId: "1") { accountId } }' }), code: 'GRAPHQL_VALIDATION_FAILED' },
    {
      name: 'an unknown operation name',
      ...same({ query: 'query A { me { subject } } query B { me { subject } }', operationName: 'C' }),
      code: 'OPERATION_RESOLUTION_FAILURE',
    },
    {
      name: 'several operations and no name',
      ...same({ query: 'query A { me { subject } } query B { me { subject } }' }),
      code: 'OPERATION_RESOLUTION_FAILURE',
    },
    {
      name: 'over the depth limit',
      http: { query: `query { account(id: "${'1'}") { ${'partner { '.repeat(20)}id${' }'.repeat(20)} } }` },
      ws: { query: `subscription { balanceChanged(accountId: "1") { ${'account { partner { '.repeat(6)}id${' } }'.repeat(6)} } }` },
      code: 'GRAPHQL_VALIDATION_FAILED',
    },
    {
      name: 'over the alias limit',
      http: { query: `query { ${Array.from({ length: 21 }, (_, index) => `a${index}: me { subject }`).join(' ')} }` },
      ws: { query: `subscription { balanceChanged(accountId: "1") { ${Array.from({ length: 21 }, (_, index) => `a${index}: accountId`).join(' ')} } }` },
      code: 'GRAPHQL_VALIDATION_FAILED',
    },
    {
      name: 'over the cost limit',
      ...same({
        query: `{ ${Array.from({ length: 11 }, (_, index) => `r${index}: creditSummaryReport(period: { from: "2026-10-01T00:00:00Z", to: "2026-10-02T00:00:00Z" }) { lines { accountId } }`).join(' ')} }`,
      }),
      code: 'GRAPHQL_VALIDATION_FAILED',
    },
    {
      name: "another tenant's account",
      http: { query: balancesQuery, variables: { id: other } },
      ws: { query: balanceChanged, variables: { id: other } },
      code: 'FORBIDDEN',
    },
  ];

  it('answers every case with the same code on both transports, never INTERNAL_SERVER_ERROR', async () => {
    const table: { name: string; http: string[]; ws: string[] }[] = [];
    for (const item of cases()) {
      table.push({
        name: item.name,
        http: await httpCode(server, await server.userToken(own), item.http),
        ws: await wsCode(client, item.ws).catch((error: Error) => [`NO_ANSWER ${error.message}`]),
      });
    }
    const expected = cases().map((item) => ({ name: item.name, http: [item.code], ws: [item.code] }));
    expect(table.map((row) => ({ name: row.name, http: row.http.slice(0, 1), ws: row.ws.slice(0, 1) }))).toEqual(expected);
    expect(table.flatMap((row) => [...row.http, ...row.ws])).not.toContain('INTERNAL_SERVER_ERROR');
  });
});
