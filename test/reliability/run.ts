import fs from 'node:fs';
import path from 'node:path';
import type { ScenarioOptions, ScenarioResult } from './scenario';

/**
 * `npm run test:reliability`: runs every `test/reliability/*.scenario.ts` against the real server
 * as a child process (MariaDB unless TEST_DB=sqlite), prints one table of figures and exits 1 on
 * any failure. `-- --quick` runs the short versions; `-- crash replay` runs only those scenarios.
 */
export function scenarioFiles(): string[] {
  return fs
    .readdirSync(__dirname)
    .filter((file) => file.endsWith('.scenario.ts'))
    .sort()
    .map((file) => path.join(__dirname, file));
}

export async function runScenario(file: string, options: ScenarioOptions): Promise<ScenarioResult> {
  // require, not import(): the scenarios are TypeScript loaded through ts-node's (or jest's) CommonJS hook.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(file) as { run(options: ScenarioOptions): Promise<ScenarioResult> };
  try {
    return await module.run(options);
  } catch (error) {
    return { name: path.basename(file, '.scenario.ts'), figures: {}, failures: [`threw: ${(error as Error).stack ?? error}`] };
  }
}

export function formatTable(results: ScenarioResult[]): string {
  const lines = ['| scenario | figure | value |', '|---|---|---|'];
  for (const result of results) {
    lines.push(`| ${result.name} | result | ${result.failures.length === 0 ? 'pass' : `**FAIL (${result.failures.length})**`} |`);
    for (const [figure, value] of Object.entries(result.figures)) lines.push(`| ${result.name} | ${figure} | ${value} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const only = args.filter((arg) => !arg.startsWith('--'));
  const files = scenarioFiles().filter((file) => only.length === 0 || only.some((name) => path.basename(file).startsWith(name)));
  const results: ScenarioResult[] = [];
  for (const file of files) {
    const started = Date.now();
    process.stderr.write(`running ${path.basename(file)}${quick ? ' (quick)' : ''}…\n`);
    const result = await runScenario(file, { quick });
    result.figures['wall time (s)'] = ((Date.now() - started) / 1000).toFixed(1);
    results.push(result);
    for (const failure of result.failures) process.stderr.write(`  FAIL ${result.name}: ${failure}\n`);
    // Each scenario's figures as soon as it ends, so a later crash of the runner loses nothing.
    process.stderr.write(`${formatTable([result])}\n\n`);
  }
  console.log(
    `\nReliability figures (${new Date().toISOString().slice(0, 10)}, ${process.env.TEST_DB === 'sqlite' ? 'SQLite' : 'MariaDB'}${quick ? ', quick' : ''}):\n`,
  );
  console.log(formatTable(results));
  const failed = results.filter((result) => result.failures.length > 0);
  console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length > 0 ? 1 : 0);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
