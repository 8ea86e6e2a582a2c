import { EntityManager, In } from 'typeorm';
import { totalMicros } from '../ledger/balances';
import type { Posting, PostingProjection } from '../ledger/posting';
import type { OutboxService } from '../notifications/outbox.service';
import { AccountDepleted, type AccountDepletedPayload } from './account-events';
import { AccountEntity } from './entities/account.entity';

/**
 * An account whose top-up balance is below what it may owe (zero, or minus a partner's credit
 * limit: usage overdrew it, a refund took back credits already spent, a lowered limit left it owing
 * more) is flagged depleted, and the platform is told so it can suspend resources; the flag clears
 * when credits bring the balance back within it. Every posting keeps the flag equal to "top-up
 * balance below minus the credit limit", so it is only written for accounts that crossed that line
 * in the batch, and an event goes out for each crossing into depletion. The limits are read (one
 * statement) only when an account of the batch is below zero: a partner drawing on its credit is
 * not depleted.
 */
export class DepletionProjection implements PostingProjection {
  constructor(private readonly outbox: OutboxService) {}

  async project(manager: EntityManager, postings: readonly Posting[]): Promise<void> {
    const limits = await creditLimitsOfNegative(manager, postings);
    const flagBefore = new Map<string, boolean>();
    const flagAfter = new Map<string, boolean>();
    const events: AccountDepletedPayload[] = [];
    for (const { accounts } of postings) {
      for (const { accountId, before, after } of accounts) {
        const floor = -(limits.get(accountId) ?? 0n);
        const depleted = after.topUpMicros < floor;
        if (!flagBefore.has(accountId)) flagBefore.set(accountId, before.topUpMicros < floor);
        flagAfter.set(accountId, depleted);
        if (depleted && before.topUpMicros >= floor) {
          events.push({ accountId, topUpMicros: after.topUpMicros, totalMicros: totalMicros(after) });
        }
      }
    }
    for (const depleted of [true, false]) {
      const changed = [...flagAfter].filter(([accountId, flag]) => flag === depleted && flagBefore.get(accountId) !== depleted).map(([id]) => id);
      if (changed.length > 0)
        await manager
          .createQueryBuilder()
          .update(AccountEntity)
          .set({ depleted })
          .where({ id: In(changed) })
          .execute();
    }
    await this.outbox.emit(manager, AccountDepleted, events);
  }
}

/** The credit limits of the batch's accounts that were or are below zero (none read when no account is). */
async function creditLimitsOfNegative(manager: EntityManager, postings: readonly Posting[]): Promise<Map<string, bigint>> {
  const negative = new Set<string>();
  for (const { accounts } of postings) {
    for (const { accountId, before, after } of accounts) if (before.topUpMicros < 0n || after.topUpMicros < 0n) negative.add(accountId);
  }
  if (negative.size === 0) return new Map();
  const rows = await manager.find(AccountEntity, { select: { id: true, creditLimitMicros: true }, where: { id: In([...negative]) } });
  return new Map(rows.map((row) => [row.id, row.creditLimitMicros]));
}
