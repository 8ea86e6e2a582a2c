import { MigrationInterface, QueryRunner } from 'typeorm';

export class Automation1796110643043 implements MigrationInterface {
  name = 'Automation1796110643043';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`balance_threshold\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`accountId\` varchar(40) NOT NULL, \`thresholdMicros\` bigint NOT NULL, \`createdAt\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_balance_threshold_account_amount\` (\`accountId\`, \`thresholdMicros\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`balance_threshold_crossing\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`accountId\` varchar(40) NOT NULL, \`thresholdMicros\` bigint NOT NULL, \`sourceEventId\` bigint NOT NULL, \`totalBeforeMicros\` bigint NOT NULL, \`totalAfterMicros\` bigint NOT NULL, \`occurredAt\` datetime(3) NOT NULL, INDEX \`idx_balance_threshold_crossing_account\` (\`accountId\`, \`id\`), UNIQUE INDEX \`uq_balance_threshold_crossing_source\` (\`sourceEventId\`, \`thresholdMicros\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`webhook_endpoint\` (\`id\` varchar(40) NOT NULL, \`accountId\` varchar(40) NOT NULL, \`url\` varchar(2048) NOT NULL, \`events\` varchar(512) NOT NULL, \`description\` varchar(200) NULL, \`status\` varchar(16) NOT NULL, \`secret\` varchar(100) NOT NULL, \`previousSecret\` varchar(100) NULL, \`previousSecretExpiresAt\` datetime(3) NULL, \`consecutiveFailures\` int NOT NULL DEFAULT '0', \`failingSince\` datetime(3) NULL, \`disabledAt\` datetime(3) NULL, \`disabledReason\` varchar(255) NULL, \`createdAt\` datetime(3) NOT NULL, \`updatedAt\` datetime(3) NOT NULL, INDEX \`idx_webhook_endpoint_account\` (\`accountId\`, \`createdAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`webhook_delivery\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`endpointId\` varchar(40) NOT NULL, \`eventId\` bigint NOT NULL, \`eventType\` varchar(40) NOT NULL, \`body\` text NOT NULL, \`status\` varchar(16) NOT NULL, \`attempts\` int NOT NULL DEFAULT '0', \`nextAttemptAt\` datetime(3) NULL, \`retryWindowStartedAt\` datetime(3) NULL, \`lastAttemptAt\` datetime(3) NULL, \`lastResponseCode\` int NULL, \`lastError\` varchar(255) NULL, \`deliveredAt\` datetime(3) NULL, \`leaseOwner\` varchar(64) NULL, \`leaseUntil\` datetime(3) NULL, \`createdAt\` datetime(3) NOT NULL, INDEX \`idx_webhook_delivery_endpoint\` (\`endpointId\`, \`id\`), INDEX \`idx_webhook_delivery_due\` (\`status\`, \`nextAttemptAt\`), UNIQUE INDEX \`uq_webhook_delivery_endpoint_event\` (\`endpointId\`, \`eventId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`webhook_delivery_attempt\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`deliveryId\` bigint NOT NULL, \`attemptedAt\` datetime(3) NOT NULL, \`responseCode\` int NULL, \`error\` varchar(255) NULL, \`durationMs\` int NOT NULL, \`succeeded\` tinyint NOT NULL, INDEX \`idx_webhook_delivery_attempt_delivery\` (\`deliveryId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_webhook_delivery_attempt_delivery\` ON \`webhook_delivery_attempt\``);
    await queryRunner.query(`DROP TABLE \`webhook_delivery_attempt\``);
    await queryRunner.query(`DROP INDEX \`uq_webhook_delivery_endpoint_event\` ON \`webhook_delivery\``);
    await queryRunner.query(`DROP INDEX \`idx_webhook_delivery_due\` ON \`webhook_delivery\``);
    await queryRunner.query(`DROP INDEX \`idx_webhook_delivery_endpoint\` ON \`webhook_delivery\``);
    await queryRunner.query(`DROP TABLE \`webhook_delivery\``);
    await queryRunner.query(`DROP INDEX \`idx_webhook_endpoint_account\` ON \`webhook_endpoint\``);
    await queryRunner.query(`DROP TABLE \`webhook_endpoint\``);
    await queryRunner.query(`DROP INDEX \`uq_balance_threshold_crossing_source\` ON \`balance_threshold_crossing\``);
    await queryRunner.query(`DROP INDEX \`idx_balance_threshold_crossing_account\` ON \`balance_threshold_crossing\``);
    await queryRunner.query(`DROP TABLE \`balance_threshold_crossing\``);
    await queryRunner.query(`DROP INDEX \`uq_balance_threshold_account_amount\` ON \`balance_threshold\``);
    await queryRunner.query(`DROP TABLE \`balance_threshold\``);
  }
}
