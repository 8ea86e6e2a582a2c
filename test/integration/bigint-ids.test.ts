import { DataSource, getMetadataArgsStorage } from 'typeorm';
import { ENTITIES } from '../../src/server/modules';
import { GRANT, newKey } from '../support/fixtures';
import { allMovements, isNewestFirst } from '../support/foundation';
import { startTestServer, TEST_DATABASE, TestDatabaseHandle, TestServer } from '../support/harness';
import { databaseBefore } from '../support/migrations';
import { credits, partnerWithCustomer, RECORD_USAGE, TRANSFER, usageEvent } from '../support/partners';
import { collect, connect, untilFirstEvent } from '../support/subscriptions';
import { createBuyer, createTopUp, waitForStatus } from '../support/top-ups';

/** Every table whose id is generated, and the columns that hold such ids. */
const ID_TABLES: Record<string, string[]> = {
  wallet: [],
  ledger_transaction: [],
  ledger_entry: ['transactionId', 'walletId'],
  account_movement: ['transactionId'],
  promotional_grant: ['transactionId'],
  credit_transfer: ['transactionId'],
  credit_reclaim: ['transactionId'],
  usage_event: ['transactionId'],
  outbox_event: [],
  payment_event: [],
  balance_threshold: [],
  balance_threshold_crossing: ['sourceEventId'],
  webhook_delivery: ['eventId'],
  webhook_delivery_attempt: ['deliveryId'],
  auto_transfer_rule: [],
  auto_transfer_firing: ['ruleId', 'sourceEventId'],
  saved_payment_method: [],
  auto_recharge_attempt: ['sourceEventId', 'paymentMethodId'],
  transfer_batch: [],
  audit_log: [],
  receipt: [],
  credit_note: ['receiptId'],
  debit_note: ['creditNoteId', 'receiptId'],
  credit_correction: [],
};
/** The tables the BigintIds migration converts; the later tables were created with BIGINT ids. */
const MIGRATED_TABLES = [
  'wallet',
  'ledger_transaction',
  'ledger_entry',
  'account_movement',
  'promotional_grant',
  'credit_transfer',
  'usage_event',
  'outbox_event',
  'payment_event',
];
const INT_MAX = 2 ** 31 - 1;
const HIGH_ID = 2 ** 31 + 1_000;

const BALANCE_CHANGED = /* GraphQL */ `
  subscription BalanceChanged($accountId: ID!) {
    balanceChanged(accountId: $accountId) {
      eventId
      accountId
      movementType
      amount
    }
  }
`;

/** All rows of every id table, ordered by id, with each value as text (INT and BIGINT read back differently). */
async function snapshotRows(dataSource: DataSource): Promise<Record<string, string[][]>> {
  const snapshot: Record<string, string[][]> = {};
  for (const table of MIGRATED_TABLES) {
    const rows = (await dataSource.query(`SELECT * FROM ${table} ORDER BY id`)) as Record<string, unknown>[];
    snapshot[table] = rows.map((row) =>
      Object.keys(row)
        .sort()
        .map((column) => asText(row[column])),
    );
  }
  return snapshot;
}

const asText = (value: unknown) => (value instanceof Date ? value.toISOString() : value === null ? 'NULL' : String(value));

/** Money traffic through the real API (and one paid Stripe top-up), so every id table has rows. */
async function postTraffic(server: TestServer) {
  const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(1_000));
  const transfers: string[] = [];
  for (let index = 0; index < 5; index++) {
    const { transferCredits } = await server.ok(
      TRANSFER,
      { input: { customerAccountId: customerId, amount: `${10 + index}.5`, idempotencyKey: newKey() } },
      ownerToken,
    );
    transfers.push(transferCredits.transfer.id);
  }
  const { grantPromotionalCredits } = await server.ok(
    GRANT,
    { input: { accountId: customerId, amount: '7', reason: 'bigint ids', idempotencyKey: newKey() } },
    await server.adminToken(),
  );
  const usage = await server.ok(RECORD_USAGE, { events: [usageEvent(customerId, '3.25')] }, await server.meteringToken());
  expect(usage.recordUsage.appliedCount).toBe(1);
  const buyer = await createBuyer(server);
  const topUp = await createTopUp(server, buyer, { method: 'STRIPE' });
  await server.standIns.stripe.succeed(topUp.providerReference);
  await waitForStatus(server, buyer, topUp.id, 'SUCCEEDED');
  await server.services.outbox.drain();
  return { partnerId, customerId, ownerToken, transfers, grantId: grantPromotionalCredits.grant.id as string };
}

