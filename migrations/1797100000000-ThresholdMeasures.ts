import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A low-balance threshold watches a measure: the total balance (every existing threshold and
 * crossing, the column's default) or a partner's available credit. The unique keys take the measure
 * in: a threshold per (account, measure, amount), a crossing per (source event, measure, threshold).
 * Adding a column with a default and widening two unique keys changes no existing row's meaning.
 */
export class ThresholdMeasures1797100000000 implements MigrationInterface {
  name = 'ThresholdMeasures1797100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`balance_threshold\` ADD \`measure\` varchar(24) NOT NULL DEFAULT 'TOTAL'`);
    await queryRunner.query(`DROP INDEX \`uq_balance_threshold_account_amount\` ON \`balance_threshold\``);
    await queryRunner.query(
      `CREATE UNIQUE INDEX \`uq_balance_threshold_account_measure_amount\` ON \`balance_threshold\` (\`accountId\`, \`measure\`, \`thresholdMicros\`)`,
    );
    await queryRunner.query(`ALTER TABLE \`balance_threshold_crossing\` ADD \`measure\` varchar(24) NOT NULL DEFAULT 'TOTAL'`);
    await queryRunner.query(`DROP INDEX \`uq_balance_threshold_crossing_source\` ON \`balance_threshold_crossing\``);
    await queryRunner.query(
      `CREATE UNIQUE INDEX \`uq_balance_threshold_crossing_source_measure\` ON \`balance_threshold_crossing\` (\`sourceEventId\`, \`measure\`, \`thresholdMicros\`)`,
    );
  }

  /** Back to total-balance thresholds only: thresholds and crossings of available credit are removed (the previous release has no such thing). */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM \`balance_threshold_crossing\` WHERE \`measure\` <> 'TOTAL'`);
    await queryRunner.query(`DROP INDEX \`uq_balance_threshold_crossing_source_measure\` ON \`balance_threshold_crossing\``);
    await queryRunner.query(
      `CREATE UNIQUE INDEX \`uq_balance_threshold_crossing_source\` ON \`balance_threshold_crossing\` (\`sourceEventId\`, \`thresholdMicros\`)`,
    );
    await queryRunner.query(`ALTER TABLE \`balance_threshold_crossing\` DROP COLUMN \`measure\``);
    await queryRunner.query(`DELETE FROM \`balance_threshold\` WHERE \`measure\` <> 'TOTAL'`);
    await queryRunner.query(`DROP INDEX \`uq_balance_threshold_account_measure_amount\` ON \`balance_threshold\``);
    await queryRunner.query(`CREATE UNIQUE INDEX \`uq_balance_threshold_account_amount\` ON \`balance_threshold\` (\`accountId\`, \`thresholdMicros\`)`);
    await queryRunner.query(`ALTER TABLE \`balance_threshold\` DROP COLUMN \`measure\``);
  }
}
