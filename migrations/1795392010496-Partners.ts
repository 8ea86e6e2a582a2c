import { MigrationInterface, QueryRunner } from 'typeorm';

export class Partners1795392010496 implements MigrationInterface {
  name = 'Partners1795392010496';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`credit_transfer\` (\`id\` int NOT NULL AUTO_INCREMENT, \`partnerAccountId\` varchar(40) NOT NULL, \`customerAccountId\` varchar(40) NOT NULL, \`amountMicros\` bigint NOT NULL, \`note\` varchar(255) NULL, \`idempotencyKey\` varchar(100) NOT NULL, \`requestHash\` varchar(64) NOT NULL, \`transactionId\` int NOT NULL, \`createdAt\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_transfer_transaction\` (\`transactionId\`), INDEX \`idx_transfer_customer_time\` (\`customerAccountId\`, \`createdAt\`, \`id\`), INDEX \`idx_transfer_partner_time\` (\`partnerAccountId\`, \`createdAt\`, \`id\`), UNIQUE INDEX \`uq_transfer_partner_key\` (\`partnerAccountId\`, \`idempotencyKey\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`usage_event\` (\`id\` int NOT NULL AUTO_INCREMENT, \`eventId\` varchar(100) NOT NULL, \`accountId\` varchar(40) NOT NULL, \`service\` varchar(64) NOT NULL, \`amountMicros\` bigint NOT NULL, \`promotionalMicros\` bigint NOT NULL, \`topUpMicros\` bigint NOT NULL, \`occurredAt\` datetime(3) NOT NULL, \`transactionId\` int NOT NULL, \`recordedAt\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_usage_event_transaction\` (\`transactionId\`), INDEX \`idx_usage_account_time\` (\`accountId\`, \`occurredAt\`, \`id\`), UNIQUE INDEX \`uq_usage_event_id\` (\`eventId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`uq_usage_event_id\` ON \`usage_event\``);
    await queryRunner.query(`DROP INDEX \`idx_usage_account_time\` ON \`usage_event\``);
    await queryRunner.query(`DROP INDEX \`uq_usage_event_transaction\` ON \`usage_event\``);
    await queryRunner.query(`DROP TABLE \`usage_event\``);
    await queryRunner.query(`DROP INDEX \`uq_transfer_partner_key\` ON \`credit_transfer\``);
    await queryRunner.query(`DROP INDEX \`idx_transfer_partner_time\` ON \`credit_transfer\``);
    await queryRunner.query(`DROP INDEX \`idx_transfer_customer_time\` ON \`credit_transfer\``);
    await queryRunner.query(`DROP INDEX \`uq_transfer_transaction\` ON \`credit_transfer\``);
    await queryRunner.query(`DROP TABLE \`credit_transfer\``);
  }
}
