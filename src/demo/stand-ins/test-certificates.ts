import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * TEST-ONLY key material for the PayPal stand-in, made fresh at start-up with the openssl CLI
 * (Node can sign but cannot issue X.509 certificates). Nothing here is ever trusted outside a
 * test or the embedded demo: the CA exists only in memory of this process.
 */
export interface StandInCertificates {
  /** A throw-away CA; the loopback agent and the webhook verifier trust it in tests and the demo. */
  caPem: string;
  /** The stand-in's TLS certificate, for `serverName` and 127.0.0.1. */
  serverName: string;
  serverKeyPem: string;
  serverCertPem: string;
  /** Signs the stand-in's webhooks; issued by the CA with this common name. */
  signingCommonName: string;
  signingKeyPem: string;
  signingCertPem: string;
  /** A self-signed certificate with the same common name: what a forger could offer. */
  rogueSigningKeyPem: string;
  rogueSigningCertPem: string;
}

export interface CertificateNames {
  serverName: string;
  signingCommonName: string;
}

/**
 * The CA and the TLS certificate use P-256 keys, which are made in milliseconds; only the webhook
 * signing keys must be RSA (PayPal signs SHA256withRSA), about a second of openssl per set.
 */
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

const cache = new Map<string, Promise<StandInCertificates>>();

const cacheKey = (names: CertificateNames) => `${names.serverName}|${names.signingCommonName}`;

/** One set per process and names: generating RSA keys takes a moment. */
export function standInCertificates(names: CertificateNames): Promise<StandInCertificates> {
  const key = cacheKey(names);
  let certificates = cache.get(key);
  if (!certificates) {
    certificates = generate(names);
    certificates.catch(() => cache.delete(key));
    cache.set(key, certificates);
  }
  return certificates;
}

/**
 * Gives this process a set made elsewhere, for its names: the stand-ins started afterwards use it
 * instead of making their own. The jest run makes one set in its global setup and every test file
 * takes it (test/support/shared-certificates.ts), as every stand-in of one process already shares one.
 */
export function useStandInCertificates(certificates: StandInCertificates): void {
  cache.set(cacheKey(certificates), Promise.resolve(certificates));
}

async function generate({ serverName, signingCommonName }: CertificateNames): Promise<StandInCertificates> {
  assertSafeName(serverName);
  assertSafeName(signingCommonName);
  const directory = await mkdtemp(path.join(os.tmpdir(), 'credits-bff-stand-in-certs-'));
  const file = (name: string) => path.join(directory, name);
  const openssl = (...args: string[]) =>
    run('openssl', args, { cwd: directory }).catch((error: Error) => {
      throw new Error(`openssl is needed to make the PayPal stand-in's test certificates: ${error.message}`);
    });
  try {
    await Promise.all([
      openssl(
        'req',
        '-x509',
        ...EC_KEY,
        '-nodes',
        '-keyout',
        'ca.key',
        '-out',
        'ca.pem',
        '-days',
        '3650',
        '-sha256',
        '-subj',
        '/O=Credits BFF/CN=Credits BFF stand-in test CA (TEST ONLY)',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ),
      openssl('req', ...EC_KEY, '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${serverName}`),
      openssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'signing.key',
        '-out',
        'signing.csr',
        '-subj',
        `/O=Credits BFF stand-in/CN=${signingCommonName}`,
      ),
      openssl(
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'rogue.key',
        '-out',
        'rogue.pem',
        '-days',
        '365',
        '-sha256',
        '-subj',
        `/CN=${signingCommonName}`,
      ),
    ]);
    await writeFile(
      file('server.ext'),
      `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:${serverName},IP:127.0.0.1\n`,
    );
    await writeFile(file('signing.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n');
    const issue = (name: string) =>
      openssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-set_serial',
        `0x${randomBytes(12).toString('hex')}`,
        '-days',
        '825',
        '-sha256',
        '-extfile',
        `${name}.ext`,
        '-out',
        `${name}.pem`,
      );
    await Promise.all([issue('server'), issue('signing')]);
    const read = (name: string) => readFile(file(name), 'utf8');
    return {
      caPem: await read('ca.pem'),
      serverName,
      serverKeyPem: await read('server.key'),
      serverCertPem: await read('server.pem'),
      signingCommonName,
      signingKeyPem: await read('signing.key'),
      signingCertPem: await read('signing.pem'),
      rogueSigningKeyPem: await read('rogue.key'),
      rogueSigningCertPem: await read('rogue.pem'),
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function assertSafeName(name: string): void {
  if (!/^[A-Za-z0-9.-]{1,200}$/.test(name)) throw new Error(`"${name}" is not a plain host name`);
}
