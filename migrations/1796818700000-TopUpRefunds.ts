import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refunds from the platform: each refund's row (`top_up_refund`), and on the top-up what its
 * refunds took back in credits and returned in money (`refundedMicros`, `refundedMinor`). Existing
 * top-ups were never refunded by the platform, so both start at 0; an ADD COLUMN with a constant
 * default is instant on MariaDB 10.3+ InnoDB, whatever the number of top-ups.
 */
export class TopUpRefunds1796818700000 implements MigrationInterface {
  name = 'TopUpRefunds1796818700000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`top_up\` ADD \`refundedMicros\` bigint NOT NULL DEFAULT '0', ADD \`refundedMinor\` bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `CREATE TABLE \`top_up_refund\` (\`id\` varchar(40) NOT NULL, \`topUpId\` varchar(40) NOT NULL, \`accountId\` varchar(40) NOT NULL, \`method\` varchar(16) NOT NULL, \`idempotencyKey\` varchar(100) NOT NULL, \`requestHash\` varchar(64) NOT NULL, \`amountMicros\` bigint NOT NULL, \`amountMinor\` bigint NOT NULL, \`currency\` varchar(3) NOT NULL, \`creditPrice\` varchar(32) NOT NULL, \`reason\` varchar(500) NOT NULL, \`status\` varchar(16) NOT NULL, \`providerReference\` varchar(191) NULL, \`failureReason\` varchar(255) NULL, \`createdAt\` datetime(3) NOT NULL, \`updatedAt\` datetime(3) NOT NULL, \`completedAt\` datetime(3) NULL, INDEX \`idx_top_up_refund_top_up\` (\`topUpId\`, \`createdAt\`), UNIQUE INDEX \`uq_top_up_refund_key\` (\`idempotencyKey\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`top_up_refund\``);
    await queryRunner.query(`ALTER TABLE \`top_up\` DROP COLUMN \`refundedMinor\`, DROP COLUMN \`refundedMicros\``);
  }
}
