import { DataSource } from 'typeorm';
import { newKey } from '../support/fixtures';
import { startTestServer, TestDatabaseHandle } from '../support/harness';
import { databaseBefore } from '../support/migrations';
import { credits, partnerWithCustomer, TRANSFER, TRANSFER_BATCH } from '../support/partners';

/** MariaDB only (jest.config.js): SQLite's schema comes from the entities, it has no migrations. */
describe('TransferBatches migration on a populated MariaDB database', () => {
  let database: TestDatabaseHandle;
  let migrations: DataSource;
  let upgrade: () => Promise<string[]>;
  beforeAll(async () => {
    ({ database, migrations, upgrade } = await databaseBefore('TransferBatches'));
  });
  afterAll(async () => {
    await migrations?.destroy();
    await database?.drop();
  });

  const transferRows = async () => (await migrations.query('SELECT * FROM credit_transfer ORDER BY id')) as Record<string, unknown>[];
  const keyColumn = async () =>
    (
      (await migrations.query(
        `SELECT CHARACTER_MAXIMUM_LENGTH AS length, IS_NULLABLE AS nullable FROM information_schema.COLUMNS
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'credit_transfer' AND COLUMN_NAME = 'idempotencyKey'`,
      )) as { length: unknown; nullable: string }[]
    ).map((column) => ({ length: Number(column.length), nullable: column.nullable }));

  it('keeps every transfer and its key, widens the key, adds the batch tables, and batches work on after it', async () => {
    expect(await keyColumn()).toEqual([{ length: 100, nullable: 'NO' }]);

    // The previous schema, populated by the app itself (migrations off: it must not upgrade the schema).
    const before = await startTestServer({ database, env: { DATABASE_RUN_MIGRATIONS: 'false' } });
    const { customerId, ownerToken } = await partnerWithCustomer(before, credits(100));
    const keys = [newKey(), newKey(), 'k'.repeat(100)];
    const answers = [];
    for (const [index, idempotencyKey] of keys.entries()) {
      answers.push(await before.ok(TRANSFER, { input: { customerAccountId: customerId, amount: `${index + 1}.5`, idempotencyKey } }, ownerToken));
    }
    await before.stop();
    const rowsBefore = await transferRows();
    expect(rowsBefore).toHaveLength(3);

    expect(await upgrade()).toEqual(['TransferBatches1796340000000']);
    expect(await keyColumn()).toEqual([{ length: 120, nullable: 'NO' }]);
    expect(await transferRows()).toEqual(rowsBefore);

    const after = await startTestServer({ database, env: { DATABASE_RUN_MIGRATIONS: 'true' } });
    try {
      // Keys stored before the migration still find their first answer.
      for (const [index, idempotencyKey] of keys.entries()) {
        const replay = await after.ok(TRANSFER, { input: { customerAccountId: customerId, amount: `${index + 1}.5`, idempotencyKey } }, ownerToken);
        expect(replay).toEqual(answers[index]);
      }
      // A batch under the longest key: its transfers' keys (`<key>/<row>`) need the wider column.
      const input = {
        idempotencyKey: 'b'.repeat(100),
        mode: 'EACH_ON_ITS_OWN',
        rows: Array.from({ length: 12 }, () => ({ customerAccountId: customerId, amount: '1' })),
      };
      const { transferCreditsBatch } = await after.ok(TRANSFER_BATCH, { input }, ownerToken);
      expect(transferCreditsBatch.totals).toMatchObject({ okCount: 12, refusedCount: 0 });
      expect((await after.ok(TRANSFER_BATCH, { input }, ownerToken)).transferCreditsBatch).toEqual(transferCreditsBatch);
      const [{ longest }] = (await migrations.query('SELECT MAX(CHAR_LENGTH(idempotencyKey)) AS longest FROM credit_transfer')) as { longest: unknown }[];
      expect(Number(longest)).toBe(103);
      expect(await after.audit()).toEqual([]);
    } finally {
      await after.stop();
    }
  }, 120_000);
});
