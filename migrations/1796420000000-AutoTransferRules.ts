import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner auto-transfer rules (one per customer) and their firings (one per downward crossing,
 * unique on rule and BALANCE_CHANGED event). BIGINT ids like every table since BigintIds.
 */
export class AutoTransferRules1796420000000 implements MigrationInterface {
  name = 'AutoTransferRules1796420000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`auto_transfer_rule\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`partnerAccountId\` varchar(40) NOT NULL, \`customerAccountId\` varchar(40) NOT NULL, \`status\` varchar(16) NOT NULL, \`thresholdMicros\` bigint NOT NULL, \`targetMicros\` bigint NOT NULL, \`monthlyCapMicros\` bigint NOT NULL, \`lastFiredAt\` datetime(3) NULL, \`refusalCount\` int NOT NULL DEFAULT '0', \`lastRefusalCode\` varchar(32) NULL, \`lastRefusalAt\` datetime(3) NULL, \`createdAt\` datetime(3) NOT NULL, \`updatedAt\` datetime(3) NOT NULL, INDEX \`idx_auto_transfer_rule_partner\` (\`partnerAccountId\`, \`id\`), UNIQUE INDEX \`uq_auto_transfer_rule_customer\` (\`customerAccountId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`auto_transfer_firing\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`ruleId\` bigint NOT NULL, \`partnerAccountId\` varchar(40) NOT NULL, \`customerAccountId\` varchar(40) NOT NULL, \`sourceEventId\` bigint NOT NULL, \`totalAfterMicros\` bigint NOT NULL, \`crossedAt\` datetime(3) NOT NULL, \`status\` varchar(16) NOT NULL, \`thresholdMicros\` bigint NULL, \`targetMicros\` bigint NULL, \`amountMicros\` bigint NULL, \`transferId\` bigint NULL, \`refusalCode\` varchar(32) NULL, \`message\` varchar(255) NULL, \`decidedAt\` datetime(3) NULL, \`completedAt\` datetime(3) NULL, \`leaseOwner\` varchar(64) NULL, \`leaseUntil\` datetime(3) NULL, \`createdAt\` datetime(3) NOT NULL, INDEX \`idx_auto_transfer_firing_due\` (\`status\`, \`id\`), INDEX \`idx_auto_transfer_firing_rule\` (\`ruleId\`, \`id\`), UNIQUE INDEX \`uq_auto_transfer_firing_source\` (\`ruleId\`, \`sourceEventId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`uq_auto_transfer_firing_source\` ON \`auto_transfer_firing\``);
    await queryRunner.query(`DROP INDEX \`idx_auto_transfer_firing_rule\` ON \`auto_transfer_firing\``);
    await queryRunner.query(`DROP INDEX \`idx_auto_transfer_firing_due\` ON \`auto_transfer_firing\``);
    await queryRunner.query(`DROP TABLE \`auto_transfer_firing\``);
    await queryRunner.query(`DROP INDEX \`uq_auto_transfer_rule_customer\` ON \`auto_transfer_rule\``);
    await queryRunner.query(`DROP INDEX \`idx_auto_transfer_rule_partner\` ON \`auto_transfer_rule\``);
    await queryRunner.query(`DROP TABLE \`auto_transfer_rule\``);
  }
}
