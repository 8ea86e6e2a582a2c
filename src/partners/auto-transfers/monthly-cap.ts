import { EntityManager, In, MoreThanOrEqual } from 'typeorm';
import { monthStartUtc } from '../../common/clock';
import { AutoTransferFiringStatus } from './auto-transfer.enums';
import { AutoTransferFiringEntity } from './entities/auto-transfer-firing.entity';

/**
 * What each rule has transferred, or is transferring, in the calendar month (UTC) of `at`: the
 * amounts of its SUCCEEDED and TRANSFERRING firings decided since the month began. One statement.
 */
export async function monthSpentMicros(manager: EntityManager, ruleIds: number[], at: Date): Promise<Map<number, bigint>> {
  const spent = new Map<number, bigint>(ruleIds.map((ruleId) => [ruleId, 0n]));
  if (ruleIds.length === 0) return spent;
  const rows = await manager
    .createQueryBuilder(AutoTransferFiringEntity, 'firing')
    .select('firing.ruleId', 'ruleId')
    .addSelect('SUM(firing.amountMicros)', 'spentMicros')
    .where({
      ruleId: In(ruleIds),
      status: In([AutoTransferFiringStatus.SUCCEEDED, AutoTransferFiringStatus.TRANSFERRING]),
      decidedAt: MoreThanOrEqual(monthStartUtc(at)),
    })
    .groupBy('firing.ruleId')
    .getRawMany<{ ruleId: string | number; spentMicros: string | number | null }>();
  // Raw SUM is a DECIMAL string on MariaDB and an integer on SQLite (exact: amounts stay far inside 2^53).
  for (const row of rows) spent.set(Number(row.ruleId), BigInt(String(row.spentMicros ?? 0)));
  return spent;
}
