import { Role } from '../../src/auth/principal';
import { alternate, LoadRequest, LoadResult, measure, median, medianCpuPerRequest, medianRate } from './load';
import { eventLoopDelay } from './event-loop-delay';
import { BenchProcess, profiledRuns, startBenchProcess, withCpuPerRequest } from './processes';
import type { BenchSettings, Figure } from './settings';

const TYPENAME = JSON.stringify({ query: '{ __typename }' });
const BALANCES = 'query($id: ID!) { balances(accountId: $id) { totalBalance topUpBalance promotionalBalance } }';
const TRANSFER = 'mutation($input: TransferCreditsInput!) { transferCredits(input: $input) { transfer { id } partnerBalances { topUpBalance } } }';
const TRANSFER_BATCH = 'mutation($input: TransferCreditsBatchInput!) { transferCreditsBatch(input: $input) { totals { okCount refusedCount } } }';
const RECORD_USAGE = 'mutation($events: [UsageEventInput!]!) { recordUsage(events: $events) { appliedCount duplicateCount refusedCount } }';
const CUSTOMERS_PER_PARTNER = 4;
/** Connections sending `transferCreditsBatch` requests. */
const BULK_CONNECTIONS = 8;

interface Partner {
  customers: string[];
  headers: Record<string, string>;
}

type Counters = { appStatements: number; database: Record<string, number> | null };

/**
 * The request-path figures, all from one server and one Apollo floor, in alternating rounds:
 * `{ __typename }` against minimal Apollo, `balances`, hot and spread transfers and `recordUsage`
 * against `{ __typename }`, and SQL statements per transfer from the database's own counters.
 * The ledger is audited at the end; a failed audit fails the benchmark.
 */
