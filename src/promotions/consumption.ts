import { EntityManager } from 'typeorm';
import { invariant } from '../common/domain-error';
import { sqlInteger } from '../common/money';
import { PromotionalGrantEntity } from './entities/promotional-grant.entity';
import { lockedForUpdate } from '../database/dialect';

/** How much of one grant a usage event draws. */
export interface GrantDraw {
  grantId: number;
  amountMicros: bigint;
}

/** How one usage amount splits: promotional grants first, the rest from the top-up balance. */
export interface ConsumptionPlan {
  draws: GrantDraw[];
  promotionalMicros: bigint;
  topUpMicros: bigint;
}

type SpendableGrant = Pick<PromotionalGrantEntity, 'id' | 'remainingMicros' | 'expiresAt'>;

/**
 * The consumption order of SPEC §3: grants that expire soonest first (never-expiring ones last,
 * oldest first among equals), then top-up credits. Pure, so the order is testable on its own.
 */
export function planConsumption(grants: SpendableGrant[], amountMicros: bigint): ConsumptionPlan {
  invariant(amountMicros > 0n, 'usage is positive');
  const ordered = [...grants].sort(
    (a, b) => Number(a.expiresAt === null) - Number(b.expiresAt === null) || (a.expiresAt?.getTime() ?? 0) - (b.expiresAt?.getTime() ?? 0) || a.id - b.id,
  );
  let left = amountMicros;
  const draws: GrantDraw[] = [];
  for (const grant of ordered) {
    if (left === 0n) break;
    if (grant.remainingMicros <= 0n) continue;
    const take = grant.remainingMicros < left ? grant.remainingMicros : left;
    draws.push({ grantId: grant.id, amountMicros: take });
    left -= take;
  }
  const promotionalMicros = amountMicros - left;
  return { draws, promotionalMicros, topUpMicros: left };
}

/**
 * The accounts' grants usage may draw from (unexpired, something left), locked for the rest of the
 * transaction on MySQL so two usage batches draw them one after the other. On SQLite every
 * transaction already runs alone.
 */
export async function spendableGrantsForUpdate(manager: EntityManager, options: { accountIds: string[]; now: Date }): Promise<PromotionalGrantEntity[]> {
  if (options.accountIds.length === 0) return [];
  return lockedForUpdate(
    manager
      .createQueryBuilder(PromotionalGrantEntity, 'promotion')
      .where('promotion.accountId IN (:...accountIds)', { accountIds: options.accountIds })
      .andWhere('promotion.remainingMicros > 0')
      .andWhere('(promotion.expiresAt IS NULL OR promotion.expiresAt > :now)', { now: options.now })
      .orderBy('promotion.id', 'ASC'),
  ).getMany();
}

/**
 * Draws the planned amounts from the grants, in the same transaction as the ledger postings that
 * take them out of the PROMOTIONAL wallets, so each wallet always equals its grants' remainders.
 * One statement for all the draws; its condition makes a draw that would overdraw a grant leave
 * that row alone, and the count check then fails loudly instead of a grant going negative.
 */
export async function applyDraws(manager: EntityManager, draws: GrantDraw[]): Promise<void> {
  const byGrant = new Map<number, bigint>();
  for (const draw of draws) byGrant.set(draw.grantId, (byGrant.get(draw.grantId) ?? 0n) + draw.amountMicros);
  if (byGrant.size === 0) return;
  const parameters: Record<string, number> = {};
  const cases = [...byGrant].map(([grantId, amount], position) => {
    parameters[`grant${position}`] = grantId;
    return `WHEN :grant${position} THEN (${sqlInteger(amount)})`;
  });
  const drawn = `CASE id ${cases.join(' ')} END`;
  const { affected } = await manager
    .createQueryBuilder()
    .update(PromotionalGrantEntity)
    .set({ remainingMicros: () => `remainingMicros - ${drawn}` })
    .where('id IN (:...grantIds)', { grantIds: [...byGrant.keys()] })
    .andWhere(`remainingMicros >= ${drawn}`)
    .setParameters(parameters)
    .execute();
  invariant(affected === byGrant.size, `every grant drawn holds what is drawn from it (${affected} of ${byGrant.size})`);
}
