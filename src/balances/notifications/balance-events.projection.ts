import { EntityManager } from 'typeorm';
import { totalMicros } from '../../ledger/balances';
import type { Posting, PostingProjection } from '../../ledger/posting';
import type { OutboxService } from '../../notifications/outbox.service';
import { BalanceChanged } from '../balance-events';
import { movementTypeOf } from '../history/movement-type';

/**
 * A BALANCE_CHANGED event per posting and account it touched, written to the outbox in the
 * postings' transaction (one multi-row insert per batch) and published after commit.
 */
export class BalanceEventsProjection implements PostingProjection {
  constructor(private readonly outbox: OutboxService) {}

  async project(manager: EntityManager, postings: readonly Posting[]): Promise<void> {
    await this.outbox.emit(
      manager,
      BalanceChanged,
      postings.flatMap(({ request, occurredAt, accounts }) =>
        accounts.map(({ accountId, netMicros, before, after }) => ({
          accountId,
          topUpMicros: after.topUpMicros,
          topUpBeforeMicros: before.topUpMicros,
          promotionalMicros: after.promotionalMicros,
          totalMicros: totalMicros(after),
          movementType: movementTypeOf(request.type, netMicros),
          amountMicros: netMicros,
          occurredAt,
        })),
      ),
    );
  }
}
