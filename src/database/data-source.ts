import fs from 'node:fs';
import path from 'node:path';
import { DataSource, type DataSourceOptions, type EntityMetadata } from 'typeorm';
import type { DatabaseConfig } from '../config';
import { GeneratedIdsSubscriber } from './generated-ids.subscriber';
import { sqliteDriver } from './sqlite-driver';

export const MIGRATIONS_GLOB = path.join(__dirname, '..', '..', 'migrations', '*.{ts,js}');

/**
 * MySQL/MariaDB through mysql2 with the migrations in `migrations/`, or the embedded SQLite file
 * whose schema TypeORM derives from the entities (the MySQL migrations are dialect-specific). The
 * entities come from the feature modules (src/server/modules.ts), so this folder imports no feature.
 */
export function createDataSource(config: DatabaseConfig, entities: NonNullable<DataSourceOptions['entities']>): DataSource {
  if (config.kind === 'mysql') {
    return new DataSource({
      type: config.flavor,
      url: config.url,
      entities,
      subscribers: [GeneratedIdsSubscriber],
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
  return new EmbeddedDataSource({
    type: 'better-sqlite3',
    driver: sqliteDriver(),
    database: config.file,
    entities,
    subscribers: [GeneratedIdsSubscriber],
    synchronize: true,
    enableWAL: true,
    prepareDatabase: (database: { pragma(statement: string): unknown }) => {
      database.pragma(`synchronous = ${config.synchronous}`);
    },
    timeout: 5000,
    logging: false,
  });
}

/**
 * The embedded SQLite database, whose schema TypeORM derives from the entities at start-up. The
 * entities declare the production schema: generated ids are BIGINT AUTO_INCREMENT on MySQL. SQLite
 * allows AUTOINCREMENT only on an `INTEGER PRIMARY KEY` (the rowid, already 64-bit), so once the
 * metadata is built, and before the schema is synchronised from it, generated ids become INTEGER.
 * Columns that reference them stay `bigint`, which SQLite stores with INTEGER affinity anyway.
 */
class EmbeddedDataSource extends DataSource {
  protected override async buildMetadatas(): Promise<void> {
    await super.buildMetadatas();
    narrowGeneratedIdsForSqlite(this.entityMetadatas);
  }
}

export function narrowGeneratedIdsForSqlite(metadatas: readonly EntityMetadata[]): void {
  for (const metadata of metadatas) {
    for (const column of metadata.generatedColumns) {
      if (column.generationStrategy === 'increment' && column.type === 'bigint') column.type = 'integer';
    }
  }
}
