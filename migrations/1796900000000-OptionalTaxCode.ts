import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A private individual's billing information may have no tax code: `billing_info.taxCode` becomes
 * nullable. Existing rows keep their codes; widening a column to NULL rewrites no row's value.
 */
export class OptionalTaxCode1796900000000 implements MigrationInterface {
  name = 'OptionalTaxCode1796900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`billing_info\` MODIFY \`taxCode\` varchar(32) NULL`);
  }

  /** Back to required: an individual without a code gets an empty one, which the previous release shows as it is. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE \`billing_info\` SET \`taxCode\` = '' WHERE \`taxCode\` IS NULL`);
    await queryRunner.query(`ALTER TABLE \`billing_info\` MODIFY \`taxCode\` varchar(32) NOT NULL`);
  }
}
