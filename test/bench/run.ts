import 'reflect-metadata';
import { balancesBenchmark } from './balances.bench';
import { historyBenchmark } from './history.bench';
import { transfersBenchmark } from './transfers.bench';

/**
 * `npm run bench`: each benchmark measures its own baseline in the same run and prints the
 * ratio. Set TEST_DB=mariadb to run against MariaDB (default: embedded SQLite).
 * BENCH_DURATION_MS, BENCH_ROUNDS and BENCH_CONCURRENCY tune the load.
 */
async function main(): Promise<void> {
  const settings = {
    durationMs: Number(process.env.BENCH_DURATION_MS ?? 3000),
    rounds: Number(process.env.BENCH_ROUNDS ?? 3),
    concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
  };
  const only = process.argv[2];
  const benchmarks: Record<string, () => Promise<BenchResult>> = {
    balances: () => balancesBenchmark(settings),
    history: () => historyBenchmark(settings),
    transfers: () => transfersBenchmark(settings),
  };
  console.log(`database: ${process.env.TEST_DB ?? 'sqlite'}; ${settings.rounds} rounds x ${settings.durationMs} ms; concurrency ${settings.concurrency}`);
  for (const [name, benchmark] of Object.entries(benchmarks)) {
    if (only && only !== name) continue;
    const result = await benchmark();
    const verdict = result.ratio >= result.target ? 'meets' : 'BELOW';
    console.log(
      `${result.name}: ${result.candidateLabel} ${result.candidate.toFixed(0)}/s, ${result.baselineLabel} ${result.baseline.toFixed(0)}/s, ratio ${(result.ratio * 100).toFixed(1)}% (${verdict} target ${(result.target * 100).toFixed(0)}%)`,
    );
  }
}

interface BenchResult {
  name: string;
  baselineLabel: string;
  candidateLabel: string;
  baseline: number;
  candidate: number;
  ratio: number;
  target: number;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
