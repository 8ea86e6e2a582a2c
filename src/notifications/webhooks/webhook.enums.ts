/**
 * The events an endpoint can subscribe to; the name is also the envelope's `type`.
 * TRANSFER_IN / TRANSFER_OUT and RECLAIM_IN / RECLAIM_OUT are the transfer and reclaim movements of
 * BALANCE_CHANGED.
 */
export enum WebhookEventType {
  TOP_UP_STATUS_CHANGED = 'TOP_UP_STATUS_CHANGED',
  TRANSFER_IN = 'TRANSFER_IN',
  TRANSFER_OUT = 'TRANSFER_OUT',
  /** A partner took credits back from one of its customers (the partner's side). */
  RECLAIM_IN = 'RECLAIM_IN',
  /** The account's partner took credits back from it. */
  RECLAIM_OUT = 'RECLAIM_OUT',
  BALANCE_LOW = 'BALANCE_LOW',
  ACCOUNT_DEPLETED = 'ACCOUNT_DEPLETED',
  /** A refund or dispute at the payment provider left the top-up balance below zero: no credits leave the account. */
  ACCOUNT_REVERSAL_HOLD_PLACED = 'ACCOUNT_REVERSAL_HOLD_PLACED',
  /** The top-up balance of an account on reversal hold is back at zero or above: credits may leave it again. */
  ACCOUNT_REVERSAL_HOLD_RELEASED = 'ACCOUNT_REVERSAL_HOLD_RELEASED',
  WEBHOOK_ENDPOINT_DISABLED = 'WEBHOOK_ENDPOINT_DISABLED',
  /** A partner's auto-transfer rule moved credits to its customer (sent to the partner). */
  AUTO_TRANSFER_SUCCEEDED = 'AUTO_TRANSFER_SUCCEEDED',
  /** A partner's auto-transfer rule fired and moved nothing (sent to the partner). */
  AUTO_TRANSFER_REFUSED = 'AUTO_TRANSFER_REFUSED',
  /** Auto-recharge outcomes (the AUTO_RECHARGE topic, one type per AutoRechargeEventType). */
  AUTO_RECHARGE_SUCCEEDED = 'AUTO_RECHARGE_SUCCEEDED',
  AUTO_RECHARGE_REQUIRES_ACTION = 'AUTO_RECHARGE_REQUIRES_ACTION',
  AUTO_RECHARGE_FAILED = 'AUTO_RECHARGE_FAILED',
  AUTO_RECHARGE_SKIPPED = 'AUTO_RECHARGE_SKIPPED',
  AUTO_RECHARGE_DISABLED = 'AUTO_RECHARGE_DISABLED',
  AUTO_RECHARGE_PAUSED = 'AUTO_RECHARGE_PAUSED',
  /** A receipt was numbered: a purchase's document is ready (`GET /receipts/{id}.pdf`). */
  RECEIPT_ISSUED = 'RECEIPT_ISSUED',
  /** A credit note was numbered: money of a receipt given back (`GET /credit-notes/{id}.pdf`). */
  CREDIT_NOTE_ISSUED = 'CREDIT_NOTE_ISSUED',
  /** A debit note was numbered: a credit note cancelled, its money back with the seller (`GET /debit-notes/{id}.pdf`). */
  DEBIT_NOTE_ISSUED = 'DEBIT_NOTE_ISSUED',
  /** A test event sent by `sendTestWebhook` to one endpoint, whatever it subscribes to; it moves no money. */
  PING = 'PING',
}

export enum WebhookEndpointStatus {
  ACTIVE = 'ACTIVE',
  /** Disabled after sustained failure (or by its owner); nothing is sent until it is enabled again. */
  DISABLED = 'DISABLED',
}

export enum WebhookDeliveryStatus {
  /** Waiting for its first or next attempt. */
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  /** Out of retry time, or its endpoint was disabled; `redeliverWebhook` sends it again. */
  FAILED = 'FAILED',
}
