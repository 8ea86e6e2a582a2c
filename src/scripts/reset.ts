import 'reflect-metadata';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { commandLine, runScript } from './cli';
import { seedDemo } from './demo-data';

const USAGE = `
Usage: npm run reset [-- --empty]

Starts the embedded SQLite database over: deletes its file (SQLITE_PATH, default
data/credits.sqlite, with its -wal and -shm files) and seeds the demo accounts afresh, or leaves
it empty with --empty (the next \`npm start\` then creates the schema and seeds). Stop the server
first. A MySQL/MariaDB database (DATABASE_URL) is never touched: drop and re-create it, then
\`npm run migrate\`.
`;

async function main(): Promise<void> {
  const { empty } = commandLine(USAGE, { empty: { type: 'boolean' } });
  const config = loadConfig();
  if (config.database.kind !== 'sqlite')
    throw new Error('DATABASE_URL is set: reset only starts the embedded SQLite file over, never a MySQL/MariaDB database.');
  const { file } = config.database;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const shown = file.startsWith(`${process.cwd()}${path.sep}`) ? path.relative(process.cwd(), file) : file;
  if (empty) {
    console.log(`Deleted ${shown}; the next start creates it anew.`);
    return;
  }
  await seedDemo(config);
  console.log(`Deleted ${shown} and seeded the demo accounts afresh.`);
}

runScript(main, 'reset: ');
