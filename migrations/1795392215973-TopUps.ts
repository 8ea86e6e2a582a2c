import { MigrationInterface, QueryRunner } from 'typeorm';

export class TopUps1795392215973 implements MigrationInterface {
  name = 'TopUps1795392215973';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`payment_event\` (\`id\` int NOT NULL AUTO_INCREMENT, \`provider\` varchar(16) NOT NULL, \`eventId\` varchar(191) NOT NULL, \`topUpId\` varchar(40) NOT NULL, \`outcome\` varchar(24) NOT NULL, \`result\` varchar(24) NOT NULL, \`receivedAt\` datetime(3) NOT NULL, INDEX \`idx_payment_event_top_up\` (\`topUpId\`, \`id\`), UNIQUE INDEX \`uq_payment_event_provider_event\` (\`provider\`, \`eventId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`top_up\` (\`id\` varchar(40) NOT NULL, \`accountId\` varchar(40) NOT NULL, \`idempotencyKey\` varchar(100) NOT NULL, \`requestHash\` varchar(64) NOT NULL, \`method\` varchar(16) NOT NULL, \`status\` varchar(24) NOT NULL, \`amountMicros\` bigint NOT NULL, \`currency\` varchar(3) NOT NULL, \`chargeMinor\` bigint NOT NULL, \`creditPrice\` varchar(32) NOT NULL, \`reversedMicros\` bigint NOT NULL DEFAULT '0', \`returnUrl\` varchar(2048) NOT NULL, \`providerReference\` varchar(191) NULL, \`clientSecret\` varchar(255) NULL, \`approvalUrl\` varchar(2048) NULL, \`redirectUrl\` text NULL, \`failureReason\` varchar(255) NULL, \`expiresAt\` datetime(3) NOT NULL, \`createdAt\` datetime(3) NOT NULL, \`updatedAt\` datetime(3) NOT NULL, \`completedAt\` datetime(3) NULL, INDEX \`idx_top_up_account_created\` (\`accountId\`, \`createdAt\`), INDEX \`idx_top_up_provider_reference\` (\`method\`, \`providerReference\`), INDEX \`idx_top_up_status_expiry\` (\`status\`, \`expiresAt\`), UNIQUE INDEX \`uq_top_up_account_key\` (\`accountId\`, \`idempotencyKey\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`uq_top_up_account_key\` ON \`top_up\``);
    await queryRunner.query(`DROP INDEX \`idx_top_up_status_expiry\` ON \`top_up\``);
    await queryRunner.query(`DROP INDEX \`idx_top_up_provider_reference\` ON \`top_up\``);
    await queryRunner.query(`DROP INDEX \`idx_top_up_account_created\` ON \`top_up\``);
    await queryRunner.query(`DROP TABLE \`top_up\``);
    await queryRunner.query(`DROP INDEX \`uq_payment_event_provider_event\` ON \`payment_event\``);
    await queryRunner.query(`DROP INDEX \`idx_payment_event_top_up\` ON \`payment_event\``);
    await queryRunner.query(`DROP TABLE \`payment_event\``);
  }
}
