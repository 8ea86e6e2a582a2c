import { Role } from '../../src/auth/principal';
import { alternate, measure, medianCpuPerRequest, medianRate } from './load';
import { cpuPerRequestFigure } from './money.bench';
import { profiledRuns, startBenchProcess, withCpuPerRequest } from './processes';
import type { BenchSettings, Figure } from './settings';

const TYPENAME = JSON.stringify({ query: '{ __typename }' });

/**
 * Only the fixed cost of a request: `{ __typename }` with a token against minimal Apollo, and
 * without. The `money` benchmark reports the first figure among others; this one starts nothing
 * else, so it is the one to profile: with BENCH_CPU_PROF=dir, the server writes
 * dir/typename-with-token-<n>.cpuprofile covering only its measured `{ __typename }` rounds, and the
 * minimal Apollo Server's process dir/minimal-apollo-<n>.cpuprofile over its own, to set side by side.
 */
export async function overheadBenchmark(settings: BenchSettings): Promise<Figure[]> {
  const floor = await startBenchProcess('apollo-floor.process.ts', {});
  const server = await startBenchProcess('server.process.ts', {});
  try {
    const [accountId] = await server.call<string[]>('createAccounts', { count: 1 });
    const headers = { authorization: `Bearer ${await server.call<string>('userToken', { accountId, role: Role.VIEWER })}` };
    const load = (url: string, withToken: boolean) => () =>
      measure({
        url,
        concurrency: settings.concurrency,
        durationMs: settings.durationMs,
        request: () => ({ body: TYPENAME, headers: withToken ? headers : {} }),
      });
    const workloads = {
      floor: withCpuPerRequest(floor, load(floor.info.graphqlUrl, false)),
      bare: withCpuPerRequest(server, load(server.info.graphqlUrl, true)),
      anonymous: withCpuPerRequest(server, load(server.info.graphqlUrl, false)),
    };
    await alternate(1, workloads);
    workloads.bare = profiledRuns(server, 'typename-with-token', workloads.bare);
    workloads.floor = profiledRuns(floor, 'minimal-apollo', workloads.floor);
    const results = await alternate(settings.rounds, workloads);
    const rate = (name: keyof typeof results) => medianRate(results[name]);
    const perSecond = (value: number) => `${Math.round(value).toLocaleString('en')} req/s`;
    const cpu = (name: keyof typeof results) => medianCpuPerRequest(results[name]);
    return [
      cpuPerRequestFigure('`{ __typename }` with a token', cpu('bare'), cpu('floor')),
      {
        figure: '`{ __typename }` with a token vs minimal Apollo Server 5',
        candidate: perSecond(rate('bare')),
        baseline: perSecond(rate('floor')),
        ratio: rate('bare') / rate('floor'),
        goal: '≥ 0.6',
        met: rate('bare') / rate('floor') >= 0.6,
      },
      {
        figure: '`{ __typename }` without a token vs minimal Apollo Server 5',
        candidate: perSecond(rate('anonymous')),
        baseline: perSecond(rate('floor')),
        ratio: rate('anonymous') / rate('floor'),
        goal: 'reported',
        met: null,
      },
    ];
  } finally {
    await server.stop();
    await floor.stop();
  }
}
