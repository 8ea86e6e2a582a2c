import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

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
