// Runs every integration test file twice: against the embedded SQLite and against MariaDB (a fresh
// database per file); the unit tests (test/unit) run once. Without a reachable MariaDB the MariaDB
// half is skipped with a loud warning, unless REQUIRE_MARIADB=1 (set by .ci/run), which turns a
// missing MariaDB into a failure. Redis (for the scale-out tests) likewise, with REQUIRE_REDIS=1.
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const MARIADB = process.env.TEST_MARIADB_URL ?? 'mariadb://root@127.0.0.1:3306';
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function reachable(url, defaultPort) {
  const { hostname, port } = new URL(url.replace(/^mariadb:/, 'mysql:'));
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || defaultPort) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest'] };

// Tests that run in the SQLite project only (left out of the MariaDB one, not skipped): the
// offline-explorer and console tests drive a browser against pages that do not depend on the
// database kind (the API behind each console screen has its own tests on both databases); the shutdown test spawns `npm start`'s embedded default (process-lifecycle covers MariaDB);
// reports-backfill rebuilds the rollup of an embedded file written before the rollup existed (on
// MySQL the migration does it); outage-logs watches a process lose its Redis, whatever its database.
const SQLITE_ONLY = [
  '<rootDir>/test/integration/explorer.test.ts',
  '<rootDir>/test/integration/console-customer.test.ts',
  '<rootDir>/test/integration/console-partner-ops.test.ts',
  '<rootDir>/test/integration/console-partner-reports.test.ts',
  '<rootDir>/test/integration/shutdown.test.ts',
  '<rootDir>/test/integration/reports-backfill.test.ts',
  '<rootDir>/test/integration/outage-logs.test.ts',
];
// Tests that only make sense on MariaDB, left out of the SQLite project on purpose (not skipped):
// database-faults kills and restarts a mariadbd of its own; the embedded SQLite is a file inside
// the process and cannot become unreachable that way. scale-out-replica starts a MariaDB primary
// and replica of its own and three server processes on them; the embedded SQLite is one file
// inside one process, with no replica and no second process. transfer-batches-migration,
// reclaims-migration, auto-transfer-migration, api-keys-migration, top-up-next-action-migration,
// receipts-migration, top-up-refunds-migration, optional-tax-code-migration,
// account-reversal-hold-migration and corrections-and-credit-limits-migration run a MySQL
// migration on a populated database;
// SQLite's schema comes from the entities. test-database-copy checks that a test server's MariaDB database,
// a copy of the run's migrated template, is what the migrations make. compiled-commands runs the compiled
// migrate and release commands on fresh databases (and the other scripts, once). startup-failures meets databases that are unreachable or
// without their migrations, which the embedded SQLite (its schema derived at start-up) never is.
const MARIADB_ONLY = [
  '<rootDir>/test/integration/database-faults.test.ts',
  '<rootDir>/test/integration/scale-out-replica.test.ts',
  '<rootDir>/test/integration/transfer-batches-migration.test.ts',
  '<rootDir>/test/integration/reclaims-migration.test.ts',
  '<rootDir>/test/integration/auto-transfer-migration.test.ts',
  '<rootDir>/test/integration/api-keys-migration.test.ts',
  '<rootDir>/test/integration/startup-failures.test.ts',
  '<rootDir>/test/integration/top-up-next-action-migration.test.ts',
  '<rootDir>/test/integration/top-up-refunds-migration.test.ts',
  '<rootDir>/test/integration/optional-tax-code-migration.test.ts',
  '<rootDir>/test/integration/account-reversal-hold-migration.test.ts',
  '<rootDir>/test/integration/corrections-and-credit-limits-migration.test.ts',
  '<rootDir>/test/integration/receipts-migration.test.ts',
  '<rootDir>/test/integration/threshold-measures-migration.test.ts',
  '<rootDir>/test/integration/compiled-commands.test.ts',
  '<rootDir>/test/integration/test-database-copy.test.ts',
];

// Files that keep a module registry of their own in a whole run (the rest share one per group, see
// below): the long ones, which would unbalance a group, and those whose subject is a process, a browser
// or a database server of their own.
const ALONE = [
  'reliability',
  'authorization-matrix',
  'outage-logs',
  'console-customer',
  'console-partner-ops',
  'console-partner-reports',
  'explorer',
  'rate-limits',
  'process-lifecycle',
  'production-start',
  'database-faults',
  'scale-out-replica',
  'readme',
  'compiled-commands',
].map((name) => `<rootDir>/test/integration/${name}.test.ts`);

// The longest of them (20–70 s each where a group takes 30–60 s). A run that has no timings yet (a fresh
// clone) starts them before the groups, the rest of ALONE after (test/support/sequencer.js); with
// timings, jest starts the longest files first whatever they are.
const RUN_FIRST = ['reliability', 'authorization-matrix', 'compiled-commands'];

// Each group file (test/groups/NN.test.ts, as many groups as files) runs its share of the other
// integration files one after the other in one module registry, so the server's module graph is loaded
// once a group instead of once a file; every file still starts its own server on its own fresh database
// (docs/testing.md#file-groups).
const GROUP_FILES = fs
  .readdirSync(path.join(__dirname, 'test', 'groups'))
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => `test/groups/${name}`);

