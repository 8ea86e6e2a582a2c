import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { environmentWithEnvFile, loadConfig, readTracingConfig, SETTINGS } from '../../src/config';
import { renderEnvExample, withTables } from '../../src/config/docs';
import { defaultValue } from '../../src/config/read';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** The names a reader looks up in an environment, recorded as it runs. */
function variablesLookedUp(readEnvironment: (env: Record<string, string>) => unknown, env: Record<string, string>): Set<string> {
  const seen = new Set<string>();
  const recording = new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') seen.add(name);
      return target[name as string];
    },
  });
  try {
    readEnvironment(recording);
  } catch {
    // A refused configuration still shows which names were looked up.
  }
  return seen;
}

describe('the generated configuration docs', () => {
  it('docs/configuration.md has the tables src/config/settings.ts gives (run `npm run config:docs` after changing a setting)', () => {
    const document = read('docs/configuration.md');
    expect(document).toContain('## Every setting');
    expect(withTables(document)).toBe(document);
  });

  it('.env.example is what src/config/settings.ts gives, every declared variable on a line of its own', () => {
    const text = read('.env.example');
    expect(text).toBe(renderEnvExample());
    const named = [...text.matchAll(/^# ([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]);
    expect(named.sort()).toEqual(Object.keys(SETTINGS).sort());
  });

  it('.env.example is a valid .env file that changes nothing while every line is commented out', () => {
    expect(environmentWithEnvFile({}, path.join(ROOT, '.env.example'))).toEqual({});
  });

  it('reads no variable that is not declared, in any environment', () => {
    const declared = new Set(Object.keys(SETTINGS));
    const scenarios: Record<string, string>[] = [
      {},
      { DATABASE_URL: 'mariadb://root@127.0.0.1:3306/credits', REDIS_URL: 'redis://127.0.0.1:6379' },
      { NODE_ENV: 'production', STRIPE_SECRET_KEY: 'sk_test_1' },
    ];
    for (const env of scenarios) {
      const looked = [...variablesLookedUp(loadConfig, env), ...variablesLookedUp(readTracingConfig, env)];
      expect(looked.filter((name) => !declared.has(name))).toEqual([]);
      expect(looked.length).toBeGreaterThan(20);
    }
  });

  it.each(['development', 'test', 'production'] as const)('has defaults its own schemas accept (%s)', (environment) => {
    for (const [mysql, redis] of [
      [false, false],
      [true, true],
    ]) {
      for (const setting of Object.values(SETTINGS)) expect(() => defaultValue(setting, { environment, mysql, redis })).not.toThrow();
    }
  });
});

describe('environmentWithEnvFile', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'env-file-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('adds the file’s variables beneath the environment: a variable already set wins', () => {
    const file = path.join(directory, '.env');
    writeFileSync(file, '# comment\nPORT=5000\nHOST=0.0.0.0\nLOG_LEVEL="debug"\n');
    const env = environmentWithEnvFile({ PORT: '6000' }, file);
    expect(env).toEqual({ PORT: '6000', HOST: '0.0.0.0', LOG_LEVEL: 'debug' });
    expect(loadConfig(env)).toMatchObject({ port: 6000, host: '0.0.0.0', logLevel: 'debug' });
  });

  it('leaves the environment as it is when there is no file', () => {
    const env = { PORT: '6000' };
    expect(environmentWithEnvFile(env, path.join(directory, 'missing.env'))).toBe(env);
  });
});
