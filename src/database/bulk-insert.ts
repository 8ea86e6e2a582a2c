import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { isUniqueViolation } from './transaction-runner';

/**
 * Rows of one entity in one multi-row INSERT (column transformers applied), without reading
 * generated values back: callers that need ids read them by a unique key of their own, so nothing
 * assumes that a multi-row insert gets consecutive auto-increment ids.
 */
export async function insertRows<Entity extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Entity>,
  rows: QueryDeepPartialEntity<Entity>[],
): Promise<void> {
  if (rows.length === 0) return;
  await manager.createQueryBuilder().insert().into(target).values(rows).updateEntity(false).execute();
}

/**
 * Inserts the rows whose unique key is not stored yet: for outbox consumers, which may see an event
 * again (after a crash) or at the same moment as another process (a lease that lapsed while its
 * holder was still at work). `storedKeys` reads the keys already there among `rows`; the unique
 * index is the guarantee, and this read only keeps a replay from tripping it. When another
 * transaction inserts some of the same keys first, our insert waits on them and fails; their rows
 * are committed by then, so reading again and inserting what is still missing succeeds. Returns how
 * many rows this call wrote.
 */
export async function insertMissingRows<Row extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<Row>,
  rows: Row[],
  keys: { keyOf: (row: Row) => string; storedKeys: () => Promise<Set<string>> },
): Promise<number> {
  const missing = async () => {
    const stored = await keys.storedKeys();
    return rows.filter((row) => !stored.has(keys.keyOf(row)));
  };
  let fresh = await missing();
  if (fresh.length === 0) return 0;
  try {
    await manager.insert(target, fresh);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    fresh = await missing();
    if (fresh.length === 0) return 0;
    await manager.insert(target, fresh);
  }
  return fresh.length;
}
