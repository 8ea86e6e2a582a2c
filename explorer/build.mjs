// Builds the offline explorer (GraphiQL + React + Monaco workers) into explorer/dist with esbuild.
// Run by `npm run build:explorer`, `npm run build` and `postinstall`. A production install
// (`npm ci --omit=dev`) has no esbuild and no GraphiQL: then this says so and does nothing, and the
// server's landing page explains how to build it.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.join(here, 'dist');
const require = createRequire(import.meta.url);

let esbuild;
try {
  esbuild = require('esbuild');
  require.resolve('graphiql');
} catch {
  console.log('explorer: esbuild or graphiql is not installed (a production install?); the explorer bundle was not built.');
  process.exit(0);
}

const common = {
  bundle: true,
  minify: true,
  target: 'es2022',
  logLevel: 'warning',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
};

const started = Date.now();
await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: { explorer: path.join(here, 'explorer.jsx') },
    outdir,
    format: 'iife',
    jsx: 'automatic',
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file' },
    assetNames: '[name]-[hash]',
  }),
  esbuild.build({
    ...common,
    entryPoints: {
      'editor.worker': require.resolve('monaco-editor/esm/vs/editor/editor.worker.js'),
      'json.worker': require.resolve('monaco-editor/esm/vs/language/json/json.worker.js'),
      'graphql.worker': require.resolve('monaco-graphql/esm/graphql.worker.js'),
    },
    outdir,
    format: 'iife',
  }),
]);
console.log(`explorer: built ${path.relative(process.cwd(), outdir) || outdir} in ${Date.now() - started} ms`);
