import type { TransactionRunner } from '../database/transaction-runner';

/**
 * An embedded SQLite file written before the rollup existed has credit history but an empty
 * `account_activity_hour` (TypeORM's synchronize creates the table, nothing fills it), and its
 * summary reports would not reconcile. Rebuilds the rollup from the history once, at start-up,
 * when the table is empty and history exists; MySQL does the same in its migration. Usage from
 * before has no service name and is reported as `unknown`.
 */
export async function backfillEmbeddedRollup(runner: TransactionRunner): Promise<void> {
  if (runner.dialect !== 'sqlite') return;
  await runner.transaction(async (manager) => {
    const [existing] = await manager.query('SELECT EXISTS (SELECT 1 FROM account_activity_hour) AS filled');
    if (Number(existing.filled) === 1) return;
    await manager.query(`
      INSERT INTO account_activity_hour (accountId, movementType, bucketHour, service, amountMicros, movementCount)
      SELECT accountId, type, CAST(strftime('%s', occurredAt) AS INTEGER) / 3600,
             CASE WHEN type = 'USAGE' THEN 'unknown' ELSE '' END, SUM(amountMicros), COUNT(*)
      FROM account_movement
      GROUP BY 1, 2, 3, 4`);
  });
}