/** Moves every id sequence above 2^31, as on a database that has run for a while at high traffic. */
async function raiseIdSequences(server: TestServer): Promise<void> {
  const dataSource = server.services.dataSource;
  for (const table of Object.keys(ID_TABLES)) {
    if (TEST_DATABASE === 'mariadb') {
      await dataSource.query(`ALTER TABLE ${table} AUTO_INCREMENT = ${HIGH_ID}`);
    } else {
      // SQLite's AUTOINCREMENT continues from sqlite_sequence (a row exists once the table had one).
      await server.services.runner.transaction(async (manager) => {
        await manager.query(`DELETE FROM sqlite_sequence WHERE name = ?`, [table]);
        await manager.query(`INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)`, [table, HIGH_ID - 1]);
      });
    }
  }
}

/**
 * With every sequence above 2^31: new accounts (wallets), a transfer, a grant drawn by usage, the
 * credit history paged by cursor, and balance notifications through the outbox, all with ids
 * that do not fit an INT, and the ledger still balanced.
 */
async function expectHighIdsWorkEndToEnd(server: TestServer) {
  await raiseIdSequences(server);
  const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(500));
  const subscription = collect<any>(
    connect(server.websocketUrl, await server.userToken(customerId)),
    BALANCE_CHANGED,
    { accountId: customerId },
    { currentStateFirst: true },
  );
  const transferIds: string[] = [];
  try {
    await untilFirstEvent(subscription, async () => {
      const { transferCredits } = await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '1.25', idempotencyKey: newKey() } }, ownerToken);
      transferIds.push(transferCredits.transfer.id);
    });
    expect(transferIds.every((id) => Number(id) >= HIGH_ID)).toBe(true);
    expect(Number(subscription.events[0].balanceChanged.eventId)).toBeGreaterThan(INT_MAX);
  } finally {
    await subscription.close();
  }
  const { transferCredits } = await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '3', idempotencyKey: newKey() } }, ownerToken);
  expect(Number(transferCredits.transfer.id)).toBeGreaterThan(Number(transferIds[transferIds.length - 1]));
  const { grantPromotionalCredits } = await server.ok(
    GRANT,
    { input: { accountId: customerId, amount: '2', reason: 'high ids', idempotencyKey: newKey() } },
    await server.adminToken(),
  );
  expect(Number(grantPromotionalCredits.grant.id)).toBeGreaterThan(INT_MAX);
  const usage = await server.ok(RECORD_USAGE, { events: [usageEvent(customerId, '2.5')] }, await server.meteringToken());
  expect(usage.recordUsage.results[0]).toMatchObject({ status: 'APPLIED', promotionalAmount: '2.000000', topUpAmount: '0.500000' });

  const entries = (await server.services.dataSource.query(
    `SELECT e.id, e.transactionId, e.walletId FROM ledger_entry e JOIN wallet w ON w.id = e.walletId WHERE w.accountId = ?`,
    [customerId],
  )) as { id: unknown; transactionId: unknown; walletId: unknown }[];
  expect(entries.length).toBeGreaterThan(0);
  for (const entry of entries) for (const value of Object.values(entry)) expect(Number(value)).toBeGreaterThan(INT_MAX);

  // One movement per page: every page boundary is a cursor carrying an id above 2^31.
  const movements = await allMovements(server, customerId, { first: 1 });
  expect(movements).toHaveLength(transferIds.length + 3); // the transfers, the grant and the usage
  expect(movements.every((movement) => Number(movement.id) > INT_MAX)).toBe(true);
  expect(new Set(movements.map((movement) => movement.id)).size).toBe(movements.length);
  expect(isNewestFirst(movements)).toBe(true);
  expect((await allMovements(server, partnerId, { first: 2 })).length).toBeGreaterThanOrEqual(2);

  await server.services.outbox.drain();
  const pending = (await server.services.dataSource.query(`SELECT COUNT(*) AS count FROM outbox_event WHERE publishedAt IS NULL`)) as { count: unknown }[];
  expect(Number(pending[0].count)).toBe(0);
  expect(await server.audit()).toEqual([]);
}

const describeOnMariaDb = TEST_DATABASE === 'mariadb' ? describe : describe.skip;
const describeOnSqlite = TEST_DATABASE === 'sqlite' ? describe : describe.skip;

