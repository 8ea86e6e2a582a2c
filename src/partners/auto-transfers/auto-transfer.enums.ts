export enum AutoTransferRuleStatus {
  ACTIVE = 'ACTIVE',
  /** Kept with its settings and history; crossings while paused fire nothing. */
  PAUSED = 'PAUSED',
}

/** Where one crossing of a rule's threshold stands. */
export enum AutoTransferFiringStatus {
  /** Found by the outbox consumer; the worker has not decided yet. */
  PENDING = 'PENDING',
  /** The amount is decided and the transfer is being made (a crashed attempt is taken over with the same key). */
  TRANSFERRING = 'TRANSFERRING',
  SUCCEEDED = 'SUCCEEDED',
  /** No transfer: see the refusal code. Never retried; the next crossing fires again. */
  REFUSED = 'REFUSED',
  /** Nothing to do by the time it ran: the rule was paused or removed, or the balance was back at the target. */
  SKIPPED = 'SKIPPED',
}

/** Why a firing moved nothing. */
export enum AutoTransferRefusalCode {
  /** The partner's top-up balance is below the amount. */
  INSUFFICIENT_CREDITS = 'INSUFFICIENT_CREDITS',
  /** A payment reversal left the partner's top-up balance below zero: no credits leave it until it is back. */
  REVERSAL_HOLD = 'REVERSAL_HOLD',
  /** The customer (or the partner) is not ACTIVE. */
  ACCOUNT_NOT_ACTIVE = 'ACCOUNT_NOT_ACTIVE',
  /** The rule already transferred its monthly cap this calendar month (UTC). */
  MONTHLY_CAP_REACHED = 'MONTHLY_CAP_REACHED',
  /** The transfer was refused for another reason (the message says which). */
  TRANSFER_REFUSED = 'TRANSFER_REFUSED',
}
