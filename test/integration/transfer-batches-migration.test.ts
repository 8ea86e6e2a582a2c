import { readdirSync } from 'fs';
import path from 'path';
import { DataSource } from 'typeorm';
import { MIGRATIONS_GLOB } from '../../src/database/data-source';
import { newKey } from '../support/fixtures';
import { createTestDatabase, startTestServer, TestDatabaseHandle } from '../support/harness';
import { credits, partnerWithCustomer, TRANSFER, TRANSFER_BATCH } from '../support/partners';

/** Every migration file but TransferBatches: the schema the app ran on before bulk transfers. */
const MIGRATIONS_DIR = path.join(__dirname, '..', '..', 'migrations');
const MIGRATIONS_BEFORE = readdirSync(MIGRATIONS_DIR)
  .filter((file) => /\.(ts|js)$/.test(file) && !file.includes('-TransferBatches.'))
  .map((file) => path.join(MIGRATIONS_DIR, file));

/** MariaDB only (jest.config.js): SQLite's schema comes from the entities, it has no migrations. */
describe('TransferBatches migration on a populated MariaDB database', () => {
  let database: TestDatabaseHandle;
  let migrations: DataSource;
  beforeAll(async () => {
    database = await createTestDatabase();
    migrations = new DataSource({
      type: 'mariadb',
      url: database.env.DATABASE_URL,
      migrationsTableName: 'schema_migrations',
      supportBigNumbers: true,
      bigNumberStrings: true,
      timezone: 'Z',
      migrations: MIGRATIONS_BEFORE,
    });
    await migrations.initialize();
    await migrations.runMigrations({ transaction: 'each' });
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

    const upgrade = new DataSource({ ...migrations.options, migrations: [MIGRATIONS_GLOB] } as ConstructorParameters<typeof DataSource>[0]);
    await upgrade.initialize();
    const applied = await upgrade.runMigrations({ transaction: 'each' });
    await upgrade.destroy();
    expect(applied.map((migration) => migration.name)).toEqual(['TransferBatches1796340000000']);
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