export async function moneyBenchmark(settings: BenchSettings): Promise<Figure[]> {
  const floor = await startBenchProcess('apollo-floor.process.ts', {});
  const server = await startBenchProcess('server.process.ts', {});
  try {
    const setup = await fundedParties(server, settings);
    const url = server.info.graphqlUrl;
    const statements = { hot: { transfers: 0, app: 0, database: 0 }, spread: { transfers: 0, app: 0, database: 0 } };
    // After each run the server publishes what it committed before the next run starts (on SQLite a
    // usage run leaves thousands of balance events, whose drain would otherwise land in the next run).
    // The event-loop delay over each run, as the server's /metrics reports it (a read resets it).
    const origin = new URL(url).origin;
    const load =
      (target: string, request: () => LoadRequest, verify?: (body: string) => boolean, concurrency = settings.concurrency) =>
      async (): Promise<LoadResult> => {
        const ours = target === url;
        if (ours) await eventLoopDelay(origin);
        const result = await measure({ url: target, concurrency, durationMs: settings.durationMs, request, verify });
        const delay = ours ? await eventLoopDelay(origin) : undefined;
        await server.call('settle');
        return { ...result, eventLoop: delay };
      };
    const counted = (kind: 'hot' | 'spread', run: () => Promise<LoadResult>) => async () => {
      const before = await server.call<Counters>('counters');
      const result = await run();
      const after = await server.call<Counters>('counters');
      statements[kind].transfers += result.requests;
      // Minus the one counters call of our own that each read-out adds to its own delta.
      statements[kind].app += after.appStatements - before.appStatements - 1;
      if (before.database && after.database) statements[kind].database += after.database.Questions - before.database.Questions - 1;
      return result;
    };
    let sequence = 0;
    const transfer = (pick: () => Partner) => () => {
      const partner = pick();
      sequence++;
      const input = {
        customerAccountId: partner.customers[sequence % CUSTOMERS_PER_PARTNER],
        amount: '0.01',
        idempotencyKey: `bench-${process.pid}-${sequence}`,
      };
      return { body: JSON.stringify({ query: TRANSFER, variables: { input } }), headers: partner.headers };
    };
    const bulk = () => {
      sequence++;
      const rows = Array.from({ length: settings.transferBatchRows }, (_, row) => ({
        customerAccountId: setup.bulk.customers[row % CUSTOMERS_PER_PARTNER],
        amount: '0.01',
      }));
      const input = { idempotencyKey: `bench-batch-${process.pid}-${sequence}`, mode: 'EACH_ON_ITS_OWN', rows };
      return { body: JSON.stringify({ query: TRANSFER_BATCH, variables: { input } }), headers: setup.bulk.headers };
    };
    const usage = () => {
      const events = Array.from({ length: settings.usageBatch }, () => {
        sequence++;
        return {
          accountId: setup.usageAccounts[sequence % setup.usageAccounts.length],
          amount: '0.001',
          eventId: `bench-${process.pid}-${sequence}`,
          occurredAt: new Date().toISOString(),
          service: 'compute',
        };
      });
      return { body: JSON.stringify({ query: RECORD_USAGE, variables: { events } }), headers: setup.meteringHeaders };
    };
    const workloads = {
      floor: withCpuPerRequest(
        floor,
        load(floor.info.graphqlUrl, () => ({ body: TYPENAME })),
      ),
      bare: withCpuPerRequest(
        server,
        load(url, () => ({ body: TYPENAME, headers: setup.bareHeaders })),
      ),
      balances: withCpuPerRequest(
        server,
        load(url, () => ({ body: JSON.stringify({ query: BALANCES, variables: { id: setup.reader } }), headers: setup.bareHeaders })),
      ),
      hot: counted(
        'hot',
        load(
          url,
          transfer(() => setup.hot),
        ),
      ),
      spread: counted(
        'spread',
        load(
          url,
          transfer(() => setup.spread[sequence % setup.spread.length]),
        ),
      ),
      usage: load(url, usage, noneRefused),
      // A batch fills a group commit alone (50 rows outweigh the 64-posting budget shared with
      // another batch), so 8 connections keep the queue full; 64 would only make each wait longer.
      bulk: load(url, bulk, noneRefused, BULK_CONNECTIONS),
    };
    // One short warm-up pass (JIT, pools), not counted.
    await alternate(1, Object.fromEntries(Object.entries(workloads).map(([name, run]) => [name, () => withDuration(settings, run)])) as typeof workloads);
    for (const kind of ['hot', 'spread'] as const) statements[kind] = { transfers: 0, app: 0, database: 0 };
    // With BENCH_CPU_PROF, a profile of every measured run of each server workload.
    const measured = Object.fromEntries(
      Object.entries(workloads).map(([name, run]) => [name, name === 'floor' ? run : profiledRuns(server, `money-${name}`, run)]),
    ) as typeof workloads;
    const results = await alternate(settings.rounds, measured);
    const audit = await server.call<string[]>('audit');
    if (audit.length > 0) throw new Error(`the ledger audit failed after the money benchmark: ${audit.join('; ')}`);
    return figures(settings, results, statements, server.info.dialect);
  } finally {
    await server.stop();
    await floor.stop();
  }
}

/** A batch's answer (usage events or transfer rows) with data, no error and no refused item. */
const noneRefused = (body: string) => body.startsWith('{"data":') && body.includes('"refusedCount":0') && !body.includes('"errors":');

/**
 * The warm-up runs a third of a round's duration. A workload whose first requests are slow (a
 * recordUsage batch on cold pools) may answer none in that time: fine for a warm-up, whose
 * figures are thrown away; the measured rounds still refuse an empty run.
 */
async function withDuration(settings: BenchSettings, run: () => Promise<LoadResult>): Promise<LoadResult> {
  const saved = settings.durationMs;
  settings.durationMs = Math.max(1000, Math.round(saved / 3));
  try {
    return await run();
  } catch (error) {
    if (/no request was answered/.test(String(error))) return { requests: 0, requestsPerSecond: 0, p50Ms: 0, p99Ms: 0 };
    throw error;
  } finally {
    settings.durationMs = saved;
  }
}

