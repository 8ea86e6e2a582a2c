import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Receipts and credit notes (one per purchase, one per reversal; numbered after commit, so the
 * number columns start NULL) and the numbering counters per kind, series and year. New tables only:
 * nothing existing changes, and purchases made before this release get no receipt.
 */
export class Receipts1796810000000 implements MigrationInterface {
  name = 'Receipts1796810000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`credit_note\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`accountId\` varchar(40) NOT NULL, \`receiptId\` bigint NOT NULL, \`topUpId\` varchar(40) NOT NULL, \`sourceKey\` varchar(191) NOT NULL, \`reason\` varchar(24) NOT NULL, \`series\` varchar(16) NOT NULL, \`year\` int NOT NULL, \`sequence\` int NULL, \`numberedAt\` datetime(3) NULL, \`issuedAt\` datetime(3) NOT NULL, \`amountMicros\` bigint NOT NULL, \`currency\` varchar(3) NOT NULL, \`totalMinor\` bigint NOT NULL, \`taxMinor\` bigint NOT NULL, \`taxBasisPoints\` int NOT NULL, \`leaseOwner\` varchar(64) NULL, \`leaseUntil\` datetime(3) NULL, INDEX \`idx_credit_note_numbering\` (\`sequence\`, \`id\`), INDEX \`idx_credit_note_receipt\` (\`receiptId\`, \`id\`), UNIQUE INDEX \`uq_credit_note_number\` (\`series\`, \`year\`, \`sequence\`), UNIQUE INDEX \`uq_credit_note_source\` (\`sourceKey\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`receipt\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`accountId\` varchar(40) NOT NULL, \`topUpId\` varchar(40) NOT NULL, \`series\` varchar(16) NOT NULL, \`year\` int NOT NULL, \`sequence\` int NULL, \`numberedAt\` datetime(3) NULL, \`issuedAt\` datetime(3) NOT NULL, \`method\` varchar(16) NOT NULL, \`origin\` varchar(16) NOT NULL, \`providerReference\` varchar(191) NULL, \`billingEntityType\` varchar(16) NULL, \`billingLegalName\` varchar(200) NULL, \`billingTaxCode\` varchar(32) NULL, \`billingAddressLine1\` varchar(200) NULL, \`billingAddressLine2\` varchar(200) NULL, \`billingCity\` varchar(100) NULL, \`billingPostalCode\` varchar(20) NULL, \`billingCountry\` varchar(2) NULL, \`billingInvoiceEmail\` varchar(254) NULL, \`amountMicros\` bigint NOT NULL, \`creditPrice\` varchar(32) NOT NULL, \`currency\` varchar(3) NOT NULL, \`totalMinor\` bigint NOT NULL, \`taxMinor\` bigint NOT NULL, \`taxBasisPoints\` int NOT NULL, \`issuerName\` varchar(200) NOT NULL, \`issuerAddress\` varchar(300) NULL, \`issuerTaxCode\` varchar(32) NULL, \`leaseOwner\` varchar(64) NULL, \`leaseUntil\` datetime(3) NULL, INDEX \`idx_receipt_numbering\` (\`sequence\`, \`id\`), INDEX \`idx_receipt_account_issued_id\` (\`accountId\`, \`issuedAt\`, \`id\`), UNIQUE INDEX \`uq_receipt_number\` (\`series\`, \`year\`, \`sequence\`), UNIQUE INDEX \`uq_receipt_top_up\` (\`topUpId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`document_counter\` (\`kind\` varchar(16) NOT NULL, \`series\` varchar(16) NOT NULL, \`year\` int NOT NULL, \`lastSequence\` int NOT NULL, PRIMARY KEY (\`kind\`, \`series\`, \`year\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`document_counter\``);
    await queryRunner.query(`DROP TABLE \`receipt\``);
    await queryRunner.query(`DROP TABLE \`credit_note\``);
  }
}
