import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { COMPILED_ROOT_VARIABLE, compileServer, removeAbandonedCompilations } from './compiled-server';

const EXPLORER_BUNDLE = path.join(__dirname, '..', '..', 'explorer', 'dist', 'explorer.js');

/**
 * Jest's global setup: compiles the server once for the whole run (about one CPU second), so every
 * test that starts the real process runs that copy; the workers inherit the variable naming it.
 * It also bundles the explorer when a fresh checkout has no bundle yet, so the tests that read the
 * explorer's routes (security headers, the explorer itself) do not depend on which runs first.
 */
export default function globalSetup(): void {
  removeAbandonedCompilations();
  process.env[COMPILED_ROOT_VARIABLE] = compileServer().root;
  if (!existsSync(EXPLORER_BUNDLE)) execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'explorer', 'build.mjs')], { stdio: 'pipe' });
}
