// The commands as the container runs them: the build output (`npm run build`'s TypeScript part, the
// same `tsc -b` as `npm start`), then the compiled commands by plain `node`, as compose.yaml, the
// Dockerfile and `npm run migrate` name them, on fresh MariaDB databases; and the other scripts
// (token, seed, reset) from the same output. MariaDB only (jest.config.js): migrations are MySQL's,
// and the scripts need to run once, not once per database kind.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { parse } from 'yaml';
import { COMPILED_MIGRATE_COMMAND, MIGRATE_COMMAND } from '../../src/database/migrations';
import { sqliteDriver } from '../../src/database/sqlite-driver';
import { createTestDatabase, type TestDatabaseHandle } from '../support/harness';

const ROOT = path.join(__dirname, '..', '..');
const run = promisify(execFile);

/** What a command printed and how it ended; a non-zero exit is an answer here, not a throw. */
async function node(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: ROOT, env: { ...process.env, NODE_ENV: 'test', PORT: '0', ...env }, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** `node <file> …` as an array (compose, the Dockerfile's exec form) or a string (package.json): the file, or null. */
function nodeScript(command: string[] | string): string | null {
  const words = typeof command === 'string' ? command.split(/\s+/) : command;
  if (words[0] !== 'node') return null;
  const file = words.slice(1).find((word) => !word.startsWith('-'));
  return words[1]?.startsWith('-e') || !file ? null : file;
}

/** Every migration in migrations/, by the name TypeORM records (class name = name + timestamp), in order. */
const MIGRATIONS = readdirSync(path.join(ROOT, 'migrations'))
  .filter((file) => file.endsWith('.ts'))
  .sort()
  .map((file) => {
    const [, timestamp, name] = /^(\d+)-(\w+)\.ts$/.exec(file)!;
    return `${name}${timestamp}`;
  });

async function tablesOf(database: TestDatabaseHandle): Promise<string[]> {
  const url = new URL(database.env.DATABASE_URL.replace(/^mariadb:/, 'mysql:'));
  const connection = await mysql.createConnection({ uri: url.toString() });
  try {
    const [rows] = await connection.query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()');
    return (rows as { name: string }[]).map((row) => row.name);
  } finally {
    await connection.end();
  }
}

describe('the compiled commands', () => {
  const databases: TestDatabaseHandle[] = [];
  const freshDatabase = async () => {
    const database = await createTestDatabase();
    databases.push(database);
    return { DATABASE_URL: database.env.DATABASE_URL, handle: database };
  };

  beforeAll(async () => {
    // The TypeScript part of `npm run build` (the explorer bundle is not needed here).
    await run(process.execPath, ['scripts/build.mjs', '--only=typescript'], { cwd: ROOT, timeout: 240_000 });
  }, 300_000);
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  it('`npm run migrate` is the compiled migrate command', () => {
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(MIGRATE_COMMAND).toBe('npm run migrate');
    expect(scripts.migrate.split('&&').map((part) => part.trim())).toEqual(['node scripts/build.mjs', COMPILED_MIGRATE_COMMAND]);
  });

  it('applies every migration to a fresh database, listing each one it applied and no SQL; run again, it has nothing to apply', async () => {
    const { DATABASE_URL, handle } = await freshDatabase();
    const first = await node(COMPILED_MIGRATE_COMMAND.split(' ').slice(1), { DATABASE_URL });
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const name = new URL(DATABASE_URL).pathname.slice(1);
    const lines = first.stdout.trim().split('\n');
    expect(lines[0]).toBe(`Applied ${MIGRATIONS.length} migrations to "${name}" on 127.0.0.1:3306:`);
    expect(lines.slice(1, -1)).toEqual(MIGRATIONS.map((migration) => `  ${migration}`));
    expect(lines[lines.length - 1]).toBe(`"${name}" on 127.0.0.1:3306 now has ${MIGRATIONS.length} migrations.`);
    expect(first.stdout).not.toMatch(/\b(CREATE|ALTER|INSERT|SELECT|DROP|query:)\b/i);

    expect(await tablesOf(handle)).toEqual(
      expect.arrayContaining(['schema_migrations', 'account', 'wallet', 'ledger_transaction', 'ledger_entry', 'audit_log']),
    );

    const again = await node(COMPILED_MIGRATE_COMMAND.split(' ').slice(1), { DATABASE_URL });
    expect(again).toEqual({ code: 0, stdout: `Nothing to apply: "${name}" on 127.0.0.1:3306 has all ${MIGRATIONS.length} migrations.\n`, stderr: '' });
  });

  it('says what it needs, rather than failing on SQL, without DATABASE_URL and on a mistyped option', async () => {
    const withoutUrl = await node(['dist/src/scripts/migrate.js'], { DATABASE_URL: '' });
    expect(withoutUrl.code).toBe(1);
    expect(withoutUrl.stderr).toMatch(/^migrate: DATABASE_URL is not set/);
    const mistyped = await node(['dist/src/scripts/migrate.js', '--dry-run']);
    expect(mistyped.code).toBe(2);
    expect(mistyped.stderr).toContain("Unknown option '--dry-run'");
    expect(mistyped.stderr).toContain(`Usage: ${MIGRATE_COMMAND}`);
  });

  it('the compiled server refuses a database that was never migrated with one line naming the command, not "Table … doesn\'t exist"', async () => {
    const { DATABASE_URL } = await freshDatabase();
    const started = await node(['dist/src/main.js'], { DATABASE_URL, DATABASE_RUN_MIGRATIONS: 'false', LOG_LEVEL: 'info' });
    expect(started.code).toBe(1);
    const output = started.stdout + started.stderr;
    expect(output).toContain(`has no schema: run ${MIGRATE_COMMAND} with the same DATABASE_URL (from the build output: ${COMPILED_MIGRATE_COMMAND})`);
    expect(output).not.toMatch(/doesn't exist/);
  });

  it('compose.yaml and the Dockerfile run only commands the build output has, and the image ships that output', async () => {
    const compose = parse(readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8')) as { services: Record<string, { build?: unknown; command?: string[] }> };
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const final = dockerfile.split(/^FROM /m).pop()!;
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(final)![1]) as string[];
    const commands = [cmd, ...Object.values(compose.services).flatMap((service) => (service.build && service.command ? [service.command] : []))];
    const files = commands.map(nodeScript);
    expect(files).toEqual(expect.arrayContaining(['dist/src/main.js', 'dist/src/scripts/release.js']));
    for (const file of files) {
      expect({ file, built: existsSync(path.join(ROOT, file!)) }).toEqual({ file, built: true });
      // The image keeps dist/ as it was built.
      expect(file!.startsWith('dist/')).toBe(true);
    }
    expect(final).toMatch(/^COPY --from=build \/app\/dist dist$/m);
    // Each of those commands loads its whole module graph and answers --help (main.js is started above).
    for (const file of files.filter((file) => file !== 'dist/src/main.js')) {
      const help = await node([file!, '--help']);
      expect({ file, code: help.code, usage: help.stdout.startsWith('Usage:') }).toEqual({ file, code: 0, usage: true });
    }
  });

  it("the release step (compose's migrate service) applies the migrations as migrate prints them", async () => {
    const { DATABASE_URL } = await freshDatabase();
    const release = await node(['dist/src/scripts/release.js'], { DATABASE_URL, SEED_DEMO_DATA: 'false' });
    expect(release.code).toBe(0);
    expect(release.stdout.trim().split('\n').slice(1, -1)).toEqual(MIGRATIONS.map((migration) => `  ${migration}`));
  });

  describe('token, seed and reset', () => {
    let directory: string;
    let file: string;
    beforeAll(() => {
      directory = mkdtempSync(path.join(os.tmpdir(), 'credits-scripts-'));
      file = path.join(directory, 'credits.sqlite');
    });
    afterAll(() => rmSync(directory, { recursive: true, force: true }));
    const accounts = () => {
      const Database = sqliteDriver() as typeof BetterSqlite3;
      const database = new Database(file, { readonly: true });
      try {
        return (database.prepare('SELECT id FROM account ORDER BY id').all() as { id: string }[]).map((row) => row.id);
      } finally {
        database.close();
      }
    };
    const embedded = { SQLITE_PATH: '', DATABASE_URL: '' };

    it('token --help prints its usage; a mistyped option prints the error and the usage', async () => {
      const help = await node(['dist/src/scripts/token.js', '--help']);
      expect(help).toMatchObject({ code: 0, stderr: '' });
      expect(help.stdout).toMatch(/^Usage: npm run -s token -- --account <id>/);
      expect(help.stdout).toContain('--scope <scope>');
      const mistyped = await node(['dist/src/scripts/token.js', '--acount', 'demo-customer']);
      expect(mistyped.code).toBe(2);
      expect(mistyped.stderr).toMatch(/^Unknown option '--acount'[\s\S]*Usage: npm run -s token/);
    });

    it('reset starts the embedded file over with the demo accounts; seed again leaves them as they are; --empty only deletes', async () => {
      const env = { ...embedded, SQLITE_PATH: file };
      const reset = await node(['dist/src/scripts/reset.js'], env);
      expect(reset).toMatchObject({ code: 0, stdout: `Deleted ${file} and seeded the demo accounts afresh.\n` });
      const seeded = accounts();
      expect(seeded).toEqual(expect.arrayContaining(['demo-customer', 'demo-partner', 'demo-partner-customer-3', 'demo-us-customer']));

      const again = await node(['dist/src/scripts/seed.js'], env);
      expect(again.code).toBe(0);
      expect(accounts()).toEqual(seeded);

      const empty = await node(['dist/src/scripts/reset.js', '--empty'], env);
      expect(empty).toMatchObject({ code: 0, stdout: `Deleted ${file}; the next start creates it anew.\n` });
      expect(existsSync(file)).toBe(false);
    });

    it('reset never touches a MySQL/MariaDB database', async () => {
      const { DATABASE_URL, handle } = await freshDatabase();
      const refused = await node(['dist/src/scripts/reset.js'], { DATABASE_URL });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^reset: DATABASE_URL is set: reset only starts the embedded SQLite file over/);
      expect(await tablesOf(handle)).toEqual([]);
    });
  });
});
