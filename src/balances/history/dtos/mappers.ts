import type { CreditHistoryPage } from '../credit-history.service';
import type { AccountMovementEntity } from '../entities/account-movement.entity';
import type { CreditMovement, CreditMovementConnection } from './credit-movement.type';

export function toCreditMovement(movement: AccountMovementEntity): CreditMovement {
  return {
    id: String(movement.id),
    occurredAt: movement.occurredAt,
    type: movement.type,
    amount: movement.amountMicros,
    balanceAfter: movement.topUpBalanceAfterMicros + movement.promotionalBalanceAfterMicros,
    topUpBalanceAfter: movement.topUpBalanceAfterMicros,
    promotionalBalanceAfter: movement.promotionalBalanceAfterMicros,
    counterpartyAccountId: movement.counterpartyAccountId,
    accountId: movement.accountId,
    transactionId: movement.transactionId,
    ledgerReference: movement.reference,
    description: movement.description,
  };
}

export function toCreditMovementConnection(page: CreditHistoryPage): CreditMovementConnection {
  const edges = page.movements.map((movement, index) => ({ cursor: page.cursors[index], node: toCreditMovement(movement) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges.at(0)?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