// A run that names test files (`npx jest -- test/integration/x.test.ts`), or TEST_FILES_ALONE=1, runs
// every integration file in a registry of its own, as jest does by default.
const FILES_ALONE =
  process.env.TEST_FILES_ALONE === '1' ||
  process.argv.slice(2).some((argument) => argument.includes('test/integration') || (/\.test\.[jt]s$/.test(argument) && !argument.includes('test/groups')));

const ROOT = __dirname;
const resolve = (file) => file.replace('<rootDir>', ROOT);

/**
 * The integration files of one database kind, shared into as many lists of about the same size in
 * bytes as there are group files: { 'test/groups/01.test.ts': [its files], … }, paths from the root.
 */
function groups(kind) {
  const left = new Set([...ALONE, ...(kind === 'sqlite' ? MARIADB_ONLY : SQLITE_ONLY)].map(resolve));
  const directory = path.join(ROOT, 'test', 'integration');
  const files = fs
    .readdirSync(directory)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => path.join(directory, name))
    .filter((file) => !left.has(file))
    .map((file) => ({ file, size: fs.statSync(file).size }))
    .sort((a, b) => b.size - a.size || a.file.localeCompare(b.file));
  const lists = GROUP_FILES.map(() => ({ files: [], size: 0 }));
  for (const { file, size } of files) {
    const smallest = lists.reduce((a, b) => (b.size < a.size ? b : a));
    smallest.files.push(path.relative(ROOT, file));
    smallest.size += size;
  }
  return Object.fromEntries(GROUP_FILES.map((groupFile, index) => [groupFile, lists[index].files.sort()]));
}

/** The integration tests, once per database kind. */
function project(kind) {
  const common = {
    displayName: kind,
    testEnvironment: 'node',
    transform,
    setupFiles: [`<rootDir>/test/support/env.${kind}.js`, '<rootDir>/test/support/env.certificates.ts'],
    moduleFileExtensions: ['ts', 'js', 'json'],
  };
  const otherKindOnly = kind === 'sqlite' ? MARIADB_ONLY : SQLITE_ONLY;
  if (FILES_ALONE) {
    return { ...common, testMatch: ['<rootDir>/test/integration/**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', ...otherKindOnly] };
  }
  return {
    ...common,
    testMatch: [...ALONE.filter((file) => !otherKindOnly.includes(file)), '<rootDir>/test/groups/*.test.ts'],
    globals: { TEST_FILE_GROUPS: groups(kind), TEST_RUN_FIRST: RUN_FIRST.map((name) => `test/integration/${name}.test.ts`) },
  };
}

/**
 * Pure decisions (money, pricing, the payment-event decision table, consumption order, report
 * periods, idempotency, CSV, configuration, schema, limits) touch no database: they run once.
 */
const unitProject = {
  displayName: 'unit',
  testEnvironment: 'node',
  transform,
  testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = async () => {
  const projects = [unitProject, project('sqlite')];
  // The scale-out tests need Redis; like MariaDB, its absence is loud, and fatal under REQUIRE_REDIS=1.
  if (await reachable(REDIS, 6379)) {
    process.env.TEST_REDIS_AVAILABLE = '1';
  } else if (process.env.REQUIRE_REDIS === '1') {
    throw new Error(`Redis is not reachable at ${REDIS}, and REQUIRE_REDIS=1 says it must be.`);
  } else {
    console.warn(`\n!! Redis is not reachable at ${REDIS}: the scale-out tests are skipped.\n`);
  }
  if (await reachable(MARIADB, 3306)) {
    projects.push(project('mariadb'));
  } else if (process.env.REQUIRE_MARIADB === '1') {
    throw new Error(`MariaDB is not reachable at ${MARIADB}, and REQUIRE_MARIADB=1 says it must be.`);
  } else {
    console.warn(
      '\n' +
        '!'.repeat(78) +
        `\n!! MariaDB is not reachable at ${MARIADB}: running the SQLite half only.\n!! Start MariaDB (or set TEST_MARIADB_URL) to run the whole suite.\n` +
        '!'.repeat(78) +
        '\n',
    );
  }
  // The tests that start the real server as a child process run one swc-compiled copy of it, made once
  // per run (test/support/compiled-server.ts, docs/testing.md).
  return {
    projects,
    testTimeout: 60000,
    // Three workers on two cores: the tests wait on timers, sockets and the database, and a third worker
    // fills that time (docs/testing.md#the-whole-suite). The order of a run without timings: the sequencer.
    maxWorkers: 3,
    testSequencer: '<rootDir>/test/support/sequencer.js',
    // A worker's heap grows with every file it runs (each file's module registry is not all let go):
    // 1.3 GB after fifty files, a resident size past 3 GB after a hundred and twenty. A worker above
    // 1 GB after a file is replaced by a fresh one, which cut the suite's CPU by about 30%
    // (docs/testing.md#how-long-the-suite-takes-and-why).
    workerIdleMemoryLimit: '1000MB',
    globalSetup: '<rootDir>/test/support/global-setup.ts',
    globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  };
};
