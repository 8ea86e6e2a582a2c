import { readdirSync } from 'fs';
import path from 'path';
import { DataSource, type MigrationInterface } from 'typeorm';
import { MIGRATIONS_GLOB } from '../../src/database/data-source';
import { createTestDatabase, TestDatabaseHandle, type TestServer } from './harness';

const MIGRATIONS_DIR = path.join(__dirname, '..', '..', 'migrations');

/**
 * A fresh MariaDB database migrated with every migration file but the ones named `left out`
 * (TypeORM runs a pending migration whatever its timestamp): the schema the app ran on before
 * those migrations, plus the later ones. `upgrade()` then runs what is pending, as `npm run migrate`
 * does, and answers the names it ran. Leave out a later migration too when it changes what the
 * first one creates (DebitNotes adds a column to Receipts' table).
 */
export async function databaseBefore(...leftOut: string[]): Promise<{ database: TestDatabaseHandle; migrations: DataSource; upgrade(): Promise<string[]> }> {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((file) => /\.(ts|js)$/.test(file) && !leftOut.some((name) => file.includes(`-${name}.`)))
    .map((file) => path.join(MIGRATIONS_DIR, file));
  const database = await createTestDatabase();
  const migrations = new DataSource({ ...mariadbOptions(database), migrations: files });
  await migrations.initialize();
  await migrations.runMigrations({ transaction: 'each' });
  return { database, migrations, upgrade: () => runPendingMigrations(database) };
}

/**
 * Takes a migrated, populated MariaDB database back to before the named migrations (their `down`,
 * latest first, and their rows of the migrations table): what a database written by an earlier
 * release holds, with everything the app wrote since. Answers `upgrade()`, as `databaseBefore` does.
 */
export async function migratedBackBefore(database: TestDatabaseHandle, ...names: string[]): Promise<{ upgrade(): Promise<string[]> }> {
  const dataSource = new DataSource({ ...mariadbOptions(database), migrations: [MIGRATIONS_GLOB] });
  await dataSource.initialize();
  const queryRunner = dataSource.createQueryRunner();
  const timestampOf = (migration: MigrationInterface) => Number(/(\d+)$/.exec(migration.name ?? '')?.[1]);
  try {
    const undone = dataSource.migrations.filter((migration) => names.some((name) => migration.name?.startsWith(name)));
    for (const migration of undone.sort((a, b) => timestampOf(b) - timestampOf(a))) {
      await migration.down(queryRunner);
      await queryRunner.query('DELETE FROM schema_migrations WHERE name = ?', [migration.name]);
    }
  } finally {
    await queryRunner.release();
    await dataSource.destroy();
  }
  return { upgrade: () => runPendingMigrations(database) };
}

function mariadbOptions(database: TestDatabaseHandle) {
  return {
    type: 'mariadb',
    url: database.env.DATABASE_URL,
    migrationsTableName: 'schema_migrations',
    supportBigNumbers: true,
    bigNumberStrings: true,
    timezone: 'Z',
  } as const;
}

/** Runs every pending migration, each in its own transaction, as `npm run migrate` does; answers their names. */
async function runPendingMigrations(database: TestDatabaseHandle): Promise<string[]> {
  const all = new DataSource({ ...mariadbOptions(database), migrations: [MIGRATIONS_GLOB] });
  await all.initialize();
  try {
    return (await all.runMigrations({ transaction: 'each' })).map((migration) => migration.name);
  } finally {
    await all.destroy();
  }
}

/**
 * Runs one MySQL migration's `down` and then its `up` on the server's populated database, as a
 * database that had data before the migration meets it (MariaDB only: SQLite has no migrations).
 * For a migration the app cannot run without (an entity column it adds), where `databaseBefore`
 * cannot be populated by the app itself.
 */
export async function migrateAgain(server: TestServer, migration: MigrationInterface): Promise<void> {
  const queryRunner = server.services.dataSource.createQueryRunner();
  try {
    await migration.down(queryRunner);
    await migration.up(queryRunner);
  } finally {
    await queryRunner.release();
  }
}
