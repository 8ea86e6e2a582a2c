import path from 'node:path';
import { TEST_DATABASE } from '../support/harness';
import { formatTable, runScenario, scenarioFiles } from '../reliability/run';

/**
 * The short version of `npm run test:reliability` inside `npm test`: every scenario with
 * { quick: true } (one crash, a few hundred hostile requests, every replay), each against the real
 * server as a child process, expecting no failure.
 *
 * On SQLite only the crash and replay scenarios run: they exercise what differs per database (a
 * SIGKILL in the middle of the embedded database's serialised transactions, WAL recovery, replays
 * racing through its one connection). The hostile scenario is about the HTTP edge (limits, tokens,
 * parsing) and the database-restart scenario starts its own private MariaDB, so running them
 * twice would only double the time.
 */
const ON_BOTH_DATABASES = new Set(['crash', 'replay']);
const scenarios = scenarioFiles()
  .map((file) => ({ name: path.basename(file, '.scenario.ts'), file }))
  .filter((scenario) => TEST_DATABASE === 'mariadb' || ON_BOTH_DATABASES.has(scenario.name));

// One after another: TypeORM requires its migration files while a scenario checks the database,
// and jest refuses a require from a concurrent test once another concurrent test has finished.
describe('reliability scenarios (quick)', () => {
  it.each(scenarios)(
    '$name has no failures',
    async ({ file }) => {
      const result = await runScenario(file, { quick: true });
      if (result.failures.length > 0) console.log(formatTable([result]));
      expect(result.failures).toEqual([]);
    },
    300_000,
  );
});
