import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The purchase history (`topUps`) and readable failure reasons:
 * - keyset indexes (accountId, createdAt, id) and (accountId, status, createdAt, id); the first
 *   replaces (accountId, createdAt), its prefix;
 * - `failureCode`, back-filled for the top-ups that already failed, were canceled or expired, from
 *   their status and the text stored so far (the text itself is kept).
 * Adding a nullable column and secondary indexes is an online operation on InnoDB (no table copy).
 */
export class TopUpListAndFailureCodes1796200000000 implements MigrationInterface {
  name = 'TopUpListAndFailureCodes1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`top_up\` ADD \`failureCode\` varchar(32) NULL`);
    await queryRunner.query(`CREATE INDEX \`idx_top_up_account_created_id\` ON \`top_up\` (\`accountId\`, \`createdAt\`, \`id\`)`);
    await queryRunner.query(`CREATE INDEX \`idx_top_up_account_status_created_id\` ON \`top_up\` (\`accountId\`, \`status\`, \`createdAt\`, \`id\`)`);
    await queryRunner.query(`DROP INDEX \`idx_top_up_account_created\` ON \`top_up\``);
    await queryRunner.query(
      `UPDATE \`top_up\` SET \`failureCode\` = CASE
         WHEN \`status\` = 'EXPIRED' THEN 'EXPIRED'
         WHEN \`failureReason\` = 'Canceled by the buyer' OR \`failureReason\` LIKE 'vnp\\_ResponseCode 24,%' THEN 'BUYER_CANCELED'
         WHEN \`failureReason\` LIKE 'vnp\\_ResponseCode 51,%' THEN 'INSUFFICIENT_FUNDS'
         WHEN \`status\` = 'CANCELED' THEN 'PROVIDER_CANCELED'
         ELSE 'PAYMENT_FAILED' END
       WHERE \`status\` IN ('FAILED', 'CANCELED', 'EXPIRED') AND \`failureCode\` IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX \`idx_top_up_account_created\` ON \`top_up\` (\`accountId\`, \`createdAt\`)`);
    await queryRunner.query(`DROP INDEX \`idx_top_up_account_status_created_id\` ON \`top_up\``);
    await queryRunner.query(`DROP INDEX \`idx_top_up_account_created_id\` ON \`top_up\``);
    await queryRunner.query(`ALTER TABLE \`top_up\` DROP COLUMN \`failureCode\``);
  }
}
