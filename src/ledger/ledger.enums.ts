export enum WalletKind {
  /** Credits bought or received from a partner. */
  TOPUP = 'TOPUP',
  /** Credits granted by the platform; the sum of the account's grants' remainders. */
  PROMOTIONAL = 'PROMOTIONAL',
  /** System: money received from payment providers, before it becomes credits. */
  PAYMENT_CLEARING = 'PAYMENT_CLEARING',
  /** System: credits consumed by usage. */
  USAGE_REVENUE = 'USAGE_REVENUE',
  /** System: source of promotional grants. */
  PROMOTIONS = 'PROMOTIONS',
  /** System: promotional credits that expired unused. */
  EXPIRY = 'EXPIRY',
  /** System: the other side of the platform's balance adjustments (credits added or taken back by a correction). */
  CORRECTIONS = 'CORRECTIONS',
}

export const CUSTOMER_WALLET_KINDS = [WalletKind.TOPUP, WalletKind.PROMOTIONAL] as const;
export const SYSTEM_WALLET_KINDS = [
  WalletKind.PAYMENT_CLEARING,
  WalletKind.USAGE_REVENUE,
  WalletKind.PROMOTIONS,
  WalletKind.EXPIRY,
  WalletKind.CORRECTIONS,
] as const;

/** The id of the account that owns the system wallets. */
export const SYSTEM_ACCOUNT_ID = 'system';

export enum LedgerTransactionType {
  TOP_UP = 'TOP_UP',
  TOP_UP_REVERSAL = 'TOP_UP_REVERSAL',
  /**
   * The platform refunds a purchase through its provider: negative when the credits leave, positive
   * when the provider refused the refund and they come back.
   */
  REFUND = 'REFUND',
  /** A dispute of a top-up decided for the platform: the credits its reversal took come back. */
  DISPUTE_WON = 'DISPUTE_WON',
  TRANSFER = 'TRANSFER',
  /** A partner takes unused top-up credits back from its own customer. */
  RECLAIM = 'RECLAIM',
  USAGE = 'USAGE',
  PROMOTIONAL_GRANT = 'PROMOTIONAL_GRANT',
  PROMOTIONAL_EXPIRY = 'PROMOTIONAL_EXPIRY',
  /** A correction by the platform admin: a wallet moved by a signed amount against the CORRECTIONS wallet. */
  ADJUSTMENT = 'ADJUSTMENT',
  /** What was left of a promotional grant, voided by the platform admin (back to PROMOTIONS). */
  PROMOTIONAL_VOID = 'PROMOTIONAL_VOID',
}

/** What a credit-history row shows: the transaction type seen from one account. */
export enum CreditMovementType {
  TOP_UP = 'TOP_UP',
  TOP_UP_REVERSAL = 'TOP_UP_REVERSAL',
  /** A refund of a purchase made by the platform (negative), or its credits back after the provider refused it (positive). */
  REFUND = 'REFUND',
  /** A dispute of a top-up decided for the platform gave back what its reversal took. */
  DISPUTE_WON = 'DISPUTE_WON',
  TRANSFER_IN = 'TRANSFER_IN',
  TRANSFER_OUT = 'TRANSFER_OUT',
  /** The partner's side of a reclaim: credits taken back from a customer. */
  RECLAIM_IN = 'RECLAIM_IN',
  /** The customer's side of a reclaim: credits its partner took back. */
  RECLAIM_OUT = 'RECLAIM_OUT',
  USAGE = 'USAGE',
  PROMOTIONAL_GRANT = 'PROMOTIONAL_GRANT',
  PROMOTIONAL_EXPIRY = 'PROMOTIONAL_EXPIRY',
  /** A correction by the platform admin: signed, in or out. */
  ADJUSTMENT = 'ADJUSTMENT',
  /** What was left of a promotional grant, voided by the platform admin. */
  PROMOTIONAL_VOID = 'PROMOTIONAL_VOID',
}

/** How far below zero a posting may take a wallet. */
export enum WalletFloor {
  /** The wallet must stay at zero or above: transfers, top-up spending, grants. */
  ZERO = 'ZERO',
  /** Usage already happened and is recorded even when it overdraws; system wallets. */
  NONE = 'NONE',
}
