import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The grants list (`promotionalGrants`): what expiry took out of each grant, to tell EXPIRED from
 * USED_UP, and an (accountId, id) index for its newest-first pages. Works on a populated database:
 * the column has a default, and grants that already expired get their expired amount back from
 * their PROMOTIONAL_EXPIRY ledger transaction (idempotency key `expiry:<grantId>`), the account's
 * leg of which is minus that amount.
 */
export class PromotionalGrantStatus1796108809318 implements MigrationInterface {
  name = 'PromotionalGrantStatus1796108809318';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`promotional_grant\` ADD \`expiredMicros\` bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`CREATE INDEX \`idx_grant_account_id\` ON \`promotional_grant\` (\`accountId\`, \`id\`)`);
    await queryRunner.query(
      `UPDATE \`promotional_grant\` g
         JOIN \`ledger_transaction\` t ON t.\`idempotencyKey\` = CONCAT('expiry:', g.\`id\`)
         JOIN \`ledger_entry\` e ON e.\`transactionId\` = t.\`id\` AND e.\`accountId\` = g.\`accountId\`
        SET g.\`expiredMicros\` = -e.\`amountMicros\`
      WHERE g.\`remainingMicros\` = 0 AND g.\`expiresAt\` IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_grant_account_id\` ON \`promotional_grant\``);
    await queryRunner.query(`ALTER TABLE \`promotional_grant\` DROP COLUMN \`expiredMicros\``);
  }
}
