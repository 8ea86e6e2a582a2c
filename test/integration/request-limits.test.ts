import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { Kind, OperationDefinitionNode, parse, print, specifiedRules, validate } from 'graphql';
import { Role } from '../../src/auth/principal';
import { loadConfig } from '../../src/config';
import { buildCreditsSchema } from '../../src/server/schema';
import { checkOperationCost } from '../../src/server/limits/query-cost';
import { limitValidationRules } from '../../src/server/limits/operation-limits';
import { createAccount, grant, newKey } from '../support/fixtures';
import { BALANCES, balancesOf } from '../support/foundation';
import { codes, GraphQLResult, PRODUCTION_ENV, startTestServer, TestServer, QUIET_BACKGROUND_JOBS } from '../support/harness';
import { credits, partnerWithCustomer } from '../support/partners';
import { observeStatements } from '../support/query-counter';

const aliased = (count: number, field: string) => Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join('\n');

/** Posts a raw body (the harness client cannot send malformed or persisted-query requests). */
async function post(server: TestServer, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResult };
}

describe('request limits (defaults)', () => {
  let server: TestServer;
  let statements: ReturnType<typeof observeStatements>;
  let partnerId: string;
  let customerId: string;
  let partnerToken: string;

  beforeAll(async () => {
    // No background work (outbox polls, expiry runs, top-up sweeps, webhook delivery polls), so the statements a request
    // causes are its own.
    server = await startTestServer({
      env: {
        ...QUIET_BACKGROUND_JOBS,
      },
    });
    ({ partnerId, customerId, ownerToken: partnerToken } = await partnerWithCustomer(server, credits(1000)));
    await grant(server, customerId, '5');
    await server.services.outbox.drain();
    statements = observeStatements(server.services.dataSource);
  });
  afterAll(async () => {
    statements.restore();
    await server.stop();
  });

  /** Sends an operation and returns its result with the SQL statements it caused. */
  async function refusedBeforeWork(query: string, variables?: Record<string, unknown>, token = partnerToken) {
    let result!: GraphQLResult;
    const sent = await statements.during(async () => {
      result = await server.call(query, variables, token);
    });
    return { result, sent };
  }

  it('refuses 500 aliases of creditHistory(first: 100) before running any of them', async () => {
    const query = `{ ${aliased(500, `creditHistory(accountId: "${partnerId}", first: 100) { edges { node { id amount } } }`)} }`;
    // 500 aliases are also far over the token limit; with that raised, the alias limit refuses it.
    const { result, sent } = await refusedBeforeWork(query);
    expect(codes(result)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(result.errors[0].message).toContain('2000 tokens');
    expect(sent).toEqual([]);
  });

  it('refuses more aliases than the limit, naming it', async () => {
    const { result, sent } = await refusedBeforeWork(`{ ${aliased(21, `balances(accountId: "${partnerId}") { totalBalance }`)} }`);
    expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.errors[0].message).toMatch(/Aliases limit of 20 exceeded/);
    expect(sent).toEqual([]);
    // 20 aliases are fine.
    expect(codes(await server.call(`{ ${aliased(20, `balances(accountId: "${partnerId}") { totalBalance }`)} }`, {}, partnerToken))).toEqual([]);
  });

  it('refuses a query 70 levels deep', async () => {
    const deep = `{ account(id: "${customerId}") { ${'partner { '.repeat(68)}id${' }'.repeat(68)} } }`;
    const { result, sent } = await refusedBeforeWork(deep);
    expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.errors[0].message).toMatch(/depth limit of 10 exceeded/);
    expect(sent).toEqual([]);
  });

  it('refuses more directives than the limit', async () => {
    const fragments = Array.from({ length: 11 }, () => '... on Balances @include(if: true) { totalBalance }').join(' ');
    const { result, sent } = await refusedBeforeWork(`{ balances(accountId: "${partnerId}") { ${fragments} } }`);
    expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.errors[0].message).toMatch(/Directives limit of 10 exceeded/);
    expect(sent).toEqual([]);
  });

  it('refuses a document over the token limit while parsing', async () => {
    const { result, sent } = await refusedBeforeWork(`{ balances(accountId: "${partnerId}") { ${'totalBalance '.repeat(2000)} } }`);
    expect(codes(result)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(result.errors[0].message).toContain('2000 tokens');
    expect(sent).toEqual([]);
  });

  it('multiplies page sizes down the tree: 100 customers × 100 movements each is refused by cost', async () => {
    const query = /* GraphQL */ `
      query Nested($first: Int) {
        partnerCustomers(first: $first) {
          edges {
            node {
              id
              creditHistory(first: $first) {
                edges {
                  node {
                    id
                    amount
                  }
                }
              }
            }
          }
        }
      }
    `;
    const { result, sent } = await refusedBeforeWork(query, { first: 100 });
    expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.errors[0].message).toMatch(/cost limit of 5000 exceeded: this operation costs \d+/);
    expect(sent).toEqual([]);
    // The same shape with small pages is an ordinary query.
    const small = await server.ok(query, { first: 5 }, partnerToken);
    expect(small.partnerCustomers.edges).toHaveLength(1);
  });

  it('refuses reports by cost: eleven summary reports in one request', async () => {
    const report = `creditSummaryReport(period: { from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" }) { customerTotals { closingBalance } }`;
    const { result, sent } = await refusedBeforeWork(`{ ${aliased(11, report)} }`);
    expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.errors[0].message).toMatch(/cost limit of 5000/);
    expect(sent).toEqual([]);
    expect(codes(await server.call(`{ ${aliased(3, report)} }`, {}, partnerToken))).toEqual([]);
  });

  it.each([
    ['partnerCustomers(first: 2147483647)', `{ partnerCustomers(first: 2147483647) { edges { cursor } } }`, {}],
    ['creditHistory(first: 101)', `{ creditHistory(accountId: "PARTNER", first: 101) { edges { cursor } } }`, {}],
    ['account.creditHistory(first: 101)', `{ account(id: "PARTNER") { creditHistory(first: 101) { edges { cursor } } } }`, {}],
    [
      'creditHistory(first: $first) with 1000',
      `query Q($first: Int) { creditHistory(accountId: "PARTNER", first: $first) { edges { cursor } } }`,
      { first: 1000 },
    ],
    ['partnerCustomers(first: 0)', `{ partnerCustomers(first: 0) { edges { cursor } } }`, {}],
    ['creditHistory(first: -5)', `{ creditHistory(accountId: "PARTNER", first: -5) { edges { cursor } } }`, {}],
  ])('caps page sizes before running anything: %s', async (_name, query, variables) => {
    const { result, sent } = await refusedBeforeWork(query.replace('PARTNER', partnerId), variables);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors[0].message).toMatch(/first must be from 1 to 100 \(the maximum page size\)/);
    expect(sent).toEqual([]);
  });

  it('answers the largest pages and the ordinary console queries', async () => {
    const history = await server.ok(
      `{ creditHistory(accountId: "${customerId}", first: 100) { edges { node { id amount balanceAfter } } pageInfo { hasNextPage } } }`,
      {},
      partnerToken,
    );
    expect(history.creditHistory.edges.length).toBeGreaterThan(0);
    const customers = await server.ok(`{ partnerCustomers(first: 100) { edges { node { id balances { totalBalance } } } } }`, {}, partnerToken);
    expect(customers.partnerCustomers.edges).toHaveLength(1);
    expect(codes(await server.call(BALANCES, { accountId: partnerId }, partnerToken))).toEqual([]);
  });

  it('checks the same document again for new variables: a page size that passed once does not let a larger one through', async () => {
    const query = `query Page($id: ID!, $first: Int) { creditHistory(accountId: $id, first: $first) { edges { node { id } } } }`;
    // The passing verdict for (document, variables) is remembered; other variables are checked anew.
    for (let repeat = 0; repeat < 2; repeat++) {
      expect(codes(await server.call(query, { id: customerId, first: 5 }, partnerToken))).toEqual([]);
      const { result, sent } = await refusedBeforeWork(query, { id: customerId, first: 101 });
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(sent).toEqual([]);
    }
    // A variable in a directive decides whether a selection is priced: checked anew per value
    // (ten reports under one @include, one outside: over the cost limit only when included).
    const report = (alias: string) =>
      `${alias}: creditSummaryReport(period: { from: "2026-10-01T00:00:00Z", to: "2026-10-02T00:00:00Z" }) { lines { accountId } }`;
    const switched = `query Reports($all: Boolean!) { ${report('r0')} ... @include(if: $all) { ${Array.from({ length: 10 }, (_, index) => report(`r${index + 1}`)).join(' ')} } }`;
    for (let repeat = 0; repeat < 2; repeat++) {
      expect(codes(await server.call(switched, { all: false }, partnerToken))).toEqual([]);
      expect(codes((await refusedBeforeWork(switched, { all: true })).result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    }
    // A document without variables that is over the cost limit is refused every time.
    const costly = `{ ${Array.from({ length: 11 }, (_, index) => `r${index}: creditSummaryReport(period: { from: "2026-10-01T00:00:00Z", to: "2026-10-02T00:00:00Z" }) { lines { accountId } }`).join(' ')} }`;
    for (let repeat = 0; repeat < 2; repeat++) {
      expect(codes((await refusedBeforeWork(costly)).result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    }
  });

  it('a mutation refused by a limit moves no money', async () => {
    const before = await balancesOf(server, partnerId);
    const transfer = (key: string) =>
      `transferCredits(input: { customerAccountId: "${customerId}", amount: "1", idempotencyKey: "${key}" }) { transfer { id } }`;
    const mutation = `mutation { ${Array.from({ length: 21 }, (_, index) => `t${index}: ${transfer(newKey())}`).join('\n')} }`;
    const { result, sent } = await refusedBeforeWork(mutation);
    expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(sent).toEqual([]);
    expect(await balancesOf(server, partnerId)).toEqual(before);
    expect(await server.audit()).toEqual([]);
  });

  it('validates every operation of the API tour (docs/api-tour.md) against the default limits', async () => {
    const schema = await buildCreditsSchema();
    const limits = loadConfig({}).requestLimits;
    const tour = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'api-tour.md'), 'utf8');
    const blocks = [...tour.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]);
    const operations = blocks.flatMap((block) =>
      parse(block).definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION),
    );
    expect(operations.length).toBeGreaterThan(15);
    for (const operation of operations) {
      const document = parse(print(operation), { maxTokens: limits.maxTokens });
      expect(validate(schema, document, [...specifiedRules, ...limitValidationRules(limits)])).toEqual([]);
      expect(checkOperationCost(limits, { schema, document, variables: {}, operationName: undefined })).toEqual([]);
    }
  });

  describe('persisted queries and malformed requests', () => {
    const unknownHash = { persistedQuery: { version: 1, sha256Hash: 'ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38' } };

    it('answers PERSISTED_QUERY_NOT_FOUND for an unknown hash, with or without an empty query', async () => {
      for (const body of [{ extensions: unknownHash }, { query: '', extensions: unknownHash }]) {
        const { body: answer } = await post(server, body);
        expect(codes(answer)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      }
      const search = new URLSearchParams({ query: '', extensions: JSON.stringify(unknownHash) });
      const response = await fetch(`${server.graphqlUrl}?${search}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(codes((await response.json()) as GraphQLResult)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    });

    it('registers and then answers a persisted query by its hash', async () => {
      const query = '{ __typename }';
      const hash = (await import('node:crypto')).createHash('sha256').update(query).digest('hex');
      const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
      expect((await post(server, { query, extensions })).body.data).toEqual({ __typename: 'Query' });
      expect((await post(server, { extensions })).body.data).toEqual({ __typename: 'Query' });
    });

    it('answers BAD_REQUEST (400), not an internal error, for an unsupported version or a hash that does not match', async () => {
      for (const body of [
        { extensions: { persistedQuery: { version: 2, sha256Hash: 'abc' } } },
        { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } },
      ]) {
        const { status, body: answer } = await post(server, body);
        expect(status).toBe(400);
        expect(codes(answer)).toEqual(['BAD_REQUEST']);
      }
    });

    it('refuses a variables list over GRAPHQL_MAX_LIST_LENGTH (1000) or nested too deep before the document is read, over POST and GET', async () => {
      const auth = { authorization: `Bearer ${partnerToken}` };
      const ids = (count: number) => Array.from({ length: count }, (_, index) => String(index));
      let answers!: { status: number; body: GraphQLResult }[];
      const sent = await statements.during(async () => {
        // A document that would not even parse: the list is refused first.
        const long = await post(server, { query: '{ balances(accountId: ', variables: { ids: ids(1001) } }, auth);
        let deep: unknown = 'x';
        for (let level = 0; level < 40; level++) deep = [deep];
        const nested = await post(server, { query: '{ __typename }', variables: { input: { deep } } }, auth);
        const search = new URLSearchParams({ query: '{ __typename }', variables: JSON.stringify({ ids: ids(1001) }) });
        const response = await fetch(`${server.graphqlUrl}?${search}`, { headers: { 'apollo-require-preflight': 'true', ...auth } });
        answers = [long, nested, { status: response.status, body: (await response.json()) as GraphQLResult }];
      });
      const [long, nested, get] = answers;
      expect(long).toEqual({
        status: 400,
        body: {
          errors: [
            {
              message: 'The list $ids holds 1001 items; at most 1000 are accepted.',
              extensions: { code: 'BAD_USER_INPUT', field: 'ids', maxListLength: 1000 },
            },
          ],
        },
      });
      expect(nested.status).toBe(400);
      expect(nested.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', maxNesting: 16 });
      expect(nested.body.errors[0].extensions?.field).toMatch(/^input\.deep(\[0\])+$/);
      expect(get).toEqual(long);
      expect(sent).toEqual([]);
      // At the limit, the request goes on as usual.
      expect((await post(server, { query: '{ __typename }', variables: { ids: ids(1000) } }, auth)).body).toEqual({ data: { __typename: 'Query' } });
    });

    it('refuses a body over 256 kB (413) and a JSON batch', async () => {
      const huge = await post(server, { query: `{ __typename }`, variables: { padding: 'x'.repeat(300 * 1024) } });
      expect(huge.status).toBe(413);
      const batch = await post(server, [{ query: '{ __typename }' }, { query: '{ __typename }' }]);
      expect(batch.status).toBe(400);
      expect(codes(batch.body)).toEqual(['BAD_REQUEST']);
    });
  });
});

describe('request limits are settings', () => {
  let server: TestServer;
  let partnerId: string;
  let customerId: string;
  let partnerToken: string;

  beforeAll(async () => {
    server = await startTestServer({
      env: { GRAPHQL_MAX_COST: '30', GRAPHQL_MAX_PAGE_SIZE: '10', GRAPHQL_MAX_DEPTH: '3', GRAPHQL_MAX_ALIASES: '2', GRAPHQL_MAX_TOKENS: '300' },
    });
    ({ partnerId, customerId, ownerToken: partnerToken } = await partnerWithCustomer(server, credits(100)));
  });
  afterAll(async () => {
    await server.stop();
  });

  it('refuses two transfers in one request by cost and moves no money; one passes', async () => {
    const transfer = (alias: string) => `${alias}: transferCredits(input: { customerAccountId: "${customerId}", amount: "1", idempotencyKey: "${newKey()}" }) {
      dryRun transfer { id amount } partnerBalances { topUpBalance } customerBalances { topUpBalance } }`;
    const before = await balancesOf(server, partnerId);
    const refused = await server.call(`mutation { ${transfer('a')} ${transfer('b')} }`, {}, partnerToken);
    expect(codes(refused)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    // Each transfer costs 10 + its 8 selected fields: one is 18, two are 36.
    expect(refused.errors[0].message).toMatch(/cost limit of 30 exceeded: this operation costs 36/);
    expect(await balancesOf(server, partnerId)).toEqual(before);
    const single = await server.call(`mutation { ${transfer('a')} }`, {}, partnerToken);
    expect(codes(single)).toEqual([]);
    expect(single.data.a.transfer.amount).toBe('1.000000');
    expect(await server.audit()).toEqual([]);
  });

  it('caps pages at the configured maximum, in the check and in the services', async () => {
    const page = (first: number) => server.call(`{ creditHistory(accountId: "${partnerId}", first: ${first}) { edges { cursor } } }`, {}, partnerToken);
    const refused = await page(11);
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors[0].message).toContain('from 1 to 10');
    expect(codes(await page(2))).toEqual([]);
  });

  it('refuses by the configured depth, aliases and tokens', async () => {
    const deep = await server.call(`{ me { account { balances { totalBalance } } } }`, {}, partnerToken);
    expect(codes(deep)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(deep.errors[0].message).toContain('depth limit of 3');
    const aliases = await server.call(`{ a: me { subject } b: me { subject } c: me { subject } }`, {}, partnerToken);
    expect(codes(aliases)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(aliases.errors[0].message).toContain('Aliases limit of 2');
    const tokens = await server.call(`{ ${'__typename '.repeat(300)} }`, {}, partnerToken);
    expect(codes(tokens)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(tokens.errors[0].message).toContain('300 tokens');
  });

  it('refuses a bad limit setting at start-up', () => {
    expect(() => loadConfig({ GRAPHQL_MAX_COST: 'lots' })).toThrow(/GRAPHQL_MAX_COST/);
    expect(() => loadConfig({ GRAPHQL_MAX_PAGE_SIZE: '0' })).toThrow(/GRAPHQL_MAX_PAGE_SIZE/);
    expect(() => loadConfig({ WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '-1' })).toThrow(/WS_MAX_SUBSCRIPTIONS_PER_CONNECTION/);
    expect(() => loadConfig({ GRAPHQL_MAX_LIST_LENGTH: '499' })).toThrow(/GRAPHQL_MAX_LIST_LENGTH/);
    expect(() => loadConfig({ GRAPHQL_MAX_LIST_LENGTH: '600', TRANSFER_BATCH_MAX_ROWS: '700' })).toThrow(
      /TRANSFER_BATCH_MAX_ROWS: must not exceed GRAPHQL_MAX_LIST_LENGTH/,
    );
    expect(loadConfig({ GRAPHQL_MAX_LIST_LENGTH: '600', TRANSFER_BATCH_MAX_ROWS: '600' }).requestLimits.maxListLength).toBe(600);
  });
});

describe('production posture', () => {
  it('turns introspection, field suggestions and the landing page off in production, on in development', () => {
    expect(loadConfig(PRODUCTION_ENV).exposure).toEqual({ introspection: false, fieldSuggestions: false, landingPage: false });
    expect(loadConfig({}).exposure).toEqual({ introspection: true, fieldSuggestions: true, landingPage: true });
    expect(loadConfig({ ...PRODUCTION_ENV, GRAPHQL_INTROSPECTION: 'true' }).exposure.introspection).toBe(true);
  });

  describe('a server started with NODE_ENV=production', () => {
    let server: TestServer;
    let token: string;

    beforeAll(async () => {
      server = await startTestServer({ env: PRODUCTION_ENV });
      token = await server.userToken(await createAccount(server), Role.OWNER);
    });
    afterAll(async () => {
      await server.stop();
    });

    it('refuses introspection, anonymous or not', async () => {
      for (const as of [undefined, token]) {
        const result = await server.call(`{ __schema { types { name } } }`, {}, as);
        expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
        expect(result.errors[0].message).toMatch(/introspection is not allowed/);
      }
    });

    it('hides field suggestions', async () => {
      const result = await server.call(`{ balancez }`, {}, token);
      expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(result.errors[0].message).toBe('Cannot query field "balancez" on type "Query".');
    });

    it('serves no landing page and keeps CSRF prevention', async () => {
      const landing = await fetch(server.graphqlUrl, { headers: { accept: 'text/html' } });
      expect(await landing.text()).not.toMatch(/<html/i);
      const simpleGet = await fetch(`${server.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`);
      expect(simpleGet.status).toBe(400);
      expect(await simpleGet.text()).toMatch(/CSRF/);
    });
  });

  describe('a development server', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ env: { NODE_ENV: 'development', LOG_LEVEL: 'silent' } });
    });
    afterAll(async () => {
      await server.stop();
    });

    it('answers introspection, suggests fields and serves the landing page', async () => {
      expect(codes(await server.call(`{ __schema { queryType { name } } }`))).toEqual([]);
      const result = await server.call(`{ balancez }`);
      expect(result.errors[0].message).toContain('Did you mean "balances"?');
      const landing = await fetch(server.graphqlUrl, { headers: { accept: 'text/html' } });
      expect(await landing.text()).toMatch(/<html/i);
    });
  });
});