/** Partners and metered customers funded through real Stripe top-ups (signed webhooks from the stand-in). */
async function fundedParties(server: BenchProcess, settings: BenchSettings) {
  const partner = async (): Promise<Partner> => {
    const [partnerId] = await server.call<string[]>('createAccounts', { count: 1, kind: 'PARTNER', region: 'US' });
    await server.call('fundByTopUp', { accountId: partnerId, amount: '100000' });
    const customers = await server.call<string[]>('createAccounts', { count: CUSTOMERS_PER_PARTNER, partnerId });
    return { customers, headers: { authorization: `Bearer ${await server.call<string>('userToken', { accountId: partnerId, role: Role.OWNER })}` } };
  };
  const hot = await partner();
  const bulk = await partner();
  const spread: Partner[] = [];
  for (let index = 0; index < settings.spreadPartners; index++) spread.push(await partner());
  const usageAccounts = await server.call<string[]>('createAccounts', { count: 64, region: 'US' });
  for (const accountId of usageAccounts) await server.call('fundByTopUp', { accountId, amount: '100000' });
  const reader = usageAccounts[0];
  return {
    hot,
    bulk,
    spread,
    usageAccounts,
    reader,
    bareHeaders: { authorization: `Bearer ${await server.call<string>('userToken', { accountId: reader, role: Role.VIEWER })}` },
    meteringHeaders: { authorization: `Bearer ${await server.call<string>('meteringToken')}` },
  };
}

function figures(
  settings: BenchSettings,
  results: Record<'floor' | 'bare' | 'balances' | 'hot' | 'spread' | 'usage' | 'bulk', LoadResult[]>,
  statements: Record<'hot' | 'spread', { transfers: number; app: number; database: number }>,
  dialect: string,
): Figure[] {
  const rate = Object.fromEntries(Object.entries(results).map(([name, list]) => [name, medianRate(list as LoadResult[])])) as Record<
    keyof typeof results,
    number
  >;
  const perSecond = (value: number, unit = 'req/s') => `${Math.round(value).toLocaleString('en')} ${unit}`;
  const events = rate.usage * settings.usageBatch;
  const bulkTransfers = rate.bulk * settings.transferBatchRows;
  const perTransfer = (kind: 'hot' | 'spread') => {
    const counts = statements[kind];
    const app = counts.app / counts.transfers;
    return dialect === 'mysql'
      ? { value: counts.database / counts.transfers, text: `${(counts.database / counts.transfers).toFixed(2)} (server counters; app sent ${app.toFixed(2)})` }
      : { value: app, text: `${app.toFixed(2)} (app-side count; SQLite has no server)` };
  };
  const hotStatements = perTransfer('hot');
  const spreadStatements = perTransfer('spread');
  return [
    {
      figure: '`{ __typename }` with a token vs minimal Apollo Server 5',
      candidate: perSecond(rate.bare),
      baseline: perSecond(rate.floor),
      ratio: rate.bare / rate.floor,
      goal: '≥ 0.6',
      met: rate.bare / rate.floor >= 0.6,
    },
    cpuPerRequestFigure('`{ __typename }` with a token', medianCpuPerRequest(results.bare), medianCpuPerRequest(results.floor)),
    {
      figure: '`balances` vs `{ __typename }`',
      candidate: perSecond(rate.balances),
      baseline: perSecond(rate.bare),
      ratio: rate.balances / rate.bare,
      goal: '≥ 0.9',
      met: rate.balances / rate.bare >= 0.9,
    },
    {
      figure: 'transfers, one hot partner vs `{ __typename }`',
      candidate: perSecond(rate.hot),
      baseline: perSecond(rate.bare),
      ratio: rate.hot / rate.bare,
      goal: '≥ 0.5',
      met: rate.hot / rate.bare >= 0.5,
    },
    {
      figure: `transfers, hot vs spread over ${settings.spreadPartners} partners`,
      candidate: perSecond(rate.hot),
      baseline: perSecond(rate.spread),
      ratio: rate.hot / rate.spread,
      goal: '≥ 1.0',
      met: rate.hot / rate.spread >= 1,
    },
    { figure: 'SQL statements per transfer, hot', candidate: hotStatements.text, baseline: '', ratio: null, goal: '≤ 1.5', met: hotStatements.value <= 1.5 },
    {
      figure: 'SQL statements per transfer, spread',
      candidate: spreadStatements.text,
      baseline: '',
      ratio: null,
      goal: '≤ 1.5',
      met: spreadStatements.value <= 1.5,
    },
    ...(['hot', 'spread'] as const).map((kind) => {
      const p99 = median(results[kind].map((result) => result.p99Ms));
      // The issue states this goal for the embedded SQLite (its single writer); on MariaDB it is reported.
      const sqlite = dialect === 'sqlite';
      return {
        figure: `transfer latency p99 at ${settings.concurrency} connections, ${kind} (p50 beside it)`,
        candidate: `${p99.toFixed(0)} ms (p50 ${median(results[kind].map((result) => result.p50Ms)).toFixed(0)} ms)`,
        baseline: '',
        ratio: null,
        goal: sqlite ? '< 100 ms (SQLite)' : 'reported',
        met: sqlite ? p99 < 100 : null,
      };
    }),
    eventLoopFigure(results),
    {
      figure: `\`recordUsage\` events/s (${settings.usageBatch} a request) vs \`{ __typename }\` req/s`,
      candidate: perSecond(events, 'events/s'),
      baseline: perSecond(rate.bare),
      ratio: events / rate.bare,
      goal: 'reported',
      met: null,
    },
    {
      figure: `transfers/s through \`transferCreditsBatch\` (${settings.transferBatchRows} rows a request, one partner, ${BULK_CONNECTIONS} connections) vs one hot partner's \`transferCredits\``,
      candidate: perSecond(bulkTransfers, 'transfers/s'),
      baseline: perSecond(rate.hot, 'transfers/s'),
      ratio: bulkTransfers / rate.hot,
      goal: 'reported',
      met: null,
    },
  ];
}

