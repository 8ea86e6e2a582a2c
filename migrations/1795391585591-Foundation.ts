import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795391585591 implements MigrationInterface {
  name = 'Foundation1795391585591';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`account\` (\`id\` varchar(40) NOT NULL, \`kind\` varchar(16) NOT NULL, \`status\` varchar(16) NOT NULL, \`region\` varchar(2) NOT NULL, \`name\` varchar(200) NOT NULL, \`partnerId\` varchar(40) NULL, \`depleted\` tinyint NOT NULL DEFAULT 0, \`createdAt\` datetime(3) NOT NULL, \`updatedAt\` datetime(3) NOT NULL, INDEX \`idx_account_partner_name\` (\`partnerId\`, \`name\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`billing_info\` (\`accountId\` varchar(40) NOT NULL, \`entityType\` varchar(16) NOT NULL, \`legalName\` varchar(200) NOT NULL, \`taxCode\` varchar(32) NOT NULL, \`addressLine1\` varchar(200) NOT NULL, \`addressLine2\` varchar(200) NULL, \`city\` varchar(100) NOT NULL, \`postalCode\` varchar(20) NULL, \`country\` varchar(2) NOT NULL, \`invoiceEmail\` varchar(254) NOT NULL, \`updatedAt\` datetime(3) NOT NULL, PRIMARY KEY (\`accountId\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`account_movement\` (\`id\` int NOT NULL AUTO_INCREMENT, \`accountId\` varchar(40) NOT NULL, \`transactionId\` int NOT NULL, \`type\` varchar(24) NOT NULL, \`amountMicros\` bigint NOT NULL, \`topUpBalanceAfterMicros\` bigint NOT NULL, \`promotionalBalanceAfterMicros\` bigint NOT NULL, \`counterpartyAccountId\` varchar(40) NULL, \`reference\` varchar(191) NULL, \`description\` varchar(255) NULL, \`occurredAt\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_movement_transaction_account\` (\`transactionId\`, \`accountId\`), INDEX \`idx_movement_account_type_time\` (\`accountId\`, \`type\`, \`occurredAt\`, \`id\`), INDEX \`idx_movement_account_time\` (\`accountId\`, \`occurredAt\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`ledger_entry\` (\`id\` int NOT NULL AUTO_INCREMENT, \`transactionId\` int NOT NULL, \`walletId\` int NOT NULL, \`accountId\` varchar(40) NOT NULL, \`amountMicros\` bigint NOT NULL, \`balanceAfterMicros\` bigint NOT NULL, \`createdAt\` datetime(3) NOT NULL, INDEX \`idx_ledger_entry_transaction\` (\`transactionId\`), INDEX \`idx_ledger_entry_wallet\` (\`walletId\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`ledger_transaction\` (\`id\` int NOT NULL AUTO_INCREMENT, \`type\` varchar(24) NOT NULL, \`idempotencyKey\` varchar(191) NOT NULL, \`requestHash\` varchar(64) NULL, \`reference\` varchar(191) NULL, \`description\` varchar(255) NULL, \`createdAt\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_ledger_transaction_key\` (\`idempotencyKey\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`promotional_grant\` (\`id\` int NOT NULL AUTO_INCREMENT, \`accountId\` varchar(40) NOT NULL, \`transactionId\` int NOT NULL, \`amountMicros\` bigint NOT NULL, \`remainingMicros\` bigint NOT NULL, \`expiresAt\` datetime(3) NULL, \`reason\` varchar(255) NOT NULL, \`createdAt\` datetime(3) NOT NULL, INDEX \`idx_grant_expiry\` (\`expiresAt\`), INDEX \`idx_grant_account_expiry\` (\`accountId\`, \`expiresAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`wallet\` (\`id\` int NOT NULL AUTO_INCREMENT, \`accountId\` varchar(40) NOT NULL, \`kind\` varchar(24) NOT NULL, \`balanceMicros\` bigint NOT NULL DEFAULT '0', UNIQUE INDEX \`uq_wallet_account_kind\` (\`accountId\`, \`kind\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`outbox_event\` (\`id\` int NOT NULL AUTO_INCREMENT, \`topic\` varchar(64) NOT NULL, \`payload\` text NOT NULL, \`createdAt\` datetime(3) NOT NULL, \`leaseOwner\` varchar(64) NULL, \`leaseUntil\` datetime(3) NULL, \`publishedAt\` datetime(3) NULL, INDEX \`idx_outbox_pending\` (\`publishedAt\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_outbox_pending\` ON \`outbox_event\``);
    await queryRunner.query(`DROP TABLE \`outbox_event\``);
    await queryRunner.query(`DROP INDEX \`uq_wallet_account_kind\` ON \`wallet\``);
    await queryRunner.query(`DROP TABLE \`wallet\``);
    await queryRunner.query(`DROP INDEX \`idx_grant_account_expiry\` ON \`promotional_grant\``);
    await queryRunner.query(`DROP INDEX \`idx_grant_expiry\` ON \`promotional_grant\``);
    await queryRunner.query(`DROP TABLE \`promotional_grant\``);
    await queryRunner.query(`DROP INDEX \`uq_ledger_transaction_key\` ON \`ledger_transaction\``);
    await queryRunner.query(`DROP TABLE \`ledger_transaction\``);
    await queryRunner.query(`DROP INDEX \`idx_ledger_entry_wallet\` ON \`ledger_entry\``);
    await queryRunner.query(`DROP INDEX \`idx_ledger_entry_transaction\` ON \`ledger_entry\``);
    await queryRunner.query(`DROP TABLE \`ledger_entry\``);
    await queryRunner.query(`DROP INDEX \`idx_movement_account_time\` ON \`account_movement\``);
    await queryRunner.query(`DROP INDEX \`idx_movement_account_type_time\` ON \`account_movement\``);
    await queryRunner.query(`DROP INDEX \`uq_movement_transaction_account\` ON \`account_movement\``);
    await queryRunner.query(`DROP TABLE \`account_movement\``);
    await queryRunner.query(`DROP TABLE \`billing_info\``);
    await queryRunner.query(`DROP INDEX \`idx_account_partner_name\` ON \`account\``);
    await queryRunner.query(`DROP TABLE \`account\``);
  }
}
