import { createAccount, grant } from '../support/fixtures';
import { startTestServer } from '../support/harness';
import { compare, expectGraphQLData, measureThroughput } from './load';

/**
 * `balances(accountId)` against a bare `{ __typename }` on the same server, same token, same
 * connections: the ratio shows what the balance read costs on top of the GraphQL round trip.
 */
export async function balancesBenchmark(settings: { durationMs: number; rounds: number; concurrency: number }) {
  const server = await startTestServer();
  try {
    const accountId = await createAccount(server);
    await grant(server, accountId, '100');
    const token = await server.userToken(accountId);
    const headers = { authorization: `Bearer ${token}` };
    const run = (query: string, variables: Record<string, unknown> = {}) => () =>
      measureThroughput({
        url: server.graphqlUrl,
        body: () => JSON.stringify({ query, variables }),
        headers,
        concurrency: settings.concurrency,
        durationMs: settings.durationMs,
        check: expectGraphQLData,
      });
    const typename = run('{ __typename }');
    const balances = run('query($id: ID!) { balances(accountId: $id) { totalBalance topUpBalance promotionalBalance } }', { id: accountId });
    await typename(); // warm-up
    await balances();
    const result = await compare({ rounds: settings.rounds, baseline: typename, candidate: balances });
    return { name: 'balances vs { __typename }', baselineLabel: '__typename', candidateLabel: 'balances', target: 0.8, ...result };
  } finally {
    await server.stop();
  }
}
