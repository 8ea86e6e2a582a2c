import { type DataSource, MigrationExecutor } from 'typeorm';
import type { Logger } from '../common/logger';
import { StartupFailure } from '../common/startup-failure';
import type { DatabaseConfig } from '../config';
import { isConnectionFailure } from './database-errors';

import { COMPILED_MIGRATE_COMMAND, MIGRATE_COMMAND } from './migrations';

/** The command that brings a database's schema up to date (docs/operations.md, "Migrations"), from a checkout and in the image. */
const RUN_MIGRATE = `run ${MIGRATE_COMMAND} with the same DATABASE_URL (from the build output: ${COMPILED_MIGRATE_COMMAND}), then start again`;

type MysqlDatabaseConfig = Extract<DatabaseConfig, { kind: 'mysql' }>;

/** Where DATABASE_URL points, for messages: `host:port` and the database name, never the user or password. */
export function databaseAddress(url: string): { where: string; name: string } {
  try {
    const parsed = new URL(url);
    return { where: `${parsed.hostname}:${parsed.port || '3306'}`, name: decodeURIComponent(parsed.pathname.replace(/^\//, '')) };
  } catch {
    return { where: 'the address in DATABASE_URL', name: '' };
  }
}

/** mysql2's code for the two refusals a wrong DATABASE_URL meets before any statement. */
function driverCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 3; depth++) {
    const { code, driverError } = current as { code?: unknown; driverError?: unknown };
    if (typeof code === 'string') return code;
    current = driverError;
  }
  return undefined;
}

/**
 * Opens the data source. A MySQL database that cannot be reached, refuses DATABASE_URL's user and
 * password, or does not exist stops start-up with a StartupFailure naming `host:port` (never the
 * credentials) and what to check; anything else is rethrown as it is.
 */
export async function openDatabase(dataSource: DataSource, config: DatabaseConfig): Promise<void> {
  try {
    await dataSource.initialize();
  } catch (error) {
    if (config.kind !== 'mysql') throw error;
    const { where, name } = databaseAddress(config.url);
    const code = driverCode(error) ?? 'unknown error';
    // ER_ACCESS_DENIED_ERROR, ER_ACCESS_DENIED_NO_PASSWORD_ERROR, ER_DBACCESS_DENIED_ERROR
    if (/^ER_(DB)?ACCESS_DENIED/.test(code)) {
      throw new StartupFailure(`the database at ${where} refused the user or password in DATABASE_URL (${code}); check DATABASE_URL`, { cause: error });
    }
    if (code === 'ER_BAD_DB_ERROR') {
      throw new StartupFailure(`database ${name} does not exist on ${where} (${code}); create it (CREATE DATABASE \`${name}\`), then run ${MIGRATE_COMMAND}`, {
        cause: error,
      });
    }
    if (isConnectionFailure(error)) {
      throw new StartupFailure(`cannot reach the database at ${where} (${code}); check DATABASE_URL and that the database server is running`, { cause: error });
    }
    throw error;
  }
}

/**
 * MySQL started without DATABASE_RUN_MIGRATIONS: the schema must be this version's. A database with
 * no migration applied stops start-up (every query would fail on a missing table), as does one with
 * migrations pending when `refuseBehind` (production). Outside production a database that is behind
 * starts with one warning, so an older schema can still be served while it is upgraded.
 */
export async function checkMigrations(dataSource: DataSource, config: MysqlDatabaseConfig, options: { refuseBehind: boolean; logger: Logger }): Promise<void> {
  const executor = new MigrationExecutor(dataSource);
  const [pending, applied] = await Promise.all([executor.getPendingMigrations(), executor.getExecutedMigrations()]);
  if (pending.length === 0) return;
  const { where, name } = databaseAddress(config.url);
  if (applied.length === 0) {
    throw new StartupFailure(`database ${name} on ${where} has no schema: ${RUN_MIGRATE}`);
  }
  const behind = `database ${name} on ${where} is ${pending.length} migration${pending.length === 1 ? '' : 's'} behind this version (first pending: ${pending[0].name})`;
  if (options.refuseBehind) throw new StartupFailure(`${behind}: ${RUN_MIGRATE}`);
  options.logger.warn({ pending: pending.map((migration) => migration.name) }, `${behind}; run ${MIGRATE_COMMAND}`);
}
