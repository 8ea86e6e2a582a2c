// Builds the reference console (React + urql, console/src) into console/dist with Vite. Run by
// `npm run build` (scripts/build.mjs, when console/ is newer than the build) and `npm run
// build:console`. A production install (`npm ci --omit=dev`) has no Vite: then this says so and
// does nothing, and /console explains how to build it, as the explorer does.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

try {
  require.resolve('vite');
  require.resolve('urql');
} catch {
  console.log('console: vite or urql is not installed (a production install?); the console was not built.');
  process.exit(0);
}
// A production bundle whatever the caller's NODE_ENV (jest runs this with NODE_ENV=test, which would
// make Vite bundle React's development build).
process.env.NODE_ENV = 'production';
const { build } = await import('vite');

const started = Date.now();
// No React plugin: Vite's own transformer compiles the JSX (automatic runtime); fast refresh is all
// the plugin would add, and the console is built, not served by Vite's dev server.
await build({
  configFile: false,
  root: here,
  base: '/console/',
  mode: 'production',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: path.join(here, 'dist'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 600 },
});
console.log(`console: built ${path.relative(process.cwd(), path.join(here, 'dist'))} in ${Date.now() - started} ms`);
