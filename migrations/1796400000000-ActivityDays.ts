import { MigrationInterface, QueryRunner } from 'typeorm';
import { bucketDaySql } from '../src/reports/buckets';

/**
 * The rollup's daily tier (`account_activity_day`), so a summary report over a year reads whole days
 * instead of every active hour. Filled from the hourly rollup, which already holds every movement
 * (the Reports migration backfilled it from the history): each hour goes to its UTC day by the
 * rule the writer uses (`buckets.ts`: the hour bucket div 24).
 */
export class ActivityDays1796400000000 implements MigrationInterface {
  name = 'ActivityDays1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`account_activity_day\` (\`accountId\` varchar(40) NOT NULL, \`movementType\` varchar(24) NOT NULL, \`bucketDay\` int NOT NULL, \`service\` varchar(64) NOT NULL, \`amountMicros\` bigint NOT NULL, \`movementCount\` int NOT NULL, PRIMARY KEY (\`accountId\`, \`movementType\`, \`bucketDay\`, \`service\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `INSERT INTO \`account_activity_day\` (\`accountId\`, \`movementType\`, \`bucketDay\`, \`service\`, \`amountMicros\`, \`movementCount\`) SELECT \`accountId\`, \`movementType\`, ${bucketDaySql('mysql', '`bucketHour`')}, \`service\`, SUM(\`amountMicros\`), SUM(\`movementCount\`) FROM \`account_activity_hour\` GROUP BY 1, 2, 3, 4`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`account_activity_day\``);
  }
}
