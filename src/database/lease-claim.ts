import { EntityManager, EntityTarget, FindOptionsWhere, In, IsNull, LessThan, LessThanOrEqual, ObjectLiteral } from 'typeorm';

/** A row a worker claims: its status says it is due from `nextAttemptAt`, and a lease says who works on it. */
export interface LeasedRow extends ObjectLiteral {
  id: number;
  status: string;
  nextAttemptAt: Date | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
}

/**
 * Claims up to `take` rows in `status` that are due and not leased (or whose lease lapsed), soonest
 * due first, for `owner` until `leaseUntil`, and returns the ones this claim won. The conditional
 * update is the claim: of several processes, only one wins each row. Call it in a transaction.
 */
export async function claimDueRows<Row extends LeasedRow>(
  manager: EntityManager,
  entity: EntityTarget<Row>,
  claim: { status: Row['status']; owner: string; leaseUntil: Date; now: Date; take: number },
): Promise<Row[]> {
  const due = { status: claim.status, nextAttemptAt: LessThanOrEqual(claim.now) } as FindOptionsWhere<Row>;
  const candidates = await manager.find(entity, {
    select: { id: true } as never,
    where: [
      { ...due, leaseUntil: IsNull() },
      { ...due, leaseUntil: LessThan(claim.now) },
    ],
    order: { nextAttemptAt: 'ASC' } as never,
    take: claim.take,
  });
  if (candidates.length === 0) return [];
  const ids = candidates.map((row) => row.id);
  await manager
    .createQueryBuilder()
    .update(entity)
    .set({ leaseOwner: claim.owner, leaseUntil: claim.leaseUntil } as never)
    .where({ id: In(ids), status: claim.status })
    .andWhere('(leaseUntil IS NULL OR leaseUntil < :now)', { now: claim.now })
    .execute();
  return manager.find(entity, { where: { id: In(ids), leaseOwner: claim.owner } as FindOptionsWhere<Row>, order: { id: 'ASC' } as never });
}
