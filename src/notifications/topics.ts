/**
 * What the bus carries. Payloads are plain JSON (strings for money), separate from the GraphQL
 * types, so they cross Redis unchanged.
 */
export enum Topic {
  BALANCE_CHANGED = 'BALANCE_CHANGED',
  TOP_UP_STATUS_CHANGED = 'TOP_UP_STATUS_CHANGED',
  ACCOUNT_DEPLETED = 'ACCOUNT_DEPLETED',
  /** A low-balance threshold crossed downward (written by the thresholds' outbox consumer). */
  BALANCE_LOW = 'BALANCE_LOW',
  /** An outbound webhook endpoint disabled after sustained failure. */
  WEBHOOK_ENDPOINT_DISABLED = 'WEBHOOK_ENDPOINT_DISABLED',
  /** How a firing of a partner's auto-transfer rule ended, succeeded or refused (keyed by the partner). */
  AUTO_TRANSFER_OUTCOME = 'AUTO_TRANSFER_OUTCOME',
  /** What an auto-recharge rule did: succeeded, needs 3-D Secure, failed, skipped, disabled. */
  AUTO_RECHARGE = 'AUTO_RECHARGE',
  /** A test event for one webhook endpoint (`sendTestWebhook`), keyed by the endpoint; it moves no money. */
  WEBHOOK_PING = 'WEBHOOK_PING',
}

export interface OutboxMessage {
  topic: Topic;
  /** The routing key: subscribers listen to one topic and one key (an account id, a top-up id). */
  key: string;
  payload: Record<string, unknown>;
}
