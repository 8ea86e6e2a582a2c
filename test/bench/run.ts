import 'reflect-metadata';
import os from 'node:os';
import { historyBenchmark } from './history.bench';
import { hostileBenchmark } from './hostile.bench';
import { lateReceiptsBenchmark } from './late-receipts.bench';
import { moneyBenchmark } from './money.bench';
import { overheadBenchmark } from './overhead.bench';
import { benchSettings, BenchSettings, Figure } from './settings';
import { subscriptionsBenchmark } from './subscriptions.bench';
import { summaryBenchmark } from './summary.bench';

const BENCHMARKS: Record<string, (settings: BenchSettings) => Promise<Figure[]>> = {
  money: moneyBenchmark,
  overhead: overheadBenchmark,
  history: historyBenchmark,
  summary: summaryBenchmark,
  subscriptions: subscriptionsBenchmark,
  hostile: hostileBenchmark,
  'late-receipts': lateReceiptsBenchmark,
};

/**
 * `npm run bench [-- --quick|--full] [money|overhead|history|summary|subscriptions|hostile|late-receipts …]`: every server runs in
 * its own child process and the load comes from this one. Each figure is a ratio against a
 * baseline from the same run (medians of alternating rounds), with the absolute rates beside it.
 * TEST_DB=mariadb runs against MariaDB (the goals are stated there); the default is SQLite.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const full = args.includes('--full');
  const selected = args.filter((arg) => !arg.startsWith('--'));
  for (const name of selected) if (!BENCHMARKS[name]) throw new Error(`unknown benchmark "${name}"; choose from ${Object.keys(BENCHMARKS).join(', ')}`);
  const settings = benchSettings(full);
  console.log(
    `${full ? 'full' : 'quick'} run; database ${process.env.TEST_DB ?? 'sqlite'}; ${settings.rounds} rounds x ${settings.durationMs} ms; ${settings.concurrency} connections; ` +
      `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), load average ${os
        .loadavg()
        .map((load) => load.toFixed(1))
        .join(' ')}`,
  );
  const rows: Figure[] = [];
  let failed = false;
  for (const [name, benchmark] of Object.entries(BENCHMARKS)) {
    // `overhead` repeats money's first figure without the rest: it runs only when named (to profile).
    if (selected.length > 0 ? !selected.includes(name) : name === 'overhead') continue;
    const started = Date.now();
    try {
      const figures = await benchmark(settings);
      rows.push(...figures);
      for (const figure of figures) console.log(`  ${line(figure)}`);
      console.log(`${name}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    } catch (error) {
      failed = true;
      console.error(`${name}: FAILED: ${error instanceof Error ? error.message : error}`);
    }
  }
  console.log('\n| figure | candidate | baseline | ratio | goal |\n|---|---|---|---|---|');
  for (const row of rows) {
    const verdict = row.met === null ? '' : row.met ? ' (met)' : ' (**not met**)';
    console.log(`| ${row.figure} | ${row.candidate} | ${row.baseline} | ${row.ratio === null ? '' : `**${row.ratio.toFixed(2)}×**`} | ${row.goal}${verdict} |`);
  }
  if (failed) process.exit(1);
}

const line = (figure: Figure) =>
  `${figure.figure}: ${figure.candidate}${figure.baseline ? ` vs ${figure.baseline}` : ''}${figure.ratio === null ? '' : ` = ${figure.ratio.toFixed(2)}x`} (goal ${figure.goal}${figure.met === null ? '' : figure.met ? ', met' : ', NOT met'})`;

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
