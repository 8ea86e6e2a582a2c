import fs from 'node:fs';
import path from 'node:path';

/**
 * `npx ts-node --transpile-only test/bench/profile-summary.ts <file.cpuprofile> [count]`: the
 * functions with the most self time in a `--cpu-prof` profile (from `BENCH_CPU_PROF=dir npm run
 * bench`), and the share per package, as Markdown, for docs/benchmarks.md.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

function main(): void {
  const [file, countArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [count]');
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  // The profiler's own work shows as native frames under the call that started it (server.process.ts's
  // profileStart): not the server's, so left out of the shares.
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
  const total = [...selfMicros.values()].reduce((sum, value) => sum + value, 0);
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + micros);
    const owner = packageOf(url, functionName);
    packages.set(owner, (packages.get(owner) ?? 0) + micros);
  }
  const share = (micros: number) => `${((100 * micros) / total).toFixed(1)}%`;
  const top = (map: Map<string, number>, count: number) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
  console.log(`| self time | function |\n|---|---|`);
  for (const [name, micros] of top(functions, Number(countArg ?? 25))) console.log(`| ${share(micros)} | \`${name}\` |`);
  console.log(`\n| self time | where |\n|---|---|`);
  for (const [name, micros] of top(packages, 15)) console.log(`| ${share(micros)} | ${name} |`);
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
