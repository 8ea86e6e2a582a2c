import type { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config';
import { createDataSource } from './data-source';

type MysqlConfig = Extract<DatabaseConfig, { kind: 'mysql' }>;

/** The command that applies `migrations/`: from a checkout, and where only the build output is (the image). */
export const MIGRATE_COMMAND = 'npm run migrate';
export const COMPILED_MIGRATE_COMMAND = 'node dist/src/scripts/migrate.js';

/** What `migrate` did: the migrations it applied now (in order), and how many the database has in all. */
export interface MigrateResult {
  applied: string[];
  total: number;
}

/**
 * Applies the pending migrations of `migrations/` to the MySQL/MariaDB database of `config`, each
 * in its own transaction, and answers their names. The data source is its own, without entities:
 * a migration is SQL, and nothing else is needed to run it.
 */
export async function migrate(config: MysqlConfig): Promise<MigrateResult> {
  const dataSource = createDataSource({ ...config, poolSize: 1, replicaUrl: null }, []);
  await dataSource.initialize();
  try {
    const applied = await applyPendingMigrations(dataSource);
    return { applied, total: await countApplied(dataSource) };
  } finally {
    await dataSource.destroy();
  }
}

/** Runs what is pending on an initialised MySQL data source, each migration in its own transaction. */
export async function applyPendingMigrations(dataSource: DataSource): Promise<string[]> {
  return (await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name);
}

async function countApplied(dataSource: DataSource): Promise<number> {
  const [row]: { count: string | number }[] = await dataSource.query(`SELECT COUNT(*) AS count FROM \`${migrationsTable(dataSource)}\``);
  return Number(row.count);
}

function migrationsTable(dataSource: DataSource): string {
  return dataSource.options.migrationsTableName ?? 'migrations';
}

/** What `migrate` prints: the migrations it applied, one a line, or that there was nothing to apply. Never SQL, never a password. */
export function describeMigrateResult(result: MigrateResult, url: string): string {
  const { hostname, port, pathname } = new URL(url);
  const where = `"${decodeURIComponent(pathname.slice(1))}" on ${hostname}${port ? `:${port}` : ''}`;
  if (result.applied.length === 0) return `Nothing to apply: ${where} has all ${result.total} migrations.`;
  const count = (n: number) => `${n} migration${n === 1 ? '' : 's'}`;
  return [
    `Applied ${count(result.applied.length)} to ${where}:`,
    ...result.applied.map((name) => `  ${name}`),
    `${where} now has ${count(result.total)}.`,
  ].join('\n');
}
