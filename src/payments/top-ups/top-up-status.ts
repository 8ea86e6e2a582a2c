import { EntityManager, In } from 'typeorm';
import { balancesWithin } from '../../balances/balances.service';
import { AccountBalances, totalMicros } from '../../ledger/balances';
import type { OutboxService } from '../../notifications/outbox.service';
import type { PaymentFailureCode } from '../providers/failure-codes';
import { TopUpEntity } from './entities/top-up.entity';
import { failureMessage } from './failure-reasons';
import { TopUpStatusChanged, type TopUpStatusChangedPayload } from './top-up-events';
import { TopUpStatus } from './top-up.enums';

/**
 * Moves a top-up to `to` only if it is still in one of `from`. The conditional update is the
 * decision: of any number of racing callers (webhooks, captures, the expiry sweep on several
 * processes), exactly one sees an affected row, and only that one may post money or notify.
 */
export async function moveStatus(
  manager: EntityManager,
  topUp: TopUpEntity,
  change: { from: readonly TopUpStatus[]; to: TopUpStatus; now: Date; failureCode?: PaymentFailureCode | null; expiredBefore?: Date },
): Promise<boolean> {
  const final = change.to !== TopUpStatus.PENDING && change.to !== TopUpStatus.REQUIRES_ACTION;
  // The code is the stable part; the English message is stored beside it for the status payload.
  const failure =
    change.failureCode === undefined
      ? {}
      : { failureCode: change.failureCode, failureReason: change.failureCode === null ? null : failureMessage(change.failureCode) };
  const query = manager
    .createQueryBuilder()
    .update(TopUpEntity)
    .set({
      status: change.to,
      updatedAt: change.now,
      ...(final ? { completedAt: change.now } : {}),
      ...failure,
    })
    .where({ id: topUp.id, status: In([...change.from]) });
  if (change.expiredBefore) query.andWhere('expiresAt < :expiredBefore', { expiredBefore: change.expiredBefore });
  const { affected } = await query.execute();
  if (!affected) return false;
  topUp.status = change.to;
  topUp.updatedAt = change.now;
  if (final) topUp.completedAt = change.now;
  Object.assign(topUp, failure);
  return true;
}

/** Writes the status notification in the caller's transaction; it is published after commit. */
export async function announceStatus(manager: EntityManager, outbox: OutboxService, topUp: TopUpEntity, balancesAfter?: AccountBalances): Promise<void> {
  const balances = balancesAfter ?? (await balancesWithin(manager, [topUp.accountId]))[0];
  await outbox.emit(manager, TopUpStatusChanged, [statusPayload(topUp, balances)]);
}

/** A top-up's status as its notification carries it: the top-up as it is, with the account's balances. */
export function statusPayload(topUp: TopUpEntity, balances: AccountBalances): TopUpStatusChangedPayload {
  return {
    topUpId: topUp.id,
    accountId: topUp.accountId,
    status: topUp.status,
    amountMicros: topUp.amountMicros,
    reversedMicros: topUp.reversedMicros,
    failureReason: topUp.failureReason,
    failureCode: topUp.failureCode,
    topUpMicros: balances.topUpMicros,
    promotionalMicros: balances.promotionalMicros,
    totalMicros: totalMicros(balances),
    occurredAt: topUp.updatedAt,
  };
}
