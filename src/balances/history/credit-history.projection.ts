import { EntityManager } from 'typeorm';
import { insertRows } from '../../database/bulk-insert';
import { AccountMovementEntity } from './entities/account-movement.entity';
import type { Posting, PostingProjection } from '../../ledger/posting';
import { movementTypeOf } from './movement-type';

/**
 * The credit-history projection: one `account_movement` row per posting and account it touched,
 * carrying the account's balances after it, so the balance at any moment is one index seek away.
 * One multi-row insert for the whole batch.
 */
export class CreditHistoryProjection implements PostingProjection {
  async project(manager: EntityManager, postings: readonly Posting[]): Promise<void> {
    await insertRows(manager, AccountMovementEntity, postings.flatMap(movementRowsOf));
  }
}

function movementRowsOf({ request, transaction, occurredAt, accounts }: Posting) {
  return accounts.map(({ accountId, netMicros, after }) => {
    const others = accounts.filter((other) => other.accountId !== accountId);
    return {
      accountId,
      transactionId: transaction.id,
      type: movementTypeOf(request.type, netMicros),
      amountMicros: netMicros,
      topUpBalanceAfterMicros: after.topUpMicros,
      promotionalBalanceAfterMicros: after.promotionalMicros,
      counterpartyAccountId: others.length === 1 ? others[0].accountId : null,
      reference: request.reference ?? null,
      description: request.description ?? null,
      occurredAt,
    };
  });
}