/** The event-loop delay the server's /metrics reported during each workload: the median p99 of its runs, and the largest max. */
function eventLoopFigure(results: Record<string, LoadResult[]>): Figure {
  const per = Object.entries(results)
    .filter(([, runs]) => runs.every((run) => run.eventLoop))
    .map(([name, runs]) => ({
      name,
      p99: median(runs.map((run) => run.eventLoop!.p99Ms)),
      max: Math.max(...runs.map((run) => run.eventLoop!.maxMs)),
    }));
  const worst = Math.max(...per.map((workload) => workload.p99));
  return {
    figure: `event-loop delay p99 (max) from /metrics, per workload: ${per.map((workload) => workload.name).join(' / ')}`,
    candidate: per.map((workload) => `${workload.p99.toFixed(0)} (${workload.max.toFixed(0)}) ms`).join(' / '),
    baseline: '',
    ratio: null,
    goal: 'p99 ≤ 50 ms',
    met: worst <= 50,
  };
}

/**
 * The server's CPU time per request against the minimal Apollo's, as a ratio read like the
 * throughput ratio (theirs over ours: 0.5× means ours costs twice as much). On a machine shared
 * with other work the rates move with what the others run; CPU time per request hardly does.
 */
export function cpuPerRequestFigure(what: string, ours: number | undefined, floor: number | undefined): Figure {
  const known = ours !== undefined && floor !== undefined && ours > 0;
  return {
    figure: `${what}: server CPU per request vs minimal Apollo Server 5 (floor over ours)`,
    candidate: known ? `${ours.toFixed(0)} µs` : 'not measured',
    baseline: known ? `${floor.toFixed(0)} µs` : '',
    ratio: known ? floor / ours : null,
    goal: 'reported (throughput goal ≥ 0.6)',
    met: null,
  };
}
