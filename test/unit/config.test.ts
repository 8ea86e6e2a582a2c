import { ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig } from '../../src/config';
import { spawnEntry } from '../support/server-process';

/** The ConfigError message for an environment, or '' when it is accepted. */
function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
    return '';
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

function refusal(env: Record<string, string>): string {
  const problems = problemsOf(env);
  if (!problems) throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
  return problems;
}

describe('loadConfig', () => {
  it('starts on the embedded database with the development secret when nothing is set', () => {
    const config = loadConfig({});
    expect(config.database.kind).toBe('sqlite');
    expect(config.port).toBe(4000);
    expect(config.auth.hmacSecret).toBe(DEVELOPMENT_JWT_SECRET);
  });

  it('reads a MariaDB URL, a port and a pool size', () => {
    const config = loadConfig({ DATABASE_URL: 'mariadb://root@127.0.0.1:3306/credits', PORT: '8080', DATABASE_POOL_SIZE: '5' });
    expect(config.port).toBe(8080);
    expect(config.database).toMatchObject({ kind: 'mysql', flavor: 'mariadb', url: 'mysql://root@127.0.0.1:3306/credits', poolSize: 5 });
  });

  it('keeps the embedded database durable at every commit unless told otherwise', () => {
    expect(loadConfig({}).database).toMatchObject({ kind: 'sqlite', synchronous: 'FULL' });
    expect(loadConfig({ SQLITE_SYNCHRONOUS: 'normal' }).database).toMatchObject({ kind: 'sqlite', synchronous: 'NORMAL' });
  });

  it('keeps balances for a second in one process, and not at all when processes share a Redis bus unless told to', () => {
    expect(loadConfig({}).balanceCacheMs).toBe(1000);
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).balanceCacheMs).toBe(0);
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', BALANCE_CACHE_MS: '250' }).balanceCacheMs).toBe(250);
    expect(loadConfig({ BALANCE_CACHE_MS: '0' }).balanceCacheMs).toBe(0);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ BALANCE_CACHE_MS: '-5' }, 'BALANCE_CACHE_MS'],
    [{ SQLITE_SYNCHRONOUS: 'OFF' }, 'SQLITE_SYNCHRONOUS'],
    [{ DATABASE_URL: 'http://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mysql://root@127.0.0.1:3306' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ JWT_SECRET: 'too-short' }, 'JWT_SECRET'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
    [{ CORS_ORIGINS: 'https://console.example/path' }, 'CORS_ORIGINS'],
    [{ SEED_DEMO_DATA: 'maybe' }, 'SEED_DEMO_DATA'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DATABASE_URL: 'mariadb://root@127.0.0.1:3306/credits', DATABASE_REPLICA_URL: 'redis://127.0.0.1:6379' }, 'DATABASE_REPLICA_URL'],
    [{ DATABASE_URL: 'mariadb://root@127.0.0.1:3306/credits', DATABASE_REPLICA_URL: 'mariadb://root@127.0.0.1:3307' }, 'DATABASE_REPLICA_URL'],
    [{ DATABASE_REPLICA_URL: 'mariadb://root@127.0.0.1:3307/credits' }, 'DATABASE_REPLICA_URL'],
    [{ GRAPHQL_PERSISTED_QUERY_TTL_SECONDS: '10' }, 'GRAPHQL_PERSISTED_QUERY_TTL_SECONDS'],
  ])('refuses %p with a ConfigError naming %s', (env, variable) => {
    expect(refusal(env)).toContain(`- ${variable}`);
  });

  it('reads a read replica beside the primary, and none by default', () => {
    expect(loadConfig({ DATABASE_URL: 'mariadb://root@127.0.0.1:3306/credits' }).database).toMatchObject({ replicaUrl: null });
    const config = loadConfig({ DATABASE_URL: 'mariadb://root@127.0.0.1:3306/credits', DATABASE_REPLICA_URL: 'mariadb://reader@10.0.0.2:3306/credits' });
    expect(config.database).toMatchObject({ kind: 'mysql', url: 'mysql://root@127.0.0.1:3306/credits', replicaUrl: 'mysql://reader@10.0.0.2:3306/credits' });
  });

  it('keeps persisted queries a day unless told otherwise', () => {
    expect(loadConfig({}).persistedQueryTtlSeconds).toBe(86_400);
    expect(loadConfig({ GRAPHQL_PERSISTED_QUERY_TTL_SECONDS: '600' }).persistedQueryTtlSeconds).toBe(600);
  });

  it('names every bad variable at once', () => {
    const message = refusal({ PORT: 'abc', JWT_SECRET: 'short' });
    expect(message).toContain('PORT:');
    expect(message).toContain('JWT_SECRET:');
  });

  it('refuses document series that share a prefix: receipts, credit notes and debit notes are numbered apart', () => {
    expect(refusal({ CREDIT_NOTE_NUMBER_PREFIX: 'RC' })).toContain('CREDIT_NOTE_NUMBER_PREFIX: must differ');
    expect(refusal({ DEBIT_NOTE_NUMBER_PREFIX: 'CN' })).toContain('DEBIT_NOTE_NUMBER_PREFIX: must differ');
    expect(refusal({ DEBIT_NOTE_NUMBER_PREFIX: 'RC' })).toContain('DEBIT_NOTE_NUMBER_PREFIX: must differ');
    expect(loadConfig({ DEBIT_NOTE_NUMBER_PREFIX: 'ND' }).receipts.debitNotePrefix).toBe('ND');
  });

  it('accepts a long enough secret in production', () => {
    // Production needs more settings (payment providers); this looks only at the signing key.
    const problems = problemsOf({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), CORS_ORIGINS: 'https://console.example' });
    expect(problems).not.toMatch(/JWT_|CORS_ORIGINS/);
  });
});

describe('start-up with a bad configuration', () => {
  it('exits with code 1 and names the variable on stderr', async () => {
    const child = spawnEntry({ PATH: process.env.PATH ?? '', PORT: 'abc', SQLITE_PATH: ':memory:', LOG_LEVEL: 'silent' });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(exitCode).toBe(1);
    expect(stderr).toContain('Invalid configuration');
    expect(stderr).toMatch(/PORT: expected a whole number, got "abc"/);
    expect(stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });
});
