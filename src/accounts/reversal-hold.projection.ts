import { EntityManager, In } from 'typeorm';
import { totalMicros } from '../ledger/balances';
import { LedgerTransactionType } from '../ledger/ledger.enums';
import type { Posting, PostingProjection } from '../ledger/posting';
import type { OutboxService } from '../notifications/outbox.service';
import { AccountReversalHold, type AccountReversalHoldPayload } from './account-events';
import { AccountEntity } from './entities/account.entity';

/**
 * An account whose top-up balance a payment reversal (a refund or dispute at the provider) leaves
 * below zero is put on reversal hold: it owes the platform money that was paid out as credits, so
 * no credits leave it (partner-customer-postings.ts refuses with REVERSAL_HOLD) until the balance
 * is back at zero or above, when the hold is released. Usage that overdraws only depletes an
 * account (depletion.projection.ts); a reversal on an account already below zero holds it too.
 *
 * The flag is read only for the accounts a batch could change (a reversal leaving one below zero,
 * or a posting bringing one from below zero back), so transfers, usage and grants between
 * non-negative balances cost no statement here. Each placement and release is announced.
 */
export class ReversalHoldProjection implements PostingProjection {
  constructor(private readonly outbox: OutboxService) {}

  async project(manager: EntityManager, postings: readonly Posting[]): Promise<void> {
    const candidates = new Set<string>();
    for (const { request, accounts } of postings) {
      for (const { accountId, before, after } of accounts) {
        if (placesHold(request.type, after.topUpMicros) || (before.topUpMicros < 0n && after.topUpMicros >= 0n)) candidates.add(accountId);
      }
    }
    if (candidates.size === 0) return;
    const rows = await manager.find(AccountEntity, { select: { id: true, reversalHold: true }, where: { id: In([...candidates]) } });
    const heldBefore = new Map(rows.map((row) => [row.id, row.reversalHold]));
    const held = new Map(heldBefore);
    const events: AccountReversalHoldPayload[] = [];
    for (const { request, accounts } of postings) {
      for (const { accountId, after } of accounts) {
        if (!held.has(accountId)) continue;
        const holds = held.get(accountId)!;
        const next = placesHold(request.type, after.topUpMicros) || (holds && after.topUpMicros < 0n);
        if (next === holds) continue;
        held.set(accountId, next);
        events.push({ accountId, held: next, topUpMicros: after.topUpMicros, totalMicros: totalMicros(after), reference: request.reference ?? null });
      }
    }
    for (const flag of [true, false]) {
      const changed = [...held].filter(([accountId, value]) => value === flag && heldBefore.get(accountId) !== flag).map(([accountId]) => accountId);
      if (changed.length > 0) {
        await manager
          .createQueryBuilder()
          .update(AccountEntity)
          .set({ reversalHold: flag })
          .where({ id: In(changed) })
          .execute();
      }
    }
    await this.outbox.emit(manager, AccountReversalHold, events);
  }
}

const placesHold = (type: LedgerTransactionType, topUpMicrosAfter: bigint) => type === LedgerTransactionType.TOP_UP_REVERSAL && topUpMicrosAfter < 0n;
