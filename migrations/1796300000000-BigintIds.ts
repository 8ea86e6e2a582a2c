import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Generated row ids and the columns that hold them become BIGINT (signed, like the money columns:
 * 2^63 lasts millions of years at any plausible rate, and a signed type keeps ids and references
 * one type). `migration:generate` proposes dropping and re-adding each column, which would lose
 * every id and every reference to it; this is written by hand instead: one `MODIFY` per table,
 * which keeps the values, the AUTO_INCREMENT counter and the indexes (InnoDB rebuilds the table
 * once per statement). There are no foreign-key constraints in this schema; referenced tables are
 * still altered before the tables that reference them, so adding constraints later cannot make
 * this order wrong. `down` fails, as it should, once an id no longer fits an INT.
 */
const TABLES: { table: string; references: string[] }[] = [
  { table: 'wallet', references: [] },
  { table: 'ledger_transaction', references: [] },
  { table: 'ledger_entry', references: ['transactionId', 'walletId'] },
  { table: 'account_movement', references: ['transactionId'] },
  { table: 'promotional_grant', references: ['transactionId'] },
  { table: 'credit_transfer', references: ['transactionId'] },
  { table: 'usage_event', references: ['transactionId'] },
  { table: 'outbox_event', references: [] },
  { table: 'payment_event', references: [] },
];

export class BigintIds1796300000000 implements MigrationInterface {
  name = 'BigintIds1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const { table, references } of TABLES) {
      await queryRunner.query(alterTable(table, references, 'bigint'));
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const { table, references } of [...TABLES].reverse()) {
      await queryRunner.query(alterTable(table, references, 'int'));
    }
  }
}

function alterTable(table: string, references: string[], type: 'bigint' | 'int'): string {
  const columns = [`MODIFY \`id\` ${type} NOT NULL AUTO_INCREMENT`, ...references.map((column) => `MODIFY \`${column}\` ${type} NOT NULL`)];
  return `ALTER TABLE \`${table}\` ${columns.join(', ')}`;
}
