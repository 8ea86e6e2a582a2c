import net from 'node:net';
import { createTestDatabase, MARIADB_ROOT_URL, PRODUCTION_ENV, TestDatabaseHandle } from '../support/harness';
import { databaseBefore } from '../support/migrations';
import { freePort } from '../support/private-mariadb';
import { spawnEntry } from '../support/server-process';

/**
 * MariaDB only (jest.config.js): the known start-up failures of a production process on MariaDB.
 * Each one is the real process (`src/main.ts`) as an operator starts it, and must end with exit
 * code 1 and exactly one log line at level error that says what to do, with no stack trace.
 */
/** Each case starts a process of its own, which takes long on a busy machine. */
const PROCESS_TIMEOUT_MS = 180_000;

interface Run {
  exitCode: number | null;
  /** Every non-empty line the process wrote, stdout and stderr together. */
  lines: string[];
}

function run(env: Record<string, string>): Promise<Run> {
  const child = spawnEntry({ PATH: process.env.PATH ?? '', ...PRODUCTION_ENV, LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', ...env });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.on('exit', (exitCode) => resolve({ exitCode, lines: output.split('\n').filter((line) => line.trim() !== '') })));
}

/** Exit 1 and one line: a pino line at level error (50) whose message matches, with no stack trace anywhere. */
function expectOneLineFailure({ exitCode, lines }: Run, message: RegExp): string {
  expect({ exitCode, lines: lines.length }).toEqual({ exitCode: 1, lines: 1 });
  const line = JSON.parse(lines[0]) as { level: number; msg: string; err?: unknown };
  expect(line.level).toBe(50);
  expect(line.err).toBeUndefined();
  expect(line.msg).toMatch(/^cannot start: /);
  expect(line.msg).toMatch(message);
  // A stack frame, escaped inside a JSON line or as a line of its own.
  expect(lines[0]).not.toMatch(/\\n\s+at |^\s+at /);
  return line.msg;
}

describe('known start-up failures: exit 1, one line, no stack trace (MariaDB only)', () => {
  const databases: TestDatabaseHandle[] = [];
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  it(
    'a port in use (on a migrated database, which the schema check lets through)',
    async () => {
      const database = await createTestDatabase();
      databases.push(database);
      const taken = net.createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const { port } = taken.address() as net.AddressInfo;
      try {
        const result = await run({ ...database.env, PORT: String(port) });
        expectOneLineFailure(result, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use \\(EADDRINUSE\\); stop the other process or set PORT`));
      } finally {
        await new Promise((resolve) => taken.close(resolve));
      }
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    'a database that cannot be reached: names host:port, never the password',
    async () => {
      const port = await freePort();
      const result = await run({ DATABASE_URL: `mariadb://credits:not-shown-pw@127.0.0.1:${port}/credits` });
      const message = expectOneLineFailure(result, new RegExp(`cannot reach the database at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\); check DATABASE_URL`));
      expect(message).not.toContain('not-shown-pw');
      expect(message).not.toContain('credits:');
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    'a database that does not exist: how to create it, and the migrate command',
    async () => {
      const result = await run({ DATABASE_URL: `${MARIADB_ROOT_URL}/credits_never_created_${process.pid}` });
      expectOneLineFailure(result, /database credits_never_created_\d+ does not exist on .*\(ER_BAD_DB_ERROR\); create it .*, then run npm run migrate/);
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    'an empty database (no migration applied): says it has no schema and names the migrate command',
    async () => {
      const database = await createTestDatabase();
      databases.push(database);
      const result = await run({ DATABASE_URL: database.env.DATABASE_URL });
      expectOneLineFailure(result, /database credits_test_\w+ on 127\.0\.0\.1:\d+ has no schema: run npm run migrate with the same DATABASE_URL/);
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    'a database one migration behind, in production: names the pending migration and the migrate command',
    async () => {
      const { database, migrations } = await databaseBefore('AuditLog');
      await migrations.destroy();
      databases.push(database);
      const result = await run({ DATABASE_URL: database.env.DATABASE_URL });
      expectOneLineFailure(result, /is 1 migration behind this version \(first pending: AuditLog\d+\): run npm run migrate/);
    },
    PROCESS_TIMEOUT_MS,
  );
});
