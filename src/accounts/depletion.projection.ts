import { EntityManager, In } from 'typeorm';
import { totalMicros } from '../ledger/balances';
import type { Posting, PostingProjection } from '../ledger/posting';
import type { OutboxService } from '../notifications/outbox.service';
import { AccountDepleted, type AccountDepletedPayload } from './account-events';
import { AccountEntity } from './entities/account.entity';

/**
 * An account whose top-up balance is below zero (usage overdrew it, or a refund took back credits
 * already spent) is flagged depleted, and the platform is told so it can suspend resources; the
 * flag clears when credits bring the balance back to zero or more. Every posting keeps the flag
 * equal to "top-up balance below zero", so it is only written for accounts whose balance crossed
 * zero in the batch, and an event goes out for each crossing into depletion.
 */
export class DepletionProjection implements PostingProjection {
  constructor(private readonly outbox: OutboxService) {}

  async project(manager: EntityManager, postings: readonly Posting[]): Promise<void> {
    const flagBefore = new Map<string, boolean>();
    const flagAfter = new Map<string, boolean>();
    const events: AccountDepletedPayload[] = [];
    for (const { accounts } of postings) {
      for (const { accountId, before, after } of accounts) {
        const depleted = after.topUpMicros < 0n;
        if (!flagBefore.has(accountId)) flagBefore.set(accountId, before.topUpMicros < 0n);
        flagAfter.set(accountId, depleted);
        if (depleted && before.topUpMicros >= 0n) {
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
