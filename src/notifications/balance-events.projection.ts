import { EntityManager } from 'typeorm';
import { totalMicros } from '../ledger/balances';
import { movementTypeOf } from '../balances/history/movement-type';
import type { Posting, PostingProjection } from '../ledger/posting';
import type { OutboxService } from './outbox.service';
import { Topic } from './topics';

/**
 * A BALANCE_CHANGED event per posting and account it touched, written to the outbox in the
 * postings' transaction (one multi-row insert per batch) and published after commit.
 */
export class BalanceEventsProjection implements PostingProjection {
  constructor(private readonly outbox: OutboxService) {}

  async project(manager: EntityManager, postings: readonly Posting[]): Promise<void> {
    await this.outbox.add(
      manager,
      postings.flatMap(({ request, occurredAt, accounts }) =>
        accounts.map(({ accountId, netMicros, after }) => ({
          topic: Topic.BALANCE_CHANGED,
          key: accountId,
          payload: {
            accountId,
            topUpMicros: after.topUpMicros.toString(),
            promotionalMicros: after.promotionalMicros.toString(),
            totalMicros: totalMicros(after).toString(),
            movementType: movementTypeOf(request.type, netMicros),
            amountMicros: netMicros.toString(),
            occurredAt: occurredAt.toISOString(),
          },
        })),
      ),
    );
  }
}
