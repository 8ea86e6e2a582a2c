import type { MigrationInterface } from 'typeorm';
import type { TestServer } from './harness';

/**
 * Runs one MySQL migration's `down` and then its `up` on the server's populated database, as a
 * database that had data before the migration meets it (MariaDB only: SQLite has no migrations).
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
