import { Role } from '../../src/auth/principal';
import { alternate, measure, medianRate, warmUp } from './load';
import { startBenchProcess } from './processes';
import type { BenchSettings, Figure } from './settings';

const HISTORY = `query($id: ID!, $after: String) {
  creditHistory(accountId: $id, first: 20, after: $after) { edges { cursor node { id amount balanceAfter type occurredAt } } pageInfo { hasNextPage endCursor } } }`;

/**
 * A `creditHistory` page at a depth of BENCH_HISTORY_DEPTH movements (by cursor) on an account with
 * BENCH_HISTORY_ROWS movements against one with ten times as many, in the same database: a
 * keyset page should cost the same however long the history behind it.
 */
export async function historyBenchmark(settings: BenchSettings): Promise<Figure[]> {
  const server = await startBenchProcess('server.process.ts', {});
  try {
    const [small, large] = await server.call<string[]>('createAccounts', { count: 2 });
    const rows = settings.historyRows;
    await server.call('appendMovements', { accountIds: [small], rows, startId: 1 });
    await server.call('appendMovements', { accountIds: [large], rows: rows * 10, startId: rows + 1 });
    const page = async (accountId: string) => {
      const after = await server.call<string>('historyCursor', { accountId, depth: settings.historyDepth });
      const token = await server.call<string>('userToken', { accountId, role: Role.VIEWER });
      const body = JSON.stringify({ query: HISTORY, variables: { id: accountId, after } });
      return () =>
        measure({
          url: server.info.graphqlUrl,
          concurrency: settings.concurrency,
          durationMs: settings.durationMs,
          request: () => ({ body, headers: { authorization: `Bearer ${token}` } }),
        });
    };
    const workloads = { small: await page(small), large: await page(large) };
    await warmUp(2, workloads);
    const results = await alternate(settings.rounds, workloads);
    const count = (value: number) => value.toLocaleString('en');
    const ratio = medianRate(results.large) / medianRate(results.small);
    return [
      {
        figure: `\`creditHistory\` page at depth ${count(settings.historyDepth)}: ${count(rows * 10)} vs ${count(rows)} movements`,
        candidate: `${Math.round(medianRate(results.large)).toLocaleString('en')} req/s`,
        baseline: `${Math.round(medianRate(results.small)).toLocaleString('en')} req/s`,
        ratio,
        goal: 'within 1.2× (≥ 0.83)',
        met: ratio >= 1 / 1.2,
      },
    ];
  } finally {
    await server.stop();
  }
}
