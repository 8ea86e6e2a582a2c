import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A top-up stores the provider's next action (`nextActionType`, `nextActionUrl`) in place of one
 * column per provider (`approvalUrl` for PayPal, `redirectUrl` for VNPay). Existing rows are carried
 * over before the old columns go: a PayPal approval link or a VNPay payment URL becomes a
 * REDIRECT_TO_URL with that URL, a Stripe client secret a USE_STRIPE_SDK. Nullable columns: instant
 * ALTERs on MariaDB 10.3+ InnoDB, then two UPDATEs over the rows that have payment data.
 */
export class TopUpNextAction1796700000000 implements MigrationInterface {
  name = 'TopUpNextAction1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`top_up\` ADD \`nextActionType\` varchar(24) NULL, ADD \`nextActionUrl\` text NULL`);
    await queryRunner.query(
      `UPDATE \`top_up\` SET \`nextActionType\` = 'REDIRECT_TO_URL', \`nextActionUrl\` = COALESCE(\`approvalUrl\`, \`redirectUrl\`) WHERE \`approvalUrl\` IS NOT NULL OR \`redirectUrl\` IS NOT NULL`,
    );
    await queryRunner.query(`UPDATE \`top_up\` SET \`nextActionType\` = 'USE_STRIPE_SDK' WHERE \`nextActionType\` IS NULL AND \`clientSecret\` IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`top_up\` DROP COLUMN \`approvalUrl\`, DROP COLUMN \`redirectUrl\``);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`top_up\` ADD \`approvalUrl\` varchar(2048) NULL, ADD \`redirectUrl\` text NULL`);
    await queryRunner.query(`UPDATE \`top_up\` SET \`approvalUrl\` = \`nextActionUrl\` WHERE \`method\` = 'PAYPAL' AND \`nextActionType\` = 'REDIRECT_TO_URL'`);
    await queryRunner.query(
      `UPDATE \`top_up\` SET \`redirectUrl\` = \`nextActionUrl\` WHERE \`method\` <> 'PAYPAL' AND \`nextActionType\` = 'REDIRECT_TO_URL'`,
    );
    await queryRunner.query(`ALTER TABLE \`top_up\` DROP COLUMN \`nextActionType\`, DROP COLUMN \`nextActionUrl\``);
  }
}
