// Builds what is out of date, and only that (`npm run build`, and before `npm start` and `npm run migrate`):
//   - the TypeScript of src/ and migrations/ into dist/ with `tsc -b` (incremental: dist/.tsbuildinfo
//     remembers what was built, so an unchanged tree costs a second or two, a changed file only its
//     own part); compiled files whose source is gone are removed, so a deleted migration never runs;
//   - the offline explorer bundle (explorer/dist) when explorer/ or the lockfile is newer than it;
//   - the reference console (console/dist, Vite) when console/ or the lockfile is newer than it.
// `--force` rebuilds all three; `--only=typescript`, `--only=explorer` or `--only=console` (or a
// comma-separated list) builds those (`npm run dev` runs the TypeScript from source and needs only
// the explorer and the console). Where TypeScript is not installed (the container image: production
// dependencies and the build output only) there is nothing to build, and this says nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const force = process.argv.includes('--force');
const PARTS = ['typescript', 'explorer', 'console'];
const onlyArgument = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const only = onlyArgument ? onlyArgument.split(',') : PARTS;
if (only.some((part) => !PARTS.includes(part))) {
  console.error(`build: --only=${onlyArgument}? Use --only= with ${PARTS.join(', ')} (comma-separated).`);
  process.exit(2);
}
const at = (...parts) => path.join(root, ...parts);

let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  if (existsSync(at('dist', 'src', 'main.js'))) process.exit(0);
  console.error('build: TypeScript is not installed and there is no dist/: run `npm install` first.');
  process.exit(1);
}

if (only.includes('typescript')) {
  run(tsc, ['-b', 'tsconfig.build.json', ...(force ? ['--force'] : [])]);
  for (const folder of ['src', 'migrations']) removeOrphans(at('dist', folder), at(folder));
}
if (only.includes('explorer') && (force || explorerIsStale())) run(at('explorer', 'build.mjs'), []);
if (only.includes('console') && (force || consoleIsStale())) run(at('console', 'build.mjs'), []);

function run(script, args) {
  const { status } = spawnSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}

/** Deletes compiled files (`x.js`, `x.js.map`) in `built` whose `x.ts` is no longer in `source`. */
function removeOrphans(built, source) {
  if (!existsSync(built)) return;
  for (const entry of readdirSync(built, { withFileTypes: true })) {
    const target = path.join(built, entry.name);
    if (entry.isDirectory()) {
      if (existsSync(path.join(source, entry.name))) removeOrphans(target, path.join(source, entry.name));
      else rmSync(target, { recursive: true, force: true });
      continue;
    }
    const stem = entry.name.replace(/\.js(\.map)?$/, '');
    if (stem !== entry.name && !existsSync(path.join(source, `${stem}.ts`))) rmSync(target, { force: true });
  }
}

/** Whether explorer/dist is missing or older than its sources (explorer/*.jsx, its build script) or the lockfile. */
function explorerIsStale() {
  const bundle = at('explorer', 'dist', 'explorer.js');
  if (!existsSync(bundle)) return true;
  const built = statSync(bundle).mtimeMs;
  const sources = readdirSync(at('explorer'))
    .filter((name) => /\.(jsx?|mjs|css)$/.test(name))
    .map((name) => at('explorer', name));
  return [...sources, at('package-lock.json')].some((file) => existsSync(file) && statSync(file).mtimeMs > built);
}

/** Whether console/dist is missing or older than anything under console/ but its build (sources, generated types, index.html, build script) or the lockfile. */
function consoleIsStale() {
  const page = at('console', 'dist', 'index.html');
  if (!existsSync(page)) return true;
  const built = statSync(page).mtimeMs;
  const newer = (directory) =>
    readdirSync(directory, { withFileTypes: true }).some((entry) => {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) return entry.name !== 'dist' && entry.name !== 'node_modules' && newer(full);
      return statSync(full).mtimeMs > built;
    });
  return newer(at('console')) || statSync(at('package-lock.json')).mtimeMs > built;
}
