import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type mysql from 'mysql2/promise';

/** Names the run's migrated template database; set by the global setup, read by the workers. */
export const TEMPLATE_VARIABLE = 'CREDITS_TEST_MARIADB_TEMPLATE';

/**
 * mysql2's promise API, required where a connection is made: the SQLite project's test files load
 * this file (through the harness) without ever loading mysql2.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const mysqlDriver = () => require('mysql2/promise') as typeof mysql;

const adminUri = (rootUrl: string) => rootUrl.replace(/^mariadb:/, 'mysql:');

/**
 * Made once per jest run by the global setup: a MariaDB database migrated by the compiled `migrate`
 * command (the release step, every migration in order), which `cloneTemplate` copies for each test
 * server that asks for a fresh database. Running the 23 migrations takes about 2.5 s a database on
 * two cores; copying their result about 0.5 s. Answers null when MariaDB is not reachable (the
 * SQLite and unit projects need none).
 */
export async function createTemplate(rootUrl: string, compiledRoot: string): Promise<string | null> {
  let admin: mysql.Connection;
  try {
    admin = await mysqlDriver().createConnection({ uri: adminUri(rootUrl), connectTimeout: 2000 });
  } catch {
    return null;
  }
  const name = `credits_test_template_${process.pid}`;
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.query(`CREATE DATABASE \`${name}\``);
  } finally {
    await admin.end();
  }
  execFileSync(process.execPath, [path.join(compiledRoot, 'src/scripts/migrate.js')], {
    env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: `${rootUrl}/${name}`, LOG_LEVEL: 'silent' },
    stdio: 'pipe',
  });
  return name;
}

export async function dropTemplate(rootUrl: string, name: string): Promise<void> {
  const admin = await mysqlDriver().createConnection({ uri: adminUri(rootUrl) });
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await admin.end();
  }
}

interface TemplateDefinition {
  tables: { name: string; create: string }[];
  /** Triggers as SHOW CREATE TRIGGER prints them (the audit log's append-only guards). */
  triggers: string[];
}

/** The template's tables and triggers, read once per test file. */
let definition: Promise<TemplateDefinition> | null = null;

function templateDefinition(connection: mysql.Connection, template: string): Promise<TemplateDefinition> {
  definition ??= (async () => {
    const names = async (sql: string, values: string[] = [template]) => {
      const [rows] = (await connection.query(sql, values)) as unknown as [{ name: string }[]];
      return rows.map((row) => row.name);
    };
    // Views, routines and events would not be copied: a migration that adds one must teach this copy first.
    const others = await names(
      `SELECT TABLE_NAME AS name FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?
       UNION ALL SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?
       UNION ALL SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?`,
      [template, template, template],
    );
    if (others.length > 0) throw new Error(`the MariaDB template holds views, routines or events the test copy does not make: ${others.join(', ')}`);
    const tables: TemplateDefinition['tables'] = [];
    for (const name of await names(`SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'`)) {
      const [[created]] = (await connection.query(`SHOW CREATE TABLE \`${template}\`.\`${name}\``)) as unknown as [{ 'Create Table': string }[]];
      tables.push({ name, create: created['Create Table'] });
    }
    const triggers: string[] = [];
    for (const name of await names(`SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?`)) {
      const [[created]] = (await connection.query(`SHOW CREATE TRIGGER \`${template}\`.\`${name}\``)) as unknown as [{ 'SQL Original Statement': string }[]];
      triggers.push(created['SQL Original Statement']);
    }
    return { tables, triggers };
  })();
  return definition;
}

/**
 * Fills the empty database `target` with the template's tables (each as SHOW CREATE TABLE prints
 * it: columns, indexes, keys, options; created from inside `target`, so a reference to another
 * table names the copy), its triggers, and the rows the migrations wrote (their own record in `schema_migrations`
 * among them): what the migrations make of a fresh database, so a server starting on it finds
 * nothing pending. `connection` must allow several statements in one query.
 */
export async function cloneTemplate(connection: mysql.Connection, template: string, target: string): Promise<void> {
  const { tables, triggers } = await templateDefinition(connection, template);
  const statements = [`USE \`${target}\``, 'SET FOREIGN_KEY_CHECKS = 0'];
  for (const { name, create } of tables) {
    statements.push(create, `INSERT INTO \`${name}\` SELECT * FROM \`${template}\`.\`${name}\``);
  }
  // After the rows: the audit log's guards refuse changes, not inserts, but a copy makes no exception.
  statements.push(...triggers, 'SET FOREIGN_KEY_CHECKS = 1');
  await connection.query(statements.join(';\n'));
}
