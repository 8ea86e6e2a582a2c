import { forbidden } from '../common/domain-error';
import { ApiKeyScope, type Principal } from './principal';

/**
 * The scope an API key needs for each root field it may call. A root field that is not here is
 * closed to keys whatever their scopes (creating accounts, buying credits, managing keys, the admin's
 * and the metering service's fields, subscriptions): a key is for scripts that read and transfer, and
 * managing keys with a key would let a leaked key outlive its revocation.
 */
export const API_KEY_SCOPE_OF_ROOT_FIELD: Readonly<Record<string, ApiKeyScope>> = {
  'Query.me': ApiKeyScope.CUSTOMERS_READ,
  'Query.account': ApiKeyScope.CUSTOMERS_READ,
  'Query.partnerCustomers': ApiKeyScope.CUSTOMERS_READ,

  'Query.balances': ApiKeyScope.USAGE_READ,
  'Query.creditHistory': ApiKeyScope.USAGE_READ,
  'Query.promotionalGrants': ApiKeyScope.USAGE_READ,
  'Query.topUps': ApiKeyScope.USAGE_READ,
  'Query.topUp': ApiKeyScope.USAGE_READ,
  'Query.receipts': ApiKeyScope.USAGE_READ,
  'Query.receipt': ApiKeyScope.USAGE_READ,
  'Query.creditNote': ApiKeyScope.USAGE_READ,
  'Query.debitNote': ApiKeyScope.USAGE_READ,

  'Query.creditUsageReport': ApiKeyScope.REPORTS_READ,
  'Query.creditTopUpReport': ApiKeyScope.REPORTS_READ,
  'Query.creditSummaryReport': ApiKeyScope.REPORTS_READ,

  'Mutation.transferCredits': ApiKeyScope.TRANSFERS_WRITE,
  'Mutation.transferCreditsBatch': ApiKeyScope.TRANSFERS_WRITE,
  'Mutation.reclaimCredits': ApiKeyScope.TRANSFERS_WRITE,
  'Query.autoTransferRule': ApiKeyScope.TRANSFERS_WRITE,
  'Query.autoTransferRules': ApiKeyScope.TRANSFERS_WRITE,
  'Mutation.setAutoTransferRule': ApiKeyScope.TRANSFERS_WRITE,
  'Mutation.pauseAutoTransferRule': ApiKeyScope.TRANSFERS_WRITE,
  'Mutation.resumeAutoTransferRule': ApiKeyScope.TRANSFERS_WRITE,
  'Mutation.removeAutoTransferRule': ApiKeyScope.TRANSFERS_WRITE,

  'Query.webhookEndpoints': ApiKeyScope.WEBHOOKS_MANAGE,
  'Query.webhookDeliveries': ApiKeyScope.WEBHOOKS_MANAGE,
  'Mutation.createWebhookEndpoint': ApiKeyScope.WEBHOOKS_MANAGE,
  'Mutation.updateWebhookEndpoint': ApiKeyScope.WEBHOOKS_MANAGE,
  'Mutation.deleteWebhookEndpoint': ApiKeyScope.WEBHOOKS_MANAGE,
  'Mutation.rotateWebhookSecret': ApiKeyScope.WEBHOOKS_MANAGE,
  'Mutation.redeliverWebhook': ApiKeyScope.WEBHOOKS_MANAGE,
  'Mutation.sendTestWebhook': ApiKeyScope.WEBHOOKS_MANAGE,
  'Mutation.setBalanceThresholds': ApiKeyScope.WEBHOOKS_MANAGE,
};

/** The CSV downloads and the document PDFs, and the scope each needs. */
export const API_KEY_SCOPE_OF_ROUTE = {
  reports: ApiKeyScope.REPORTS_READ,
  history: ApiKeyScope.USAGE_READ,
  /** A receipt's, a credit note's or a debit note's PDF. */
  documents: ApiKeyScope.USAGE_READ,
} as const;

/**
 * Refuses an API key outside its scopes (FORBIDDEN, the missing scope named); a user's or a service's
 * token passes untouched. `operation` names what was asked ("Mutation.transferCredits", "GET /reports").
 */
export function requireApiKeyScope(principal: Principal, operation: string, scope: ApiKeyScope | undefined): void {
  if (!principal.apiKey) return;
  if (scope === undefined) throw forbidden(`An API key may not call ${operation}.`);
  if (!principal.apiKey.scopes.includes(scope)) throw forbidden(`This API key lacks the "${scope}" scope, which ${operation} needs.`);
}
