import { EntityManager } from 'typeorm';
import { invariant } from '../common/domain-error';
import { sqlInteger } from '../common/money';
import { PromotionalGrantEntity } from '../ledger/entities/promotional-grant.entity';

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
    (a, b) =>
      Number(a.expiresAt === null) - Number(b.expiresAt === null) ||
      (a.expiresAt?.getTime() ?? 0) - (b.expiresAt?.getTime() ?? 0) ||
      a.id - b.id,
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
 * The account's grants usage may draw from (unexpired, something left), locked for the rest of the
 * transaction on MySQL so two usage events of one account draw them one after the other. On
 * SQLite every transaction already runs alone.
 */
export async function spendableGrantsForUpdate(
  manager: EntityManager,
  options: { accountId: string; now: Date; lock: boolean },
): Promise<PromotionalGrantEntity[]> {
  const query = manager
    .createQueryBuilder(PromotionalGrantEntity, 'promotion')
    .where('promotion.accountId = :accountId', { accountId: options.accountId })
    .andWhere('promotion.remainingMicros > 0')
    .andWhere('(promotion.expiresAt IS NULL OR promotion.expiresAt > :now)', { now: options.now })
    .orderBy('promotion.id', 'ASC');
  if (options.lock) query.setLock('pessimistic_write');
  return query.getMany();
}

/**
 * Draws the planned amounts from the grants, in the same transaction as the ledger posting that
 * takes them out of the PROMOTIONAL wallet, so the wallet always equals the grants' remainders.
 * The condition makes a draw that would overdraw a grant fail loudly instead of going negative.
 */
export async function applyDraws(manager: EntityManager, draws: GrantDraw[]): Promise<void> {
  for (const draw of draws) {
    const amount = sqlInteger(draw.amountMicros);
    const { affected } = await manager
      .createQueryBuilder()
      .update(PromotionalGrantEntity)
      .set({ remainingMicros: () => `remainingMicros - (${amount})` })
      .where('id = :id', { id: draw.grantId })
      .andWhere(`remainingMicros >= (${amount})`)
      .execute();
    invariant(affected === 1, `grant ${draw.grantId} holds the ${draw.amountMicros} micro-credits drawn from it`);
  }
}
