import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config';
import { describeMigrateResult, migrate } from '../database/migrations';
import { commandLine, runScript } from './cli';
import { seedDemo } from './demo-data';

const USAGE = `
Usage: node dist/src/scripts/release.js

The one-shot release step (compose's migrate service): applies the pending migrations to the
MySQL/MariaDB database in DATABASE_URL (as \`npm run migrate\` does) and, when SEED_DEMO_DATA=true,
seeds the demo accounts once; then exits.
`;

/**
 * The one-shot release step: the migrations, as `migrate` applies and prints them, then, when
 * SEED_DEMO_DATA is on, the demo seed, once. Running it before the app processes means N processes
 * never race to seed.
 */
async function main(): Promise<void> {
  commandLine(USAGE, {});
  const config = loadConfig();
  if (config.database.kind !== 'mysql') throw new ConfigError(['DATABASE_URL: the release step migrates a MySQL/MariaDB database; set it'], config.environment);
  console.log(describeMigrateResult(await migrate(config.database), config.database.url));
  if (!config.seedDemoData) return;
  await seedDemo(config);
  console.log('Seeded the demo accounts (unless they were there already).');
}

runScript(main, 'The release step failed: ');
