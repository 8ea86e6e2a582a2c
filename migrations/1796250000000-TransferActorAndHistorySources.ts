import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who made a transfer, and the typed sources of credit-history rows:
 * - `credit_transfer.actorUserId` and `actorRole`: the partner user (`sub`) and its role; transfers
 *   made before this migration keep NULL (nobody recorded them);
 * - an index on `promotional_grant.transactionId`, so a page of history finds the grants of its
 *   PROMOTIONAL_GRANT rows with one indexed lookup.
 * Adding nullable columns and a secondary index is an online operation on InnoDB (no table copy).
 */
export class TransferActorAndHistorySources1796250000000 implements MigrationInterface {
  name = 'TransferActorAndHistorySources1796250000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`credit_transfer\` ADD \`actorUserId\` varchar(191) NULL`);
    await queryRunner.query(`ALTER TABLE \`credit_transfer\` ADD \`actorRole\` varchar(16) NULL`);
    await queryRunner.query(`CREATE INDEX \`idx_grant_transaction\` ON \`promotional_grant\` (\`transactionId\`)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_grant_transaction\` ON \`promotional_grant\``);
    await queryRunner.query(`ALTER TABLE \`credit_transfer\` DROP COLUMN \`actorRole\``);
    await queryRunner.query(`ALTER TABLE \`credit_transfer\` DROP COLUMN \`actorUserId\``);
  }
}
