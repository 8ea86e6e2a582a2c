import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Auto-recharge: the account's Stripe Customer, its saved cards, its rule, one attempt per threshold
 * crossing (unique on the crossing's outbox event), and `top_up.origin` (MANUAL for every top-up made
 * before; adding a column with a constant default is an instant ALTER on MariaDB 10.3+ InnoDB, no
 * table copy). After BigintIds (and ActivityDays): the new tables are created with BIGINT ids.
 */
export class AutoRecharge1796500000000 implements MigrationInterface {
  name = 'AutoRecharge1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`stripe_customer\` (\`accountId\` varchar(40) NOT NULL, \`customerReference\` varchar(191) NOT NULL, \`createdAt\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_stripe_customer_reference\` (\`customerReference\`), PRIMARY KEY (\`accountId\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`saved_payment_method\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`accountId\` varchar(40) NOT NULL, \`providerReference\` varchar(191) NOT NULL, \`setupIntentId\` varchar(191) NOT NULL, \`brand\` varchar(32) NOT NULL, \`last4\` varchar(4) NOT NULL, \`expMonth\` int NOT NULL, \`expYear\` int NOT NULL, \`createdAt\` datetime(3) NOT NULL, INDEX \`idx_saved_payment_method_account\` (\`accountId\`, \`id\`), UNIQUE INDEX \`uq_saved_payment_method_reference\` (\`providerReference\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`auto_recharge_rule\` (\`accountId\` varchar(40) NOT NULL, \`thresholdMicros\` bigint NOT NULL, \`amountMicros\` bigint NULL, \`targetBalanceMicros\` bigint NULL, \`monthlyCapMicros\` bigint NOT NULL, \`paymentMethodId\` bigint NOT NULL, \`status\` varchar(16) NOT NULL, \`disabledReason\` varchar(40) NULL, \`consecutiveFailures\` int NOT NULL DEFAULT '0', \`updatedBy\` varchar(191) NOT NULL, \`createdAt\` datetime(3) NOT NULL, \`updatedAt\` datetime(3) NOT NULL, PRIMARY KEY (\`accountId\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`auto_recharge_attempt\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`accountId\` varchar(40) NOT NULL, \`sourceEventId\` bigint NOT NULL, \`topUpId\` varchar(40) NULL, \`paymentMethodId\` bigint NOT NULL, \`status\` varchar(24) NOT NULL, \`skipReason\` varchar(40) NULL, \`chargeAttempts\` int NOT NULL DEFAULT '0', \`nextAttemptAt\` datetime(3) NULL, \`leaseOwner\` varchar(64) NULL, \`leaseUntil\` datetime(3) NULL, \`createdAt\` datetime(3) NOT NULL, \`updatedAt\` datetime(3) NOT NULL, INDEX \`idx_auto_recharge_attempt_account\` (\`accountId\`, \`id\`), INDEX \`idx_auto_recharge_attempt_due\` (\`status\`, \`nextAttemptAt\`), UNIQUE INDEX \`uq_auto_recharge_attempt_top_up\` (\`topUpId\`), UNIQUE INDEX \`uq_auto_recharge_attempt_source\` (\`sourceEventId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(`ALTER TABLE \`top_up\` ADD \`origin\` varchar(16) NOT NULL DEFAULT 'MANUAL'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`top_up\` DROP COLUMN \`origin\``);
    await queryRunner.query(`DROP INDEX \`uq_auto_recharge_attempt_source\` ON \`auto_recharge_attempt\``);
    await queryRunner.query(`DROP INDEX \`uq_auto_recharge_attempt_top_up\` ON \`auto_recharge_attempt\``);
    await queryRunner.query(`DROP INDEX \`idx_auto_recharge_attempt_due\` ON \`auto_recharge_attempt\``);
    await queryRunner.query(`DROP INDEX \`idx_auto_recharge_attempt_account\` ON \`auto_recharge_attempt\``);
    await queryRunner.query(`DROP TABLE \`auto_recharge_attempt\``);
    await queryRunner.query(`DROP TABLE \`auto_recharge_rule\``);
    await queryRunner.query(`DROP INDEX \`uq_saved_payment_method_reference\` ON \`saved_payment_method\``);
    await queryRunner.query(`DROP INDEX \`idx_saved_payment_method_account\` ON \`saved_payment_method\``);
    await queryRunner.query(`DROP TABLE \`saved_payment_method\``);
    await queryRunner.query(`DROP INDEX \`uq_stripe_customer_reference\` ON \`stripe_customer\``);
    await queryRunner.query(`DROP TABLE \`stripe_customer\``);
  }
}
