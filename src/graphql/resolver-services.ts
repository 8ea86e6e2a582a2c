import type { ApiKeysResolverServices } from '../api-keys/api-keys.resolver';
import type { AccountsResolverServices } from '../accounts/accounts.resolver';
import type { AuditResolverServices } from '../audit/audit.resolver';
import type { AutoTransfersResolverServices } from '../auto-transfers/auto-transfers.resolver';
import type { AutoRechargeResolverServices } from '../auto-recharge/auto-recharge.resolver';
import type { BalanceThresholdsResolverServices } from '../balance-thresholds/balance-thresholds.resolver';
import type { LedgerResolverServices } from '../ledger/credit-history.resolver';
import type { SubscriptionServices } from '../notifications/subscription-access';
import type { WebhooksResolverServices } from '../outbound-webhooks/webhooks.resolver';
import type { PartnersResolverServices } from '../partners/partner-customers.resolver';
import type { PromotionsResolverServices } from '../promotions/promotions.resolver';
import type { ReportsResolverServices } from '../reports/reports.resolver';
import type { TopUpsResolverServices } from '../top-ups/top-ups.resolver';
import type { ReclaimsResolverServices } from '../transfers/reclaims.resolver';
import type { TransfersResolverServices } from '../transfers/transfers.resolver';
import type { UsageResolverServices } from '../usage/usage.resolver';
import type { LoaderServices } from './loaders';

/**
 * Everything the GraphQL layer uses: each feature's own interface (declared beside its resolvers)
 * and the loaders' batch reads. The context carries an object of this type, built member by member
 * at the composition root (src/server/app.ts), not the composition root's whole locator.
 */
export type ResolverServices = LoaderServices &
  ApiKeysResolverServices &
  AccountsResolverServices &
  AuditResolverServices &
  AutoTransfersResolverServices &
  AutoRechargeResolverServices &
  BalanceThresholdsResolverServices &
  LedgerResolverServices &
  SubscriptionServices &
  WebhooksResolverServices &
  PartnersResolverServices &
  PromotionsResolverServices &
  ReportsResolverServices &
  TopUpsResolverServices &
  TransfersResolverServices &
  ReclaimsResolverServices &
  UsageResolverServices;
