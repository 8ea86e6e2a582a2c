import 'reflect-metadata';
import { loadConfig } from '../config';
import { commandLine, runScript } from './cli';
import { seedDemo } from './demo-data';

const USAGE = `
Usage: npm run seed

Seeds the demo accounts (the ones \`npm start\` prints tokens for, with four weeks of activity) into
the embedded SQLite file, or into the MySQL/MariaDB database in DATABASE_URL once it is migrated.
A database that has them already is left as it is; \`npm run reset\` starts the embedded one over.
`;

async function main(): Promise<void> {
  commandLine(USAGE, {});
  const config = loadConfig();
  await seedDemo(config);
  console.log(
    `Seeded the demo accounts into ${config.database.kind === 'sqlite' ? config.database.file : 'the database in DATABASE_URL'} (unless they were there already).`,
  );
}

runScript(main, 'seed: ');
