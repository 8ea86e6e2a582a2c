import { Role } from '../../src/auth/principal';
import { alternate, measure, medianRate, warmUp } from './load';
import { BenchProcess, startBenchProcess } from './processes';
import type { BenchSettings, Figure } from './settings';

const SUMMARY = `query($period: ReportPeriodInput!) {
  creditSummaryReport(period: $period) { customerTotals { openingBalance closingBalance } lines { accountId openingBalance closingBalance } } }`;
const FROM = '2025-01-01 00:00:00';

/**
 * `creditSummaryReport` for a partner with BENCH_SUMMARY_CUSTOMERS customers over a year, on a
 * database holding BENCH_SUMMARY_ROWS movements against one holding twice as many (two servers,
 * two databases, measured in alternating rounds), on BENCH_SUMMARY_CONCURRENCY connections: a
 * report takes long enough that 64 at once would only measure the queue.
 */
export async function summaryBenchmark(settings: BenchSettings): Promise<Figure[]> {
  const servers: BenchProcess[] = [];
  try {
    const workloads: Record<'small' | 'large', () => ReturnType<typeof measure>> = {} as never;
    for (const [name, rows] of [
      ['small', settings.summaryRows],
      ['large', settings.summaryRows * 2],
    ] as const) {
      const server = await startBenchProcess('server.process.ts', {});
      servers.push(server);
      const [partnerId] = await server.call<string[]>('createAccounts', { count: 1, kind: 'PARTNER' });
      const customers = await server.call<string[]>('createAccounts', { count: settings.summaryCustomers, partnerId });
      await server.call('appendSummaryActivity', { accountIds: customers, rows, startId: 1, from: FROM });
      const token = await server.call<string>('userToken', { accountId: partnerId, role: Role.OWNER });
      const body = JSON.stringify({ query: SUMMARY, variables: { period: { from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z', timeZone: 'UTC' } } });
      workloads[name] = () =>
        measure({
          url: server.info.graphqlUrl,
          concurrency: settings.summaryConcurrency,
          durationMs: settings.durationMs,
          request: () => ({ body, headers: { authorization: `Bearer ${token}` } }),
        });
    }
    await warmUp(2, workloads);
    const results = await alternate(settings.rounds, workloads);
    const count = (value: number) => value.toLocaleString('en');
    const ratio = medianRate(results.large) / medianRate(results.small);
    return [
      {
        figure: `\`creditSummaryReport\`, ${count(settings.summaryCustomers)} customers over a year: ${count(settings.summaryRows * 2)} vs ${count(settings.summaryRows)} movements`,
        candidate: `${medianRate(results.large).toFixed(1)} req/s`,
        baseline: `${medianRate(results.small).toFixed(1)} req/s`,
        ratio,
        goal: 'within 1.2× (≥ 0.83)',
        met: ratio >= 1 / 1.2,
      },
    ];
  } finally {
    for (const server of servers) await server.stop();
  }
}
