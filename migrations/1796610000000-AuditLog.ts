import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail: one append-only table, and two triggers that refuse UPDATE and DELETE on it
 * (SQLSTATE 45000), so not even a mistaken statement of the application can rewrite history. A new
 * table only: nothing existing is altered.
 */
export class AuditLog1796610000000 implements MigrationInterface {
  name = 'AuditLog1796610000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`audit_log\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`createdAt\` datetime(3) NOT NULL, \`actorKind\` varchar(16) NOT NULL, \`actorSubject\` varchar(191) NOT NULL, \`actorRole\` varchar(32) NULL, \`actorAccountId\` varchar(40) NULL, \`apiKeyId\` varchar(64) NULL, \`address\` varchar(64) NULL, \`requestId\` varchar(128) NULL, \`action\` varchar(64) NOT NULL, \`targetType\` varchar(40) NOT NULL, \`targetId\` varchar(191) NOT NULL, \`accountId\` varchar(40) NULL, \`before\` text NULL, \`after\` text NULL, \`reason\` varchar(500) NULL, INDEX \`idx_audit_log_account\` (\`accountId\`, \`id\`), INDEX \`idx_audit_log_action\` (\`action\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TRIGGER \`audit_log_no_update\` BEFORE UPDATE ON \`audit_log\` FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only'`,
    );
    await queryRunner.query(
      `CREATE TRIGGER \`audit_log_no_delete\` BEFORE DELETE ON \`audit_log\` FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS \`audit_log_no_delete\``);
    await queryRunner.query(`DROP TRIGGER IF EXISTS \`audit_log_no_update\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_log_action\` ON \`audit_log\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_log_account\` ON \`audit_log\``);
    await queryRunner.query(`DROP TABLE \`audit_log\``);
  }
}