describeOnMariaDb('BIGINT ids migration on a populated MariaDB database', () => {
  let database: TestDatabaseHandle;
  let migrations: DataSource;
  let upgrade: () => Promise<string[]>;
  beforeAll(async () => {
    // Every migration but BigintIds: the schema the app ran on before ids became BIGINT, plus the
    // later migrations (which add columns the app needs and create tables with BIGINT ids already).
    ({ database, migrations, upgrade } = await databaseBefore('BigintIds'));
  });
  afterAll(async () => {
    await migrations?.destroy();
    await database?.drop();
  });

  const columnTypes = async () =>
    (await migrations.query(
      `SELECT TABLE_NAME AS tableName, COLUMN_NAME AS columnName, DATA_TYPE AS dataType FROM information_schema.COLUMNS
       WHERE TABLE_SCHEMA = DATABASE() AND (COLUMN_NAME = 'id' OR COLUMN_NAME IN ('transactionId', 'walletId')) AND TABLE_NAME IN (?)
       ORDER BY TABLE_NAME, COLUMN_NAME`,
      [MIGRATED_TABLES],
    )) as { tableName: string; columnName: string; dataType: string }[];

  it('keeps every row, the id counters and the indexes, turns every id column into BIGINT, and the app works on after it', async () => {
    expect(new Set((await columnTypes()).map((column) => column.dataType))).toEqual(new Set(['int']));

    // The previous schema, populated by the app itself (migrations off: it must not upgrade the schema).
    const before = await startTestServer({ database, env: { DATABASE_RUN_MIGRATIONS: 'false' } });
    const traffic = await postTraffic(before);
    const historyBefore = await allMovements(before, traffic.customerId, { first: 2 });
    await before.stop();
    const rowsBefore = await snapshotRows(migrations);
    for (const table of MIGRATED_TABLES) expect(rowsBefore[table].length).toBeGreaterThan(0);
    const counters = await autoIncrements();

    // The new migration, as `npm run migrate` runs it: only what is pending.
    expect(await upgrade()).toEqual(['BigintIds1796300000000']);

    const types = await columnTypes();
    expect(types).toHaveLength(MIGRATED_TABLES.reduce((count, table) => count + 1 + ID_TABLES[table].length, 0));
    expect(types.filter((column) => column.dataType !== 'bigint')).toEqual([]);
    expect(await snapshotRows(migrations)).toEqual(rowsBefore);
    expect(await autoIncrements()).toEqual(counters);

    const after = await startTestServer({ database, env: { DATABASE_RUN_MIGRATIONS: 'true' } });
    try {
      expect(await after.audit()).toEqual([]);
      expect(await allMovements(after, traffic.customerId, { first: 2 })).toEqual(historyBefore);
      // A replayed transfer key still finds its first answer across the migration.
      const replay = await after.ok(TRANSFER, { input: { customerAccountId: traffic.customerId, amount: '1', idempotencyKey: newKey() } }, traffic.ownerToken);
      expect(Number(replay.transferCredits.transfer.id)).toBeGreaterThan(Math.max(...traffic.transfers.map(Number)));
      await expectHighIdsWorkEndToEnd(after);
    } finally {
      await after.stop();
    }
  }, 120_000);

  async function autoIncrements(): Promise<Record<string, string>> {
    const rows = (await migrations.query(
      `SELECT TABLE_NAME AS tableName, AUTO_INCREMENT AS next FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?)`,
      [MIGRATED_TABLES],
    )) as { tableName: string; next: unknown }[];
    return Object.fromEntries(rows.map((row) => [row.tableName, String(row.next)]));
  }
});

/**
 * SQLite has no migrations (its schema comes from the entities), and its INTEGER PRIMARY KEY is
 * already the 64-bit rowid; what can break there is the per-dialect declaration (AUTOINCREMENT
 * needs INTEGER, not BIGINT) and code that handles ids above 2^31. Both are checked here.
 */
describeOnSqlite('BIGINT ids on the embedded SQLite database', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await postTraffic(server);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('declares every generated id as INTEGER PRIMARY KEY AUTOINCREMENT and every id reference as a 64-bit integer column', async () => {
    for (const [table, references] of Object.entries(ID_TABLES)) {
      const [{ sql }] = (await server.services.dataSource.query(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, [table])) as {
        sql: string;
      }[];
      expect(sql).toContain('"id" integer PRIMARY KEY AUTOINCREMENT NOT NULL');
      for (const column of references) expect(sql).toContain(`"${column}" bigint NOT NULL`);
    }
  });

  it('works end to end with ids above 2^31', async () => {
    await expectHighIdsWorkEndToEnd(server);
  }, 60_000);
});

describe('the id column declarations', () => {
  it('are the same for every generated id: BIGINT with an exact-number transformer', () => {
    // An entity's columns may be declared on a base class it extends (credit_transfer and
    // credit_reclaim share PartnerCustomerRecord): its generations are those of its whole chain.
    const storage = getMetadataArgsStorage();
    const declaresFor = (entity: (typeof ENTITIES)[number], target: unknown) =>
      entity === target || (typeof target === 'function' && entity.prototype instanceof target);
    const generated = ENTITIES.flatMap((entity) =>
      storage.generations.filter((generation) => declaresFor(entity, generation.target)).map((generation) => ({ entity, generation })),
    );
    const tables = generated.map(({ entity }) => storage.tables.find((table) => table.target === entity)!.name).sort();
    expect(tables).toEqual(Object.keys(ID_TABLES).sort());
    for (const { generation } of generated) {
      const column = getMetadataArgsStorage().columns.find(
        (candidate) => candidate.target === generation.target && candidate.propertyName === generation.propertyName,
      )!;
      expect(column.options.type).toBe('bigint');
      const transformer = column.options.transformer as { from(value: unknown): unknown };
      expect(transformer.from(String(HIGH_ID))).toBe(HIGH_ID);
      expect(() => transformer.from('9007199254740993')).toThrow(RangeError);
    }
  });
});
