import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Debit notes (a credit note cancelled: a dispute won, a refund that failed after it succeeded),
 * numbered after commit in their own series like the other documents, so the number columns start
 * NULL; and a receipt's `paidAt`, set only on a late receipt (the back-fill of purchases paid before
 * receipts existed), whose purchase succeeded before it was issued. Every existing receipt was
 * issued when its purchase succeeded: its `paidAt` stays NULL, and adding a NULL column rewrites no row.
 */
export class DebitNotes1797000000000 implements MigrationInterface {
  name = 'DebitNotes1797000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`debit_note\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`accountId\` varchar(40) NOT NULL, \`creditNoteId\` bigint NOT NULL, \`receiptId\` bigint NOT NULL, \`topUpId\` varchar(40) NOT NULL, \`sourceKey\` varchar(191) NOT NULL, \`reason\` varchar(24) NOT NULL, \`series\` varchar(16) NOT NULL, \`year\` int NOT NULL, \`sequence\` int NULL, \`numberedAt\` datetime(3) NULL, \`issuedAt\` datetime(3) NOT NULL, \`amountMicros\` bigint NOT NULL, \`currency\` varchar(3) NOT NULL, \`totalMinor\` bigint NOT NULL, \`taxMinor\` bigint NOT NULL, \`taxBasisPoints\` int NOT NULL, \`leaseOwner\` varchar(64) NULL, \`leaseUntil\` datetime(3) NULL, INDEX \`idx_debit_note_numbering\` (\`sequence\`, \`id\`), INDEX \`idx_debit_note_receipt\` (\`receiptId\`, \`id\`), UNIQUE INDEX \`uq_debit_note_number\` (\`series\`, \`year\`, \`sequence\`), UNIQUE INDEX \`uq_debit_note_source\` (\`sourceKey\`), UNIQUE INDEX \`uq_debit_note_credit_note\` (\`creditNoteId\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(`ALTER TABLE \`receipt\` ADD \`paidAt\` datetime(3) NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`receipt\` DROP COLUMN \`paidAt\``);
    await queryRunner.query(`DROP TABLE \`debit_note\``);
    // The counters of the debit notes' series go with them: the previous release numbered none.
    await queryRunner.query(`DELETE FROM \`document_counter\` WHERE \`kind\` = 'DEBIT_NOTE'`);
  }
}
