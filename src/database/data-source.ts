import fs from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config';
import { ENTITIES } from './entities';

export const MIGRATIONS_GLOB = path.join(__dirname, '..', '..', 'migrations', '*.{ts,js}');

/**
 * MySQL/MariaDB through mysql2 with the migrations in `migrations/`, or the embedded SQLite file
 * whose schema TypeORM derives from the entities (the MySQL migrations are dialect-specific).
 */
export function createDataSource(config: DatabaseConfig): DataSource {
  if (config.kind === 'mysql') {
    return new DataSource({
      type: config.flavor,
      url: config.url,
      entities: ENTITIES,
      migrations: [MIGRATIONS_GLOB],
      migrationsTableName: 'schema_migrations',
      poolSize: config.poolSize,
      connectTimeout: config.connectTimeoutMs,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: false,
      synchronize: false,
      logging: false,
    });
  }
  if (config.file !== ':memory:') fs.mkdirSync(path.dirname(config.file), { recursive: true });
  return new DataSource({
    type: 'better-sqlite3',
    database: config.file,
    entities: ENTITIES,
    synchronize: true,
    enableWAL: true,
    timeout: 5000,
    logging: false,
  });
}
