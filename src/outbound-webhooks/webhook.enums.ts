/**
 * The events an endpoint can subscribe to; the name is also the envelope's `type`.
 * TRANSFER_IN / TRANSFER_OUT are the transfer movements of BALANCE_CHANGED.
 */
export enum WebhookEventType {
  TOP_UP_STATUS_CHANGED = 'TOP_UP_STATUS_CHANGED',
  TRANSFER_IN = 'TRANSFER_IN',
  TRANSFER_OUT = 'TRANSFER_OUT',
  BALANCE_LOW = 'BALANCE_LOW',
  ACCOUNT_DEPLETED = 'ACCOUNT_DEPLETED',
  WEBHOOK_ENDPOINT_DISABLED = 'WEBHOOK_ENDPOINT_DISABLED',
  /** Auto-recharge outcomes (the AUTO_RECHARGE topic, one type per AutoRechargeEventType). */
  AUTO_RECHARGE_SUCCEEDED = 'AUTO_RECHARGE_SUCCEEDED',
  AUTO_RECHARGE_REQUIRES_ACTION = 'AUTO_RECHARGE_REQUIRES_ACTION',
  AUTO_RECHARGE_FAILED = 'AUTO_RECHARGE_FAILED',
  AUTO_RECHARGE_SKIPPED = 'AUTO_RECHARGE_SKIPPED',
  AUTO_RECHARGE_DISABLED = 'AUTO_RECHARGE_DISABLED',
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
