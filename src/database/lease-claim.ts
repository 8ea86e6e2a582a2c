import { EntityManager, EntityTarget, FindOptionsOrder, FindOptionsWhere, In, LessThanOrEqual, LessThan, IsNull, ObjectLiteral } from 'typeorm';

/** A row a worker claims: a lease says who works on it, until when. */
export interface LeasedRow extends ObjectLiteral {
  id: number;
  leaseOwner: string | null;
  leaseUntil: Date | null;
}

/** A claimable row that is due from `nextAttemptAt` in its `status` (deliveries, charges). */
export interface DueRow extends LeasedRow {
  status: string;
  nextAttemptAt: Date | null;
}

/**
 * Claims up to `take` rows matching `where` that are not leased (or whose lease lapsed), in `order`,
 * for `owner` until `leaseUntil`, and returns the ones this claim won. The conditional update is the
 * claim: of several processes, only one wins each row. Call it in a transaction.
 */
export async function claimLeasedRows<Row extends LeasedRow>(
  manager: EntityManager,
  entity: EntityTarget<Row>,
  claim: { where: FindOptionsWhere<Row>; order: FindOptionsOrder<Row>; owner: string; leaseUntil: Date; now: Date; take: number },
): Promise<Row[]> {
  const candidates = await manager.find(entity, {
    select: { id: true } as never,
    where: [
      { ...claim.where, leaseUntil: IsNull() },
      { ...claim.where, leaseUntil: LessThan(claim.now) },
    ],
    order: claim.order,
    take: claim.take,
  });
  if (candidates.length === 0) return [];
  const ids = candidates.map((row) => row.id);
  await manager
    .createQueryBuilder()
    .update(entity)
    .set({ leaseOwner: claim.owner, leaseUntil: claim.leaseUntil } as never)
    .where({ ...claim.where, id: In(ids) })
    .andWhere('(leaseUntil IS NULL OR leaseUntil < :now)', { now: claim.now })
    .execute();
  return manager.find(entity, { where: { id: In(ids), leaseOwner: claim.owner } as FindOptionsWhere<Row>, order: { id: 'ASC' } as never });
}

/** Claims the rows in `status` that are due (`nextAttemptAt` reached), soonest due first. */
export function claimDueRows<Row extends DueRow>(
  manager: EntityManager,
  entity: EntityTarget<Row>,
  claim: { status: Row['status']; owner: string; leaseUntil: Date; now: Date; take: number },
): Promise<Row[]> {
  const { status, ...lease } = claim;
  return claimLeasedRows(manager, entity, {
    ...lease,
    where: { status, nextAttemptAt: LessThanOrEqual(claim.now) } as FindOptionsWhere<Row>,
    order: { nextAttemptAt: 'ASC' } as FindOptionsOrder<Row>,
  });
}
