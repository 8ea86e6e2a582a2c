import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk transfers (`transferCreditsBatch`):
 * - `transfer_batch`: one row per applied batch, its key unique per partner, the request's hash;
 * - `transfer_batch_refusal`: the refused rows of a batch, with the code and message answered;
 * - `credit_transfer.idempotencyKey` widens from 100 to 120 characters: a batch's transfers are
 *   keyed `<batch key>/<row index>` (a 100-character key plus up to 4 digits). Widening a VARCHAR
 *   within the same length-byte size (both above 255 bytes in utf8mb4) is an in-place change on
 *   InnoDB; the unique index stays.
 */
export class TransferBatches1796340000000 implements MigrationInterface {
  name = 'TransferBatches1796340000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`transfer_batch\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`partnerAccountId\` varchar(40) NOT NULL, \`idempotencyKey\` varchar(100) NOT NULL, \`requestHash\` varchar(64) NOT NULL, \`mode\` varchar(16) NOT NULL, \`rowCount\` int NOT NULL, \`createdAt\` datetime(3) NOT NULL, UNIQUE INDEX \`uq_transfer_batch_partner_key\` (\`partnerAccountId\`, \`idempotencyKey\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`transfer_batch_refusal\` (\`batchId\` bigint NOT NULL, \`rowIndex\` int NOT NULL, \`code\` varchar(32) NOT NULL, \`message\` varchar(255) NOT NULL, PRIMARY KEY (\`batchId\`, \`rowIndex\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(`ALTER TABLE \`credit_transfer\` MODIFY \`idempotencyKey\` varchar(120) NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Fails, as it should, once a batch's transfer has a key longer than 100 characters.
    await queryRunner.query(`ALTER TABLE \`credit_transfer\` MODIFY \`idempotencyKey\` varchar(100) NOT NULL`);
    await queryRunner.query(`DROP TABLE \`transfer_batch_refusal\``);
    await queryRunner.query(`DROP TABLE \`transfer_batch\``);
  }
}
