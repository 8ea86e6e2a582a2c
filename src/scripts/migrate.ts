import 'reflect-metadata';
import { loadConfig } from '../config';
import { COMPILED_MIGRATE_COMMAND, describeMigrateResult, migrate, MIGRATE_COMMAND } from '../database/migrations';
import { commandLine, runScript } from './cli';

const USAGE = `
Usage: ${MIGRATE_COMMAND}   (from the build output, as in the container image: ${COMPILED_MIGRATE_COMMAND})

Applies the pending migrations of migrations/ to the MySQL/MariaDB database in DATABASE_URL, each in
its own transaction, and prints the ones it applied (or that there was nothing to apply). The
embedded SQLite file needs none: its schema comes from the entities.
`;

/** The release step's migrations, run by plain `node` from the build output (`npm run migrate` builds first). */
async function main(): Promise<void> {
  commandLine(USAGE, {});
  const { database } = loadConfig();
  if (database.kind !== 'mysql') {
    throw new Error(
      'DATABASE_URL is not set: migrations are for MySQL/MariaDB (mysql://user:password@host:3306/database); the embedded SQLite file needs none.',
    );
  }
  console.log(describeMigrateResult(await migrate(database), database.url));
}

runScript(main, 'migrate: ');
