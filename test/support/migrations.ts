import { readdirSync } from 'fs';
import path from 'path';
import { DataSource, type MigrationInterface } from 'typeorm';
import { MIGRATIONS_GLOB } from '../../src/database/data-source';
import { createTestDatabase, TestDatabaseHandle, type TestServer } from './harness';

const MIGRATIONS_DIR = path.join(__dirname, '..', '..', 'migrations');

/**
 * A fresh MariaDB database migrated with every migration file but the one named `left out`
 * (TypeORM runs a pending migration whatever its timestamp): the schema the app ran on before
 * that migration, plus the later ones. `upgrade()` then runs what is pending, as `npm run migrate`
 * does, and answers the names it ran.
 */
export async function databaseBefore(leftOut: string): Promise<{ database: TestDatabaseHandle; migrations: DataSource; upgrade(): Promise<string[]> }> {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((file) => /\.(ts|js)$/.test(file) && !file.includes(`-${leftOut}.`))
    .map((file) => path.join(MIGRATIONS_DIR, file));
  const database = await createTestDatabase();
  const migrations = new DataSource({
    type: 'mariadb',
    url: database.env.DATABASE_URL,
    migrationsTableName: 'schema_migrations',
    supportBigNumbers: true,
    bigNumberStrings: true,
    timezone: 'Z',
    migrations: files,
  });
  await migrations.initialize();
  await migrations.runMigrations({ transaction: 'each' });
  const upgrade = async () => {
    const all = new DataSource({ ...migrations.options, migrations: [MIGRATIONS_GLOB] } as ConstructorParameters<typeof DataSource>[0]);
    await all.initialize();
    try {
      return (await all.runMigrations({ transaction: 'each' })).map((migration) => migration.name);
    } finally {
      await all.destroy();
    }
  };
  return { database, migrations, upgrade };
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
