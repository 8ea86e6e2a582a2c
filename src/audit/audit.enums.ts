import { registerEnumType } from 'type-graphql';

/** Who acted: a user of an account, the platform admin, a service (metering, a provider webhook), or an API key. */
export enum ActorKind {
  USER = 'USER',
  ADMIN = 'ADMIN',
  SERVICE = 'SERVICE',
  API_KEY = 'API_KEY',
}

/**
 * What was changed. Names are stable (they are stored and filtered on); the reserved ones are
 * recorded by the operations that use them (refunds, corrections, credit limits, API keys).
 */
export enum AuditAction {
  ACCOUNT_CREATED = 'ACCOUNT_CREATED',
  ACCOUNT_STATUS_CHANGED = 'ACCOUNT_STATUS_CHANGED',
  ACCOUNT_UPDATED = 'ACCOUNT_UPDATED',
  PROMOTIONAL_CREDITS_GRANTED = 'PROMOTIONAL_CREDITS_GRANTED',
  BILLING_INFO_CHANGED = 'BILLING_INFO_CHANGED',
  BALANCE_THRESHOLDS_SET = 'BALANCE_THRESHOLDS_SET',
  AUTO_RECHARGE_SET = 'AUTO_RECHARGE_SET',
  AUTO_RECHARGE_PAUSED = 'AUTO_RECHARGE_PAUSED',
  AUTO_RECHARGE_RESUMED = 'AUTO_RECHARGE_RESUMED',
  AUTO_RECHARGE_REMOVED = 'AUTO_RECHARGE_REMOVED',
  SAVED_CARD_ADDED = 'SAVED_CARD_ADDED',
  SAVED_CARD_REMOVED = 'SAVED_CARD_REMOVED',
  AUTO_TRANSFER_RULE_SET = 'AUTO_TRANSFER_RULE_SET',
  AUTO_TRANSFER_RULE_PAUSED = 'AUTO_TRANSFER_RULE_PAUSED',
  AUTO_TRANSFER_RULE_RESUMED = 'AUTO_TRANSFER_RULE_RESUMED',
  AUTO_TRANSFER_RULE_REMOVED = 'AUTO_TRANSFER_RULE_REMOVED',
  WEBHOOK_ENDPOINT_CREATED = 'WEBHOOK_ENDPOINT_CREATED',
  WEBHOOK_ENDPOINT_UPDATED = 'WEBHOOK_ENDPOINT_UPDATED',
  WEBHOOK_ENDPOINT_DELETED = 'WEBHOOK_ENDPOINT_DELETED',
  WEBHOOK_SECRET_ROTATED = 'WEBHOOK_SECRET_ROTATED',
  // Reserved for the money operations and integrations that record them.
  PURCHASE_REFUNDED = 'PURCHASE_REFUNDED',
  BALANCE_CORRECTED = 'BALANCE_CORRECTED',
  CREDIT_LIMIT_SET = 'CREDIT_LIMIT_SET',
  API_KEY_CREATED = 'API_KEY_CREATED',
  API_KEY_REVOKED = 'API_KEY_REVOKED',
  API_KEY_ROTATED = 'API_KEY_ROTATED',
}

registerEnumType(ActorKind, { name: 'AuditActorKind', description: 'Who acted: an account user, the platform admin, a service, or an API key.' });
registerEnumType(AuditAction, { name: 'AuditAction', description: 'What an audit entry records.' });
