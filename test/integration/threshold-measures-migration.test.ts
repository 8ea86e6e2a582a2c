import { ThresholdMeasures1797100000000 } from '../../migrations/1797100000000-ThresholdMeasures';
import { SET_CREDIT_LIMIT } from '../support/corrections';
import { newKey } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';
import { credits, fundTopUp, partnerWithCustomer, RECORD_USAGE, TRANSFER, usageEvent } from '../support/partners';

const SET = /* GraphQL */ `
  mutation Set($accountId: ID!, $thresholds: [Credits!]!, $measure: BalanceMeasure!) {
    setBalanceThresholds(accountId: $accountId, thresholds: $thresholds, measure: $measure)
  }
`;

/** MariaDB only (jest.config.js): SQLite's schema comes from the entities, it has no migrations. */
describe('ThresholdMeasures migration on a populated MariaDB database', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const settled = async () => {
    await server.services.outbox.drain();
    await new Promise((resolve) => setTimeout(resolve, 200));
  };
  const rows = async (table: string, accountId: string) =>
    (await server.services.dataSource.query(`SELECT * FROM ${table} WHERE accountId = ? ORDER BY id`, [accountId])) as Record<string, unknown>[];
  const without = (records: Record<string, unknown>[], column: string) => records.map(({ [column]: _dropped, ...rest }) => rest);

  it('keeps every threshold and crossing as a total-balance one, and available-credit thresholds work after it', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(100));
    await fundTopUp(server, customerId, credits(30));
    await server.ok(SET, { accountId: partnerId, thresholds: ['90', '50'], measure: 'TOTAL' }, ownerToken);
    await server.ok(SET, { accountId: customerId, thresholds: ['10'], measure: 'TOTAL' }, ownerToken);
    await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '20', idempotencyKey: newKey() } }, ownerToken); // partner 100 → 80
    await server.ok(RECORD_USAGE, { events: [usageEvent(customerId, '45')] }, await server.meteringToken()); // customer 50 → 5
    await settled();
    const before = { thresholds: [...(await rows('balance_threshold', partnerId)), ...(await rows('balance_threshold', customerId))] };
    const crossings = [...(await rows('balance_threshold_crossing', partnerId)), ...(await rows('balance_threshold_crossing', customerId))];
    expect(crossings).toHaveLength(2);

    const migration = new ThresholdMeasures1797100000000();
    const queryRunner = server.services.dataSource.createQueryRunner();
    try {
      // The schema of the previous release, populated: no measure anywhere.
      await migration.down(queryRunner);
      const measureColumns = () =>
        server.services.dataSource.query(
          `SELECT TABLE_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = 'measure' AND TABLE_NAME LIKE 'balance_threshold%' ORDER BY TABLE_NAME`,
        );
      expect(await measureColumns()).toEqual([]);
      expect([...(await rows('balance_threshold', partnerId)), ...(await rows('balance_threshold', customerId))]).toEqual(
        without(before.thresholds, 'measure'),
      );
      await migration.up(queryRunner);
      expect(await measureColumns()).toEqual([{ name: 'balance_threshold' }, { name: 'balance_threshold_crossing' }]);
    } finally {
      await queryRunner.release();
    }
    expect([...(await rows('balance_threshold', partnerId)), ...(await rows('balance_threshold', customerId))]).toEqual(before.thresholds);
    expect([...(await rows('balance_threshold_crossing', partnerId)), ...(await rows('balance_threshold_crossing', customerId))]).toEqual(crossings);
    expect(new Set([...before.thresholds, ...crossings].map((row) => row.measure))).toEqual(new Set(['TOTAL']));

    // After it: the same amount on the other measure, crossed by a transfer drawing on a credit limit.
    await server.ok(SET_CREDIT_LIMIT, { input: { partnerAccountId: partnerId, limit: '50', reason: 'after the migration' } }, await server.adminToken());
    await server.ok(SET, { accountId: partnerId, thresholds: ['50'], measure: 'AVAILABLE_TO_TRANSFER' }, ownerToken);
    await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '90', idempotencyKey: newKey() } }, ownerToken); // available 130 → 40
    await settled();
    const after = await rows('balance_threshold_crossing', partnerId);
    expect(after.map((row) => [row.measure, row.thresholdMicros, row.totalBeforeMicros, row.totalAfterMicros])).toEqual([
      ['TOTAL', String(credits(90)), String(credits(100)), String(credits(80))],
      ['TOTAL', String(credits(50)), String(credits(80)), String(credits(-10))],
      ['AVAILABLE_TO_TRANSFER', String(credits(50)), String(credits(130)), String(credits(40))],
    ]);
    expect(await server.audit()).toEqual([]);
  });
});
