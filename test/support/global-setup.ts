import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PAYPAL_STAND_IN_SERVER_NAME, PAYPAL_STAND_IN_SIGNING_COMMON_NAME } from '../../src/demo/stand-ins/paypal.stand-in';
import { COMPILED_ROOT_VARIABLE, compileServer, removeAbandonedCompilations } from './compiled-server';
import { createTemplate, TEMPLATE_VARIABLE } from './mariadb-template';
import { SHARED_CERTIFICATES_VARIABLE, writeSharedCertificates } from './shared-certificates';

const EXPLORER_BUNDLE = path.join(__dirname, '..', '..', 'explorer', 'dist', 'explorer.js');

/**
 * Jest's global setup: compiles the server once for the whole run (about one CPU second), so every
 * test that starts the real process runs that copy; the workers inherit the variable naming it.
 * It also bundles the explorer when a fresh checkout has no bundle yet, so the tests that read the
 * explorer's routes (security headers, the explorer itself) do not depend on which runs first.
 * Where MariaDB is reachable, it migrates the run's template database once, which test servers'
 * fresh MariaDB databases are copies of (test/support/mariadb-template.ts). It makes the PayPal
 * stand-in's test certificates once, beside the compiled copy, for every test file's stand-ins
 * (test/support/shared-certificates.ts).
 */
export default async function globalSetup(): Promise<void> {
  removeAbandonedCompilations();
  const root = compileServer().root;
  process.env[COMPILED_ROOT_VARIABLE] = root;
  // openssl works in child processes while the template database is migrated.
  const [template, certificates] = await Promise.all([
    mariadbProjectSelected() ? createTemplate(process.env.TEST_MARIADB_URL ?? 'mariadb://root@127.0.0.1:3306', root) : null,
    writeSharedCertificates(root, { serverName: PAYPAL_STAND_IN_SERVER_NAME, signingCommonName: PAYPAL_STAND_IN_SIGNING_COMMON_NAME }),
  ]);
  if (template) process.env[TEMPLATE_VARIABLE] = template;
  process.env[SHARED_CERTIFICATES_VARIABLE] = certificates;
  if (!existsSync(EXPLORER_BUNDLE)) execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'explorer', 'build.mjs')], { stdio: 'pipe' });
}

/**
 * Whether this run may run the MariaDB project: not when `--selectProjects` names only others (a run
 * of the unit or SQLite tests alone then skips migrating a template it would never copy, about 2 s).
 */
function mariadbProjectSelected(argv: string[] = process.argv): boolean {
  const at = argv.findIndex((argument) => argument === '--selectProjects' || argument.startsWith('--selectProjects='));
  if (at === -1) return true;
  const selected = argv[at].includes('=') ? [argv[at].slice(argv[at].indexOf('=') + 1)] : [];
  for (const argument of argv.slice(at + 1)) {
    if (argument.startsWith('-')) break;
    selected.push(argument);
  }
  return selected.includes('mariadb');
}
