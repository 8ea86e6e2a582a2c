import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Corrections by the platform admin: `credit_correction` (one row per adjustment, grant voided or
 * grant expiry moved; its ledger transaction unique, its once-only key unique) and
 * `promotional_grant.voidedMicros` (what a void took; 0 for every existing grant, which none has
 * voided). Partners' credit limits: `account.creditLimitMicros` (0 for every existing account, so
 * the depletion flag, "top-up balance below minus the limit", keeps its meaning for every row).
 * The columns are added with their defaults, so existing rows keep their state; the new table starts
 * empty, and the CORRECTIONS system wallet is created at start-up like the others.
 */
export class CorrectionsAndCreditLimits1796840000000 implements MigrationInterface {
  name = 'CorrectionsAndCreditLimits1796840000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`promotional_grant\` ADD \`voidedMicros\` bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE \`account\` ADD \`creditLimitMicros\` bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`
      CREATE TABLE \`credit_correction\` (
        \`id\` bigint NOT NULL AUTO_INCREMENT,
        \`kind\` varchar(40) NOT NULL,
        \`accountId\` varchar(40) NOT NULL,
        \`wallet\` varchar(16) NULL,
        \`amountMicros\` bigint NOT NULL,
        \`grantId\` bigint NULL,
        \`previousExpiresAt\` datetime(3) NULL,
        \`newExpiresAt\` datetime(3) NULL,
        \`reason\` varchar(255) NOT NULL,
        \`correctionKey\` varchar(191) NULL,
        \`requestHash\` varchar(64) NULL,
        \`transactionId\` bigint NULL,
        \`createdAt\` datetime(3) NOT NULL,
        INDEX \`idx_correction_account\` (\`accountId\`, \`id\`),
        INDEX \`idx_correction_grant\` (\`grantId\`),
        UNIQUE INDEX \`uq_correction_transaction\` (\`transactionId\`),
        UNIQUE INDEX \`uq_correction_key\` (\`correctionKey\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE = InnoDB`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`credit_correction\``);
    await queryRunner.query(`ALTER TABLE \`account\` DROP COLUMN \`creditLimitMicros\``);
    await queryRunner.query(`ALTER TABLE \`promotional_grant\` DROP COLUMN \`voidedMicros\``);
  }
}
