import type { PromotionalGrantEntity } from './entities/promotional-grant.entity';

/** Where a promotional grant stands, as the grants list shows it. */
export enum PromotionalGrantStatus {
  /** Something left and not yet expired: usage may still draw it. */
  ACTIVE = 'ACTIVE',
  /** Usage drew all of it before any expiry. */
  USED_UP = 'USED_UP',
  /** Its expiry passed with something left, which expiry took. */
  EXPIRED = 'EXPIRED',
  /** The platform admin voided what was left of it (voidPromotionalGrant). */
  VOIDED = 'VOIDED',
}

type GrantState = Pick<PromotionalGrantEntity, 'remainingMicros' | 'expiredMicros' | 'expiresAt'> & Partial<Pick<PromotionalGrantEntity, 'voidedMicros'>>;

const isPastExpiry = (grant: GrantState, now: Date) => grant.expiresAt !== null && grant.expiresAt.getTime() <= now.getTime();

/**
 * The status at `now`. A grant past its expiry whose remainder the expiry job has not moved yet
 * (reads expire due grants first, so only when that failed) is already EXPIRED: usage skips it.
 */
export function grantStatus(grant: GrantState, now: Date): PromotionalGrantStatus {
  if ((grant.voidedMicros ?? 0n) > 0n) return PromotionalGrantStatus.VOIDED;
  if (grant.expiredMicros > 0n) return PromotionalGrantStatus.EXPIRED;
  if (grant.remainingMicros > 0n) return isPastExpiry(grant, now) ? PromotionalGrantStatus.EXPIRED : PromotionalGrantStatus.ACTIVE;
  return PromotionalGrantStatus.USED_UP;
}

/** What usage may still draw: nothing once the expiry has passed, whether or not it was processed. */
export function spendableRemainder(grant: GrantState, now: Date): bigint {
  return isPastExpiry(grant, now) ? 0n : grant.remainingMicros;
}

/** What expired unused: the recorded amount, or the whole remainder of a due grant not yet expired. */
export function expiredRemainder(grant: GrantState, now: Date): bigint {
  return grant.expiredMicros > 0n ? grant.expiredMicros : isPastExpiry(grant, now) ? grant.remainingMicros : 0n;
}
