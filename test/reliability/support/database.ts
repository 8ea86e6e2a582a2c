import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../../src/config';
import { createDataSource } from '../../../src/database/data-source';
import { ENTITIES } from '../../../src/server/modules';

export type DatabaseKind = 'sqlite' | 'mariadb';

/** `TEST_DB=sqlite` (jest's SQLite half) runs the scenarios on SQLite; anything else on MariaDB. */
export const SCENARIO_DATABASE: DatabaseKind = process.env.TEST_DB === 'sqlite' ? 'sqlite' : 'mariadb';
const MARIADB_ROOT_URL = process.env.TEST_MARIADB_URL ?? 'mariadb://root@127.0.0.1:3306';

/** A fresh database for one scenario: the server's settings, a connection for the runner's checks. */
export interface ScenarioDatabase {
  kind: DatabaseKind;
  env: Record<string, string>;
  /** Opens the runner's own connection (after the server created the schema). */
  connect(): Promise<DataSource>;
  drop(): Promise<void>;
}

export async function createScenarioDatabase(kind: DatabaseKind = SCENARIO_DATABASE): Promise<ScenarioDatabase> {
  const name = `credits_rel_${process.pid}_${randomBytes(4).toString('hex')}`;
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  if (kind === 'sqlite') {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'credits-reliability-'));
    env = { SQLITE_PATH: path.join(directory, `${name}.sqlite`), SEED_DEMO_DATA: 'false' };
    drop = async () => fs.rmSync(directory, { recursive: true, force: true });
  } else {
    const rootUri = MARIADB_ROOT_URL.replace(/^mariadb:/, 'mysql:');
    const admin = await mysql.createConnection({ uri: rootUri });
    await admin.query(`CREATE DATABASE \`${name}\``);
    await admin.end();
    env = { DATABASE_URL: `${MARIADB_ROOT_URL}/${name}`, DATABASE_RUN_MIGRATIONS: 'true', DATABASE_POOL_SIZE: '20', SEED_DEMO_DATA: 'false' };
    drop = async () => {
      const connection = await mysql.createConnection({ uri: rootUri });
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    };
  }
  const opened: DataSource[] = [];
  return {
    kind,
    env,
    async connect() {
      const config = loadConfig({ NODE_ENV: 'test', ...env });
      const dataSource = createDataSource(config.database, ENTITIES);
      await dataSource.initialize();
      opened.push(dataSource);
      return dataSource;
    },
    async drop() {
      for (const dataSource of opened) if (dataSource.isInitialized) await dataSource.destroy();
      await drop();
    },
  };
}
