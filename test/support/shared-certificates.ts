import fs from 'node:fs';
import path from 'node:path';
import { type CertificateNames, type StandInCertificates, standInCertificates, useStandInCertificates } from '../../src/demo/stand-ins/test-certificates';

/** Set by the jest global setup to the file holding the run's PayPal stand-in certificates. */
export const SHARED_CERTIFICATES_VARIABLE = 'CREDITS_TEST_STAND_IN_CERTIFICATES';

/**
 * Makes the PayPal stand-in's test certificates for `names` (its defaults) once for the whole run, into
 * `directory` (the run's own, removed by the global teardown), and returns the file. Making them
 * costs about a second of openssl per process (two RSA keys); each test file is a fresh module
 * registry, so without this every file that starts a server paid it again.
 */
export async function writeSharedCertificates(directory: string, names: CertificateNames): Promise<string> {
  const certificates = await standInCertificates(names);
  const file = path.join(directory, 'stand-in-certificates.json');
  fs.writeFileSync(file, JSON.stringify(certificates), { mode: 0o600 });
  return file;
}

/**
 * For a setup file of the integration projects (env.certificates.ts; it loads nothing else): the test file's stand-ins take the run's certificates.
 * They are read-only key material, never state a test changes, so sharing them between files is
 * what sharing them between the servers of one file (one process, one cache) already was. Without
 * the variable (a test run outside jest's global setup) the stand-ins make their own, as before.
 */
export function useSharedCertificates(): void {
  const file = process.env[SHARED_CERTIFICATES_VARIABLE];
  if (!file) return;
  useStandInCertificates(JSON.parse(fs.readFileSync(file, 'utf8')) as StandInCertificates);
}
