import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { COMPILED_ROOT_VARIABLE, compileServer, removeAbandonedCompilations } from './compiled-server';
import { createTemplate, TEMPLATE_VARIABLE } from './mariadb-template';

const EXPLORER_BUNDLE = path.join(__dirname, '..', '..', 'explorer', 'dist', 'explorer.js');

/**
 * Jest's global setup: compiles the server once for the whole run (about one CPU second), so every
 * test that starts the real process runs that copy; the workers inherit the variable naming it.
 * It also bundles the explorer when a fresh checkout has no bundle yet, so the tests that read the
 * explorer's routes (security headers, the explorer itself) do not depend on which runs first.
 * Where MariaDB is reachable, it migrates the run's template database once, which test servers'
 * fresh MariaDB databases are copies of (test/support/mariadb-template.ts).
 */
export default async function globalSetup(): Promise<void> {
  removeAbandonedCompilations();
  const root = compileServer().root;
  process.env[COMPILED_ROOT_VARIABLE] = root;
  const template = await createTemplate(process.env.TEST_MARIADB_URL ?? 'mariadb://root@127.0.0.1:3306', root);
  if (template) process.env[TEMPLATE_VARIABLE] = template;
  if (!existsSync(EXPLORER_BUNDLE)) execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'explorer', 'build.mjs')], { stdio: 'pipe' });
}
