import { MigrationInterface, QueryRunner } from 'typeorm';

export class Reports1795392174852 implements MigrationInterface {
  name = 'Reports1795392174852';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`account_activity_hour\` (\`accountId\` varchar(40) NOT NULL, \`movementType\` varchar(24) NOT NULL, \`bucketHour\` int NOT NULL, \`service\` varchar(64) NOT NULL, \`amountMicros\` bigint NOT NULL, \`movementCount\` int NOT NULL, PRIMARY KEY (\`accountId\`, \`movementType\`, \`bucketHour\`, \`service\`)) ENGINE=InnoDB`,
    );
    // Backfill from the credit history already written: the hour is counted from the epoch in the
    // stored UTC wall clock (TIMESTAMPDIFF ignores the session time zone); usage recorded before
    // the rollup existed has no service name and is reported as 'unknown'.
    await queryRunner.query(
      `INSERT INTO \`account_activity_hour\` (\`accountId\`, \`movementType\`, \`bucketHour\`, \`service\`, \`amountMicros\`, \`movementCount\`) SELECT \`accountId\`, \`type\`, TIMESTAMPDIFF(HOUR, '1970-01-01 00:00:00', \`occurredAt\`), CASE WHEN \`type\` = 'USAGE' THEN 'unknown' ELSE '' END, SUM(\`amountMicros\`), COUNT(*) FROM \`account_movement\` GROUP BY 1, 2, 3, 4`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`account_activity_hour\``);
  }
}
