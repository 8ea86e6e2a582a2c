import { execFileSync } from 'node:child_process';
import path from 'node:path';
import mysql from 'mysql2/promise';

/** Names the run's migrated template database; set by the global setup, read by the workers. */
export const TEMPLATE_VARIABLE = 'CREDITS_TEST_MARIADB_TEMPLATE';

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
    admin = await mysql.createConnection({ uri: adminUri(rootUrl), connectTimeout: 2000 });
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
  const admin = await mysql.createConnection({ uri: adminUri(rootUrl) });
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await admin.end();
  }
}

/** The template's tables as SHOW CREATE TABLE prints them, read once per test file. */
let definitions: Promise<{ name: string; create: string }[]> | null = null;

function templateTables(connection: mysql.Connection, template: string): Promise<{ name: string; create: string }[]> {
  definitions ??= (async () => {
    const [tables] = (await connection.query(`SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'`, [
      template,
    ])) as unknown as [{ name: string }[]];
    const read: { name: string; create: string }[] = [];
    for (const { name } of tables) {
      const [[created]] = (await connection.query(`SHOW CREATE TABLE \`${template}\`.\`${name}\``)) as unknown as [{ 'Create Table': string }[]];
      read.push({ name, create: created['Create Table'] });
    }
    return read;
  })();
  return definitions;
}

/**
 * Fills the empty database `target` with the template's tables (each as SHOW CREATE TABLE prints
 * it: columns, indexes, keys, options; created from inside `target`, so a reference to another
 * table names the copy) and the rows the migrations wrote (their own record in `schema_migrations`
 * among them): what the migrations make of a fresh database, so a server starting on it finds
 * nothing pending. `connection` must allow several statements in one query.
 */
export async function cloneTemplate(connection: mysql.Connection, template: string, target: string): Promise<void> {
  const tables = await templateTables(connection, template);
  const statements = [`USE \`${target}\``, 'SET FOREIGN_KEY_CHECKS = 0'];
  for (const { name, create } of tables) {
    statements.push(create, `INSERT INTO \`${name}\` SELECT * FROM \`${template}\`.\`${name}\``);
  }
  statements.push('SET FOREIGN_KEY_CHECKS = 1');
  await connection.query(statements.join(';\n'));
}
