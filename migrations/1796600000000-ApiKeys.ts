import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys: one new table, so a populated database migrates without touching existing rows. Actors
 * need no new column: a key's actions are recorded as `apikey:<id>` in the existing `actorUserId`
 * (transfers, reclaims, batches) and `updatedBy` (rules) columns, and its name is read from here.
 */
export class ApiKeys1796600000000 implements MigrationInterface {
  name = 'ApiKeys1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`api_key\` (\`id\` varchar(40) NOT NULL, \`accountId\` varchar(40) NOT NULL, \`name\` varchar(100) NOT NULL, \`visiblePrefix\` varchar(40) NOT NULL, \`scopes\` varchar(255) NOT NULL, \`secretHash\` varchar(64) NOT NULL, \`previousSecretHash\` varchar(64) NULL, \`previousSecretExpiresAt\` datetime(3) NULL, \`createdBy\` varchar(191) NOT NULL, \`createdAt\` datetime(3) NOT NULL, \`expiresAt\` datetime(3) NULL, \`revokedAt\` datetime(3) NULL, \`revokedBy\` varchar(191) NULL, \`lastUsedAt\` datetime(3) NULL, INDEX \`idx_api_key_account\` (\`accountId\`, \`createdAt\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_api_key_account\` ON \`api_key\``);
    await queryRunner.query(`DROP TABLE \`api_key\``);
  }
}
