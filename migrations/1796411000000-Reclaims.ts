import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `credit_reclaim`: one row per reclaim (a partner took unused top-up credits back from its own
 * customer), with the columns `credit_transfer` has: the partner's idempotency key (unique per
 * partner), the request hash, the note, who made it, and its ledger transaction (unique). A new
 * table, so nothing existing is rewritten; reclaims start with this migration, so there is nothing
 * to backfill (the rollup and the history take RECLAIM_IN / RECLAIM_OUT rows as any other type).
 */
export class Reclaims1796411000000 implements MigrationInterface {
  name = 'Reclaims1796411000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`credit_reclaim\` (
        \`id\` bigint NOT NULL AUTO_INCREMENT,
        \`partnerAccountId\` varchar(40) NOT NULL,
        \`customerAccountId\` varchar(40) NOT NULL,
        \`amountMicros\` bigint NOT NULL,
        \`note\` varchar(255) NULL,
        \`idempotencyKey\` varchar(100) NOT NULL,
        \`requestHash\` varchar(64) NOT NULL,
        \`actorUserId\` varchar(191) NULL,
        \`actorRole\` varchar(16) NULL,
        \`transactionId\` bigint NOT NULL,
        \`createdAt\` datetime(3) NOT NULL,
        UNIQUE INDEX \`uq_reclaim_transaction\` (\`transactionId\`),
        INDEX \`idx_reclaim_customer_time\` (\`customerAccountId\`, \`createdAt\`, \`id\`),
        INDEX \`idx_reclaim_partner_time\` (\`partnerAccountId\`, \`createdAt\`, \`id\`),
        UNIQUE INDEX \`uq_reclaim_partner_key\` (\`partnerAccountId\`, \`idempotencyKey\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE = InnoDB`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`credit_reclaim\``);
  }
}
