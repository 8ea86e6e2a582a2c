import type { DataSource } from 'typeorm';

/**
 * On the embedded SQLite (whose schema TypeORM derives from the entities, not from the migrations)
 * the same guard the MySQL migration installs: UPDATE and DELETE on `audit_log` are refused. Run at
 * every start, after the schema is synchronised (a rebuilt table loses its triggers).
 */
export async function installEmbeddedAuditGuards(dataSource: DataSource): Promise<void> {
  await dataSource.query(
    `CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
  );
  await dataSource.query(
    `CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
  );
}
