import { CreditMovementType, LedgerTransactionType } from '../../ledger/ledger.enums';

/**
 * What a posting is, seen from one account: a transfer is out for the partner and in for the
 * customer; a reclaim is in for the partner and out for the customer.
 */
export function movementTypeOf(type: LedgerTransactionType, netMicros: bigint): CreditMovementType {
  if (type === LedgerTransactionType.TRANSFER) {
    return netMicros < 0n ? CreditMovementType.TRANSFER_OUT : CreditMovementType.TRANSFER_IN;
  }
  if (type === LedgerTransactionType.RECLAIM) {
    return netMicros < 0n ? CreditMovementType.RECLAIM_OUT : CreditMovementType.RECLAIM_IN;
  }
  return MOVEMENT_TYPE_OF_TRANSACTION[type];
}

const MOVEMENT_TYPE_OF_TRANSACTION: Record<
  Exclude<LedgerTransactionType, LedgerTransactionType.TRANSFER | LedgerTransactionType.RECLAIM>,
  CreditMovementType
> = {
  [LedgerTransactionType.TOP_UP]: CreditMovementType.TOP_UP,
  [LedgerTransactionType.TOP_UP_REVERSAL]: CreditMovementType.TOP_UP_REVERSAL,
  [LedgerTransactionType.REFUND]: CreditMovementType.REFUND,
  [LedgerTransactionType.DISPUTE_WON]: CreditMovementType.DISPUTE_WON,
  [LedgerTransactionType.USAGE]: CreditMovementType.USAGE,
  [LedgerTransactionType.PROMOTIONAL_GRANT]: CreditMovementType.PROMOTIONAL_GRANT,
  [LedgerTransactionType.PROMOTIONAL_EXPIRY]: CreditMovementType.PROMOTIONAL_EXPIRY,
  [LedgerTransactionType.ADJUSTMENT]: CreditMovementType.ADJUSTMENT,
  [LedgerTransactionType.PROMOTIONAL_VOID]: CreditMovementType.PROMOTIONAL_VOID,
};

/** What the platform side of a movement is called when no other account is involved (GraphQL's counterparty, the history CSV). */
export const PLATFORM_COUNTERPARTY: Record<CreditMovementType, string> = {
  [CreditMovementType.TOP_UP]: 'Payment',
  [CreditMovementType.TOP_UP_REVERSAL]: 'Payment reversal',
  [CreditMovementType.REFUND]: 'Refund',
  [CreditMovementType.DISPUTE_WON]: 'Dispute won',
  [CreditMovementType.TRANSFER_IN]: 'Partner',
  [CreditMovementType.TRANSFER_OUT]: 'Customer',
  [CreditMovementType.RECLAIM_IN]: 'Customer',
  [CreditMovementType.RECLAIM_OUT]: 'Partner',
  [CreditMovementType.USAGE]: 'Platform usage',
  [CreditMovementType.PROMOTIONAL_GRANT]: 'Platform promotion',
  [CreditMovementType.PROMOTIONAL_EXPIRY]: 'Promotion expiry',
  [CreditMovementType.ADJUSTMENT]: 'Platform correction',
  [CreditMovementType.PROMOTIONAL_VOID]: 'Promotion voided',
};
