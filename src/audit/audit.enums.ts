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
  BALANCE_CORRECTED = 'BALANCE_CORRECTED',
  PROMOTIONAL_GRANT_VOIDED = 'PROMOTIONAL_GRANT_VOIDED',
  PROMOTIONAL_GRANT_EXPIRY_CHANGED = 'PROMOTIONAL_GRANT_EXPIRY_CHANGED',
  // Reserved for the money operations and integrations that record them.
  PURCHASE_REFUNDED = 'PURCHASE_REFUNDED',
  CREDIT_LIMIT_SET = 'CREDIT_LIMIT_SET',
  API_KEY_CREATED = 'API_KEY_CREATED',
  API_KEY_REVOKED = 'API_KEY_REVOKED',
  API_KEY_ROTATED = 'API_KEY_ROTATED',
}

registerEnumType(ActorKind, {
  name: 'AuditActorKind',
  description: 'Who acted: an account user, the platform admin, a service, or an API key.',
  valuesConfig: {
    USER: { description: "A person with a token for an account (the actor's account and role say which)." },
    ADMIN: { description: 'The platform admin.' },
    SERVICE: { description: 'The service itself or a service token: a provider webhook, a worker, the metering service.' },
    API_KEY: { description: "A script with one of the account's API keys (apiKeyId names it)." },
  },
});
registerEnumType(AuditAction, {
  name: 'AuditAction',
  description: 'What an audit entry records.',
  valuesConfig: {
    ACCOUNT_CREATED: { description: 'The admin created an account.' },
    ACCOUNT_STATUS_CHANGED: { description: "The admin changed an account's status (activated, suspended)." },
    ACCOUNT_UPDATED: { description: "An account's name or settings changed." },
    PROMOTIONAL_CREDITS_GRANTED: { description: 'The admin granted promotional credits.' },
    BILLING_INFO_CHANGED: { description: 'Billing information was set or changed (before and after show the fields).' },
    BALANCE_THRESHOLDS_SET: { description: "The account's balance thresholds were set." },
    AUTO_RECHARGE_SET: { description: 'An auto-recharge rule was created or changed.' },
    AUTO_RECHARGE_PAUSED: { description: 'An auto-recharge rule was paused.' },
    AUTO_RECHARGE_RESUMED: { description: 'An auto-recharge rule was resumed.' },
    AUTO_RECHARGE_REMOVED: { description: 'An auto-recharge rule was removed.' },
    SAVED_CARD_ADDED: { description: "A card was saved (by Stripe's verified webhook after the holder confirmed it)." },
    SAVED_CARD_REMOVED: { description: 'A saved card was removed (and detached at Stripe).' },
    AUTO_TRANSFER_RULE_SET: { description: "A partner created or changed an auto-transfer rule for a customer (recorded on the partner's account)." },
    AUTO_TRANSFER_RULE_PAUSED: { description: 'A partner paused an auto-transfer rule.' },
    AUTO_TRANSFER_RULE_RESUMED: { description: 'A partner resumed an auto-transfer rule.' },
    AUTO_TRANSFER_RULE_REMOVED: { description: 'A partner removed an auto-transfer rule.' },
    WEBHOOK_ENDPOINT_CREATED: { description: 'A webhook endpoint was registered (its secret is never recorded).' },
    WEBHOOK_ENDPOINT_UPDATED: { description: "A webhook endpoint's URL, events or status changed." },
    WEBHOOK_ENDPOINT_DELETED: { description: 'A webhook endpoint was removed.' },
    WEBHOOK_SECRET_ROTATED: { description: "A webhook endpoint's signing secret was rotated (neither secret is recorded)." },
    PURCHASE_REFUNDED: { description: 'The admin refunded a purchase through its provider (refundTopUp); after has the amounts, reason says why.' },
    BALANCE_CORRECTED: {
      description: 'The platform admin adjusted a wallet by a signed amount (adjustBalance; after holds the wallet, amount and transaction).',
    },
    PROMOTIONAL_GRANT_VOIDED: { description: 'The platform admin voided what was left of a promotional grant (before and after show the remainder).' },
    PROMOTIONAL_GRANT_EXPIRY_CHANGED: { description: "The platform admin changed a promotional grant's expiry (before and after show it)." },
    CREDIT_LIMIT_SET: { description: "Reserved: a partner's credit limit set." },
    API_KEY_CREATED: { description: 'An API key was created (its name, scopes and visible prefix; never the secret).' },
    API_KEY_REVOKED: { description: 'An API key was revoked.' },
    API_KEY_ROTATED: { description: "An API key's secret was rolled (the overlap during which the old secret still works)." },
  },
});
