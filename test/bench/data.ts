import { encodeCursor } from '../../src/balances/history/credit-history.service';
import { AccountMovementEntity } from '../../src/balances/history/entities/account-movement.entity';
import { TopUpEntity } from '../../src/payments/top-ups/entities/top-up.entity';
import { rebuildDailyRollup, rebuildHourlyRollup } from '../../src/reports/rollup-backfill';
import type { TestServer } from '../support/harness';

const HISTORY_TYPES = ['TOP_UP', 'USAGE', 'TRANSFER_IN', 'PROMOTIONAL_GRANT'];
const BATCH_ROWS = 50_000;
const YEAR_SECONDS = 365 * 24 * 3600;

/**
 * Generators for the read benchmarks: rows go straight into account_movement (and the reports'
 * hourly rollup) with one INSERT … SELECT per 50,000 rows over a number sequence, because posting
 * millions through the ledger would take hours. Only the read paths are measured on this data,
 * and it is never audited (no ledger entries stand behind it).
 */
async function insertMovements(
  server: TestServer,
  options: { accountIds: string[]; rows: number; startId: number; secondsPerRow: number; from: string; types: string[] },
): Promise<void> {
  const { accountIds, rows, startId, types } = options;
  const accountExpr = `CASE (n % ${accountIds.length}) ${accountIds.map((id, index) => `WHEN ${index} THEN '${id}'`).join(' ')} END`;
  const typeExpr = `CASE (n % ${types.length}) ${types.map((type, index) => `WHEN ${index} THEN '${type}'`).join(' ')} END`;
  // Every movement adds one credit to the top-up wallet, so each account's balance after is its
  // running count: the summary report's reconciliation (opening + in - out = closing) holds.
  const balanceAfter = `(FLOOR((n - ${startId}) / ${accountIds.length}) + 1) * 1000000`;
  const columns = 'accountId, transactionId, type, amountMicros, topUpBalanceAfterMicros, promotionalBalanceAfterMicros, occurredAt';
  for (let offset = 0; offset < rows; offset += BATCH_ROWS) {
    const first = startId + offset;
    const last = first + Math.min(BATCH_ROWS, rows - offset) - 1;
    if (server.services.runner.dialect === 'mysql') {
      await server.services.dataSource.query(
        `INSERT INTO account_movement (${columns})
         SELECT ${accountExpr}, n, ${typeExpr}, 1000000, ${balanceAfter}, 0, TIMESTAMPADD(MICROSECOND, FLOOR((n - ${startId}) * ${options.secondsPerRow * 1e6}), '${options.from}')
         FROM (SELECT seq AS n FROM seq_${first}_to_${last}) numbers`,
      );
    } else {
      await server.services.runner.transaction((manager) =>
        manager.query(
          `WITH RECURSIVE numbers(n) AS (SELECT ${first} UNION ALL SELECT n + 1 FROM numbers WHERE n < ${last})
           INSERT INTO account_movement (${columns})
           SELECT ${accountExpr}, n, ${typeExpr}, 1000000, ${balanceAfter.replace('FLOOR', '')}, 0, strftime('%Y-%m-%d %H:%M:%f', '${options.from}', '+' || ((n - ${startId}) * ${options.secondsPerRow}) || ' seconds')
           FROM numbers`,
        ),
      );
    }
  }
}

/** `rows` movements over `accountIds`, three seconds apart from 2025-01-01 (the credit-history benchmark). */
export async function appendMovements(server: TestServer, options: { accountIds: string[]; rows: number; startId: number }): Promise<void> {
  await insertMovements(server, { ...options, secondsPerRow: 3, from: '2025-01-01 00:00:00', types: HISTORY_TYPES });
}

/**
 * `rows` movements spread evenly over the year from `from` across `accountIds`, and the rollup
 * (hours, then days) rebuilt from them the way the backfills do it (the summary-report benchmark).
 */
export async function appendSummaryActivity(server: TestServer, options: { accountIds: string[]; rows: number; startId: number; from: string }): Promise<void> {
  await insertMovements(server, { ...options, secondsPerRow: YEAR_SECONDS / options.rows, from: options.from, types: ['TOP_UP', 'TRANSFER_IN'] });
  const dialect = server.services.runner.dialect;
  await server.services.runner.transaction(async (manager) => {
    await rebuildHourlyRollup(manager, dialect, options.accountIds);
    await rebuildDailyRollup(manager, dialect, options.accountIds);
  });
}

/** The cursor of the movement `depth` places back from an account's newest (what a client paging that far would hold). */
export async function historyCursorAt(server: TestServer, accountId: string, depth: number): Promise<string> {
  const [movement] = await server.services.dataSource.getRepository(AccountMovementEntity).find({
    where: { accountId },
    order: { occurredAt: 'DESC', id: 'DESC' },
    skip: Math.floor(depth),
    take: 1,
  });
  if (!movement) throw new Error(`account ${accountId} has fewer than ${depth} movements`);
  return encodeCursor(movement);
}

/**
 * `rows` copies of one paid top-up (ids `late-000000001` on, their own idempotency keys), written
 * without receipts, as a database of a release before receipts holds them (the late-receipts
 * benchmark). Only the start-up pass that issues their receipts runs on them: no ledger entries
 * stand behind the copies, and the database is never audited.
 */
export async function copyPaidTopUp(server: TestServer, options: { topUpId: string; rows: number }): Promise<void> {
  const mysql = server.services.runner.dialect === 'mysql';
  const columns = server.services.dataSource.getMetadata(TopUpEntity).columns.map((column) => column.databaseName);
  const padded = mysql ? `LPAD(n, 9, '0')` : `substr('000000000' || n, -9)`;
  const values = columns.map((column) =>
    column === 'id'
      ? mysql
        ? `CONCAT('late-', ${padded})`
        : `'late-' || ${padded}`
      : column === 'idempotencyKey'
        ? mysql
          ? `CONCAT('late-', n)`
          : `'late-' || n`
        : `top_up.${column}`,
  );
  for (let first = 1; first <= options.rows; first += BATCH_ROWS) {
    const last = Math.min(first + BATCH_ROWS - 1, options.rows);
    const numbers = mysql ? `(SELECT seq AS n FROM seq_${first}_to_${last}) numbers` : 'numbers';
    const insert = `INSERT INTO top_up (${columns.join(', ')}) SELECT ${values.join(', ')} FROM top_up, ${numbers} WHERE top_up.id = ?`;
    await server.services.runner.transaction((manager) =>
      manager.query(mysql ? insert : `WITH RECURSIVE numbers(n) AS (SELECT ${first} UNION ALL SELECT n + 1 FROM numbers WHERE n < ${last}) ${insert}`, [
        options.topUpId,
      ]),
    );
  }
}
