import mysql from 'mysql2/promise';
import { createTestDatabase, MARIADB_ROOT_URL, type TestDatabaseHandle } from '../support/harness';
import { TEMPLATE_VARIABLE } from '../support/mariadb-template';

/**
 * A test server's fresh MariaDB database is a copy of the run's migrated template: it must be what
 * the migrations make, column for column, index for index, trigger for trigger, row for row.
 */
describe("a test server's MariaDB database", () => {
  let database: TestDatabaseHandle;
  let connection: mysql.Connection;
  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    connection = await mysql.createConnection({ uri: MARIADB_ROOT_URL.replace(/^mariadb:/, 'mysql:') });
  });
  afterAll(async () => {
    await connection?.end();
    await database?.drop();
  });

  it('has the migrated template’s tables, columns, indexes, triggers and rows', async () => {
    const template = process.env[TEMPLATE_VARIABLE]!;
    expect(template).toBeTruthy();
    const copy = new URL(database.env.DATABASE_URL.replace(/^mariadb:/, 'mysql:')).pathname.slice(1);
    const shape = async (schema: string) => {
      const read = async (sql: string, values: unknown[] = [schema]) => ((await connection.query(sql, values)) as unknown as [Record<string, unknown>[]])[0];
      return {
        columns: await read(
          `SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLLATION_NAME
           FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
        ),
        indexes: await read(
          `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME FROM information_schema.STATISTICS
           WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
        ),
        triggers: await read(
          `SELECT TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_TIMING, ACTION_STATEMENT FROM information_schema.TRIGGERS
           WHERE TRIGGER_SCHEMA = ? ORDER BY TRIGGER_NAME`,
        ),
        migrations: await read(`SELECT name FROM \`${schema}\`.schema_migrations ORDER BY id`, []),
      };
    };
    const [original, copied] = [await shape(template), await shape(copy)];
    expect(original.triggers.length).toBeGreaterThan(0);
    expect(original.migrations.length).toBeGreaterThan(0);
    expect(copied).toEqual(original);
  });
});
