import type { EntityManager } from 'typeorm';
import type { TransactionRunner } from '../database/transaction-runner';
import { BucketDialect, bucketDaySql, bucketHourSql } from './buckets';
import { UNKNOWN_SERVICE } from './rollup-writer';

/**
 * An embedded SQLite file written before the rollup existed has credit history but an empty
 * `account_activity_hour` (TypeORM's synchronize creates the table, nothing fills it), and its
 * summary reports would not reconcile; one written before the daily tier has hours but no days.
 * At start-up, rebuilds the hourly rollup from the history when it is empty and the daily tier from
 * the hours when it is empty; MySQL does the same in its migrations. Usage from before the rollup
 * has no service name and is reported as `unknown`.
 */
export async function backfillEmbeddedRollup(runner: TransactionRunner): Promise<void> {
  if (runner.dialect !== 'sqlite') return;
  await runner.transaction(async (manager) => {
    if (await isEmpty(manager, 'account_activity_hour')) await rebuildHourlyRollup(manager, 'sqlite');
    if (await isEmpty(manager, 'account_activity_day')) await rebuildDailyRollup(manager, 'sqlite');
  });
}

async function isEmpty(manager: EntityManager, table: 'account_activity_hour' | 'account_activity_day'): Promise<boolean> {
  const [existing] = await manager.query(`SELECT EXISTS (SELECT 1 FROM ${table}) AS filled`);
  return Number(existing.filled) !== 1;
}

/** `IN (…)` over the given accounts, or nothing: the benchmark's generator rebuilds only its own accounts. */
function accountFilter(accountIds: readonly string[] | undefined): { where: string; parameters: string[] } {
  if (!accountIds) return { where: '', parameters: [] };
  return { where: `WHERE accountId IN (${accountIds.map(() => '?').join(', ')})`, parameters: [...accountIds] };
}

/** Adds every movement of `account_movement` (of the given accounts) to the hourly rollup, per the bucket rule. */
export async function rebuildHourlyRollup(manager: EntityManager, dialect: BucketDialect, accountIds?: readonly string[]): Promise<void> {
  const { where, parameters } = accountFilter(accountIds);
  await manager.query(
    `INSERT INTO account_activity_hour (accountId, movementType, bucketHour, service, amountMicros, movementCount)
     SELECT accountId, type, ${bucketHourSql(dialect, 'occurredAt')}, CASE WHEN type = 'USAGE' THEN '${UNKNOWN_SERVICE}' ELSE '' END, SUM(amountMicros), COUNT(*)
     FROM account_movement ${where}
     GROUP BY 1, 2, 3, 4`,
    parameters,
  );
}

/** Adds the hourly rollup (of the given accounts) to the daily tier, each hour to its day per the bucket rule. */
export async function rebuildDailyRollup(manager: EntityManager, dialect: BucketDialect, accountIds?: readonly string[]): Promise<void> {
  const { where, parameters } = accountFilter(accountIds);
  await manager.query(
    `INSERT INTO account_activity_day (accountId, movementType, bucketDay, service, amountMicros, movementCount)
     SELECT accountId, movementType, ${bucketDaySql(dialect, 'bucketHour')}, service, SUM(amountMicros), SUM(movementCount)
     FROM account_activity_hour ${where}
     GROUP BY 1, 2, 3, 4`,
    parameters,
  );
}
