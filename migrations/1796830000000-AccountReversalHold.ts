import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `account.reversalHold`: set while a payment reversal has left the top-up balance below zero. The
 * column is added with its default (an instant ALTER on MariaDB 10.3+ InnoDB); then the accounts
 * already in that state are held: those whose latest `TOP_UP_REVERSAL` left the balance below zero
 * and whose balance has not been at zero or above since (one pass over the reversal rows, each
 * checked by an index seek on `idx_movement_account_time`).
 */
export class AccountReversalHold1796830000000 implements MigrationInterface {
  name = 'AccountReversalHold1796830000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`account\` ADD \`reversalHold\` tinyint NOT NULL DEFAULT 0`);
    await queryRunner.query(
      `UPDATE \`account\` a SET a.\`reversalHold\` = 1 WHERE EXISTS (
         SELECT 1 FROM \`account_movement\` m
         WHERE m.\`accountId\` = a.\`id\` AND m.\`type\` = 'TOP_UP_REVERSAL' AND m.\`topUpBalanceAfterMicros\` < 0
           AND NOT EXISTS (
             SELECT 1 FROM \`account_movement\` later
             WHERE later.\`accountId\` = m.\`accountId\` AND later.\`id\` > m.\`id\` AND later.\`topUpBalanceAfterMicros\` >= 0))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`account\` DROP COLUMN \`reversalHold\``);
  }
}
