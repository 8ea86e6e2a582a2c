import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { environmentWithEnvFile, loadConfig, SETTINGS } from '../../src/config';

const ROOT = path.join(__dirname, '..', '..');
const NAME = '[A-Z][A-Z0-9_]*';

/** The variables src/config/settings.ts declares. */
function variablesInConfigSource(): Set<string> {
  return new Set(Object.keys(SETTINGS));
}

/** The variables .env.example names, commented out (`# NAME=default`) or set. */
function variablesInEnvExample(): Set<string> {
  const text = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
  return new Set([...text.matchAll(new RegExp(`^#?\\s*(${NAME})=`, 'gm'))].map((match) => match[1]));
}

/** The names loadConfig looks up in an environment, recorded as it runs. */
function variablesLoadConfigLooksUp(env: Record<string, string>): Set<string> {
  const seen = new Set<string>();
  const recording = new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') seen.add(name);
      return target[name as string];
    },
  });
  try {
    loadConfig(recording);
  } catch {
    // A refused configuration still shows which names were looked up.
  }
  return seen;
}

const sorted = (names: Set<string>) => [...names].sort();

describe('.env.example', () => {
  it('lists exactly the variables src/config.ts reads', () => {
    expect(sorted(variablesInEnvExample())).toEqual(sorted(variablesInConfigSource()));
  });

  it('misses none that loadConfig looks up at run time (the source scan finds every one)', () => {
    const scenarios: Record<string, string>[] = [
      {},
      { DATABASE_URL: 'mariadb://root@127.0.0.1:3306/credits' },
      { NODE_ENV: 'production', STRIPE_SECRET_KEY: 'sk_test_1' },
    ];
    const found = variablesInConfigSource();
    for (const env of scenarios) {
      const looked = sorted(variablesLoadConfigLooksUp(env));
      expect(looked.filter((name) => !found.has(name))).toEqual([]);
      expect(looked.length).toBeGreaterThan(20);
    }
  });

  it('is a valid .env file that changes nothing while every line is commented out', () => {
    const parsed = environmentWithEnvFile({}, path.join(ROOT, '.env.example'));
    expect(parsed).toEqual({});
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
