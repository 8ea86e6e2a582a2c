import fs from 'node:fs';
import path from 'node:path';

/**
 * `npx ts-node --transpile-only test/bench/profile-summary.ts <file.cpuprofile> [count]`: the
 * functions with the most self time in a `--cpu-prof` profile (from `BENCH_CPU_PROF=dir npm run
 * bench`), and the share per package, as Markdown, for docs/benchmarks.md; with `--compare`, two
 * servers' time per request by package, side by side.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Summary {
  /** Self time (µs) per function and per package, the profiler's own frames left out. */
  functions: Map<string, number>;
  packages: Map<string, number>;
  total: number;
  /** The same total without idle time: what the process spent on the CPU. */
  busy: number;
}

function summarise(file: string): Summary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  // The profiler's own work shows as native frames under the call that started it (the bench
  // processes' profileStart): not the server's, so left out of the shares.
  const profilerOwn = (id: number): boolean => {
    for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) {
      if (byId.get(current)!.callFrame.functionName === 'profileStart') return true;
    }
    return false;
  };
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    if (!profilerOwn(id)) selfMicros.set(id, (selfMicros.get(id) ?? 0) + Math.max(0, profile.timeDeltas[index] ?? 0));
  });
  const summary: Summary = { functions: new Map(), packages: new Map(), total: 0, busy: 0 };
  for (const [id, micros] of selfMicros) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    summary.functions.set(key, (summary.functions.get(key) ?? 0) + micros);
    const owner = packageOf(url, functionName);
    summary.packages.set(owner, (summary.packages.get(owner) ?? 0) + micros);
    summary.total += micros;
    if (functionName !== '(idle)') summary.busy += micros;
  }
  return summary;
}

const top = (map: Map<string, number>, count: number) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);

/**
 * `--compare ours.cpuprofile OURS_US base.cpuprofile BASE_US [count]`: the two servers' busy time per
 * request by package, side by side, given each one's CPU time per request (µs) from the benchmark
 * table of the same run: a package's share of the busy samples times that figure.
 */
function compare([oursFile, oursMicros, baseFile, baseMicros, countArg]: string[]): void {
  if (!baseMicros) throw new Error('usage: profile-summary.ts --compare <ours.cpuprofile> <µs per request> <baseline.cpuprofile> <µs per request> [count]');
  const ours = summarise(oursFile);
  const base = summarise(baseFile);
  const perRequest = (summary: Summary, micros: number, name: string) => ((summary.packages.get(name) ?? 0) / summary.busy) * micros;
  const names = new Set([...ours.packages.keys(), ...base.packages.keys()]);
  names.delete('(idle)');
  const rows = [...names]
    .map((name) => ({ name, ours: perRequest(ours, Number(oursMicros), name), base: perRequest(base, Number(baseMicros), name) }))
    .sort((a, b) => b.ours - b.base - (a.ours - a.base))
    .slice(0, Number(countArg ?? 20));
  console.log('| where | ours (µs per request) | baseline (µs per request) | difference |\n|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.name} | ${row.ours.toFixed(1)} | ${row.base.toFixed(1)} | ${(row.ours - row.base).toFixed(1)} |`);
  console.log(
    `| **all** | **${Number(oursMicros).toFixed(0)}** | **${Number(baseMicros).toFixed(0)}** | **${(Number(oursMicros) - Number(baseMicros)).toFixed(0)}** |`,
  );
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === '--compare') return compare(args.slice(1));
  const [file, countArg] = args;
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [count] | --compare <ours.cpuprofile> <µs> <baseline.cpuprofile> <µs> [count]');
  const summary = summarise(file);
  const share = (micros: number) => `${((100 * micros) / summary.total).toFixed(1)}%`;
  console.log(`| self time | function |\n|---|---|`);
  for (const [name, micros] of top(summary.functions, Number(countArg ?? 25))) console.log(`| ${share(micros)} | \`${name}\` |`);
  console.log(`\n| self time | where |\n|---|---|`);
  for (const [name, micros] of top(summary.packages, 15)) console.log(`| ${share(micros)} | ${name} |`);
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const source = url.indexOf('/src/');
  return source >= 0 ? url.slice(source + 1) : path.basename(url);
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node (core)';
  const source = url.indexOf('/src/');
  return source >= 0
    ? `our code: ${url
        .slice(source + 1)
        .split('/')
        .slice(0, 2)
        .join('/')}`
    : url;
}

main();
