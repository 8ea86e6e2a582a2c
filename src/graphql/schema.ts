import { GraphQLEnumType, GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { ERROR_CODE_DESCRIPTIONS } from '../common/domain-error';
import { createPubSub } from '@graphql-yoga/subscription';
import { buildSchema } from 'type-graphql';
import { AccountsResolver } from '../accounts/accounts.resolver';
import { CreditHistoryResolver } from '../ledger/credit-history.resolver';
import { NotificationsResolver } from '../notifications/notifications.resolver';
import { PromotionsResolver } from '../promotions/promotions.resolver';
import { NextExpiryResolver, PromotionalGrantsResolver } from '../promotions/promotional-grants.resolver';
import { TopUpNotificationsResolver } from '../top-ups/top-up-notifications.resolver';
import { TopUpsResolver } from '../top-ups/top-ups.resolver';
import { TopUpListResolver, TopUpStatusUpdateFieldsResolver } from '../top-ups/top-up-list.resolver';
import { ReportsResolver } from '../reports/reports.resolver';
import { PartnerCustomersResolver } from '../partners/partner-customers.resolver';
import { TransfersResolver } from '../transfers/transfers.resolver';
import { ReclaimsResolver } from '../transfers/reclaims.resolver';
import { AccountDepletedResolver } from '../usage/account-depleted.resolver';
import { UsageResolver } from '../usage/usage.resolver';
import { BalanceThresholdsResolver } from '../balance-thresholds/balance-thresholds.resolver';
import { WebhooksResolver } from '../outbound-webhooks/webhooks.resolver';
import { MovementSourcesResolver } from '../movement-sources/movement-sources.resolver';
import { AutoTransfersResolver } from '../auto-transfers/auto-transfers.resolver';
import { AutoRechargeResolver } from '../auto-recharge/auto-recharge.resolver';
import { ApiKeysResolver, TransferActorApiKeyResolver } from '../api-keys/api-keys.resolver';
import { AuditResolver } from '../audit/audit.resolver';
import { authChecker } from './auth-checker';
import { applySchemaDescriptions } from './schema-descriptions';

export const RESOLVERS = [
  AccountsResolver,
  CreditHistoryResolver,
  PromotionsResolver,
  NotificationsResolver,
  PartnerCustomersResolver,
  TransfersResolver,
  ReclaimsResolver,
  UsageResolver,
  AccountDepletedResolver,
  ReportsResolver,
  TopUpsResolver,
  TopUpNotificationsResolver,
  PromotionalGrantsResolver,
  NextExpiryResolver,
  TopUpListResolver,
  TopUpStatusUpdateFieldsResolver,
  BalanceThresholdsResolver,
  WebhooksResolver,
  MovementSourcesResolver,
  AutoTransfersResolver,
  AutoRechargeResolver,
  ApiKeysResolver,
  TransferActorApiKeyResolver,
  AuditResolver,
] as const;

/** Every `extensions.code` the API answers with (src/common/domain-error.ts). */
export const ERROR_CODE_ENUM = new GraphQLEnumType({
  name: 'ErrorCode',
  description:
    "Every `extensions.code` an error of this API can carry, and what it means. No field returns it: the code travels in each error's `extensions.code`.",
  values: Object.fromEntries(Object.entries(ERROR_CODE_DESCRIPTIONS).map(([code, description]) => [code, { value: code, description }])),
});

export async function buildCreditsSchema(): Promise<GraphQLSchema> {
  // Every subscription names its own `subscribe` function over the NotificationBus, so type-graphql's
  // topic-based pubSub is never used; buildSchema still insists on having one. Access is declared
  // with @Authorized(...) on each field and decided by the one auth checker.
  const schema = await buildSchema({ resolvers: RESOLVERS, validate: false, emitSchemaFile: false, pubSub: createPubSub(), authChecker });
  const config = schema.toConfig();
  // ErrorCode is no field's type (codes travel in extensions.code), so it is added to the schema by hand.
  const described = new GraphQLSchema({ ...config, types: [...config.types, ERROR_CODE_ENUM] });
  applySchemaDescriptions(described);
  return described;
}

/** The committed `schema/schema.graphql`: sorted, so it changes only when the API does. */
export function printCommittedSchema(schema: GraphQLSchema): string {
  return `# Generated from the type-graphql code by \`npm run schema\`. Do not edit by hand.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
