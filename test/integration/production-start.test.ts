import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEVELOPMENT_JWT_SECRET, SETTINGS, type SettingName } from '../../src/config';
import { PRODUCTION_ENV } from '../support/harness';
import { spawnEntry } from '../support/server-process';

/** Three base64url segments starting with a JSON header: what a printed JWT looks like. */
const TOKEN_SHAPED = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/;

/** A production configuration that starts on the embedded SQLite, once it is allowed explicitly. */
const COMPLETE: Record<string, string> = { ...PRODUCTION_ENV, LOG_LEVEL: 'info', PORT: '0' };
const without = (...names: string[]) => Object.fromEntries(Object.entries(COMPLETE).filter(([name]) => !names.includes(name)));
const named = (prefix: string) => Object.keys(COMPLETE).filter((name) => name.startsWith(prefix));
/** Stripe's two settings and nothing of PayPal's or VNPay's. */
const STRIPE_ONLY = without(...named('PAYPAL_'), ...named('VNPAY_'));
/** The values of the settings declared secret: never printed. */
const SECRET_VALUES = Object.entries(COMPLETE)
  .filter(([name]) => (SETTINGS as Record<string, { secret?: boolean }>)[name as SettingName]?.secret)
  .map(([, value]) => value);

interface Run {
  exitCode: number | null;
  /** The signal that ended the process, when one did (the default action of an unhandled SIGTERM). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The real process (`src/main.ts`) as an operator starts it; stopped with SIGTERM once it prints
 * `stopWhen`, after `whileUp` (given what it printed so far) is done.
 */
function run(env: Record<string, string>, stopWhen?: RegExp, whileUp?: (stdout: string) => Promise<void>): Promise<Run> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'credits-production-start-'));
  const child = spawnEntry({ PATH: process.env.PATH ?? '', SQLITE_PATH: path.join(directory, 'credits.sqlite'), ...env });
  let stdout = '';
  let stderr = '';
  let stopping = false;
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    // One SIGTERM, as an operator sends it: later output (the shutdown's own lines) sends no second one.
    if (!stopping && stopWhen?.test(stdout)) {
      stopping = true;
      void (whileUp?.(stdout) ?? Promise.resolve()).finally(() => child.kill('SIGTERM'));
    }
  });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) =>
    child.on('exit', (exitCode, signal) => {
      fs.rmSync(directory, { recursive: true, force: true });
      resolve({ exitCode, signal, stdout, stderr });
    }),
  );
}

describe('starting in production', () => {
  it.each<[string, Record<string, string>, RegExp]>([
    ['no DATABASE_URL (the embedded SQLite)', without('ALLOW_SQLITE_IN_PRODUCTION'), /DATABASE_URL is required/],
    ['SEED_DEMO_DATA=true', { ...COMPLETE, SEED_DEMO_DATA: 'true' }, /SEED_DEMO_DATA=true is refused/],
    ['the development JWT secret', { ...COMPLETE, JWT_SECRET: DEVELOPMENT_JWT_SECRET }, /JWT_SECRET is the development secret/],
    ['CORS_ORIGINS=*', { ...COMPLETE, CORS_ORIGINS: '*' }, /CORS_ORIGINS=\* is refused/],
    ['no JWT_ISSUER', without('JWT_ISSUER'), /JWT_ISSUER is required/],
    ['no JWT_AUDIENCE', without('JWT_AUDIENCE'), /JWT_AUDIENCE is required/],
    [
      'a half-configured PayPal',
      without('PAYPAL_WEBHOOK_ID', 'PAYPAL_CERT_URL_ALLOW_LIST'),
      /PAYPAL_WEBHOOK_ID, PAYPAL_CERT_URL_ALLOW_LIST: required once PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET, PAYPAL_WEBHOOK_CERT_COMMON_NAME are set \(PayPal is half-configured/,
    ],
    ['no payment provider', without(...named('STRIPE_'), ...named('PAYPAL_'), ...named('VNPAY_')), /required in production \(at least one payment provider\)/],
  ])('refuses %s: exit 1, one line on stderr, no token printed', async (_case, env, message) => {
    const { exitCode, stdout, stderr } = await run(env);
    expect(exitCode).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^Refusing to start in production: /);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout + stderr).not.toMatch(TOKEN_SHAPED);
    for (const value of SECRET_VALUES) expect(stdout + stderr).not.toContain(value);
    // Nothing started: no listening line, no demo banner.
    expect(stdout).not.toContain('listening');
    expect(stdout).not.toContain('demo');
  });

  it('names every refusal at once, still on one line', async () => {
    const { exitCode, stderr } = await run({ ...without('ALLOW_SQLITE_IN_PRODUCTION', 'JWT_ISSUER'), CORS_ORIGINS: '*' });
    expect(exitCode).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/DATABASE_URL is required.*CORS_ORIGINS=\* is refused.*JWT_ISSUER is required/);
  });

  it('starts on the embedded SQLite when allowed explicitly, without any of the demo', async () => {
    const { exitCode, signal, stdout, stderr } = await run(COMPLETE, /credits BFF listening/);
    expect(stdout).toContain('credits BFF listening');
    // The SIGTERM sent the moment the line appears is drained, not the default action's kill.
    expect({ exitCode, signal }).toEqual({ exitCode: 0, signal: null });
    expect(stdout).toContain('stopped cleanly');
    expect(stdout + stderr).not.toMatch(TOKEN_SHAPED);
    expect(stdout).not.toMatch(/demo|explorer|Webhook receiver/i);
  });

  it('starts with Stripe alone: /healthz answers, and SIGTERM stops it cleanly', async () => {
    let health: number | string = 'not asked';
    const { exitCode, signal, stdout, stderr } = await run(STRIPE_ONLY, /credits BFF listening/, async (printed) => {
      const base = /"url":"(http[^"]+)\/graphql"/.exec(printed)?.[1];
      health = base ? (await fetch(`${base}/healthz`)).status : 'no url in the listening line';
    });
    expect(health).toBe(200);
    expect({ exitCode, signal }).toEqual({ exitCode: 0, signal: null });
    expect(stdout).toContain('stopped cleanly');
    expect(stderr).toBe('');
    expect(stdout + stderr).not.toMatch(TOKEN_SHAPED);
    for (const value of SECRET_VALUES) expect(stdout + stderr).not.toContain(value);
  });
});
