import { CreditMovementType } from '../ledger/ledger.enums';

/** What a credit-history row needs to find its business row. */
export interface MovementLinkFields {
  type: CreditMovementType;
  transactionId: number;
  reference: string | null;
}

/** Where a movement's business row is: a table and the key to look it up by. */
export type SourceLink =
  | { kind: 'TOP_UP'; topUpId: string }
  | { kind: 'TRANSFER'; transactionId: number }
  | { kind: 'RECLAIM'; transactionId: number }
  | { kind: 'USAGE'; transactionId: number }
  | { kind: 'GRANT'; transactionId: number }
  | { kind: 'GRANT'; grantId: number }
  | { kind: 'CORRECTION'; transactionId: number };

/**
 * How each posting names its business row (the postings are written by the top-up, transfer, usage
 * and promotion services):
 * - a top-up, its reversals, its refunds and its disputes won: reference `topup:<top-up id>` (the top-up row holds no transaction id);
 * - a transfer, a reclaim, a usage event, a grant: their rows keep the ledger transaction's id (unique or indexed);
 * - an expiry: reference `grant:<grant id>` (its ledger key is `expiry:<grant id>`);
 * - an adjustment and a grant's void: the correction row keeps the ledger transaction's id (unique).
 * Movements posted without a business row (test funding; the demo seed goes through the real paths)
 * have none, and their source is null.
 */
export function sourceLinkOf(movement: MovementLinkFields): SourceLink | null {
  switch (movement.type) {
    case CreditMovementType.TOP_UP:
    case CreditMovementType.TOP_UP_REVERSAL:
    case CreditMovementType.REFUND:
    case CreditMovementType.DISPUTE_WON: {
      const match = /^topup:(.{1,40})$/.exec(movement.reference ?? '');
      return match ? { kind: 'TOP_UP', topUpId: match[1] } : null;
    }
    case CreditMovementType.TRANSFER_IN:
    case CreditMovementType.TRANSFER_OUT:
      return { kind: 'TRANSFER', transactionId: movement.transactionId };
    case CreditMovementType.RECLAIM_IN:
    case CreditMovementType.RECLAIM_OUT:
      return { kind: 'RECLAIM', transactionId: movement.transactionId };
    case CreditMovementType.USAGE:
      return { kind: 'USAGE', transactionId: movement.transactionId };
    case CreditMovementType.PROMOTIONAL_GRANT:
      return { kind: 'GRANT', transactionId: movement.transactionId };
    case CreditMovementType.PROMOTIONAL_EXPIRY: {
      const match = /^grant:(\d{1,15})$/.exec(movement.reference ?? '');
      return match ? { kind: 'GRANT', grantId: Number(match[1]) } : null;
    }
    case CreditMovementType.ADJUSTMENT:
    case CreditMovementType.PROMOTIONAL_VOID:
      return { kind: 'CORRECTION', transactionId: movement.transactionId };
  }
}
