import { accountsModule } from '../accounts/accounts.module';
import { apiKeysModule } from '../api-keys/api-keys.module';
import { auditModule } from '../audit/audit.module';
import { balancesModule } from '../balances/balances.module';
import { balanceNotificationsModule } from '../balances/notifications/balance-notifications.module';
import { correctionsModule } from '../corrections/corrections.module';
import { creditHistoryModule } from '../balances/history/history.module';
import { movementSourcesModule } from '../movement-sources/movement-sources.module';
import { balanceThresholdsModule } from '../balances/thresholds/thresholds.module';
import type { FeatureModule } from '../feature-module';
import { outboundWebhooksModule } from '../notifications/webhooks/webhooks.module';
import { autoTransfersModule } from '../partners/auto-transfers/auto-transfers.module';
import { creditLimitsModule } from '../partners/credit-limits/credit-limits.module';
import { partnerCustomersModule } from '../partners/customers/customers.module';
import { transfersModule } from '../partners/transfers/transfers.module';
import { autoRechargeModule } from '../payments/auto-recharge/auto-recharge.module';
import { paymentCallbacksModule } from '../payments/callbacks/callbacks.module';
import { refundsModule } from '../payments/refunds/refunds.module';
import { receiptsModule } from '../payments/receipts/receipts.module';
import { topUpsModule } from '../payments/top-ups/top-ups.module';
import { promotionsModule } from '../promotions/promotions.module';
import { reportsModule } from '../reports/reports.module';
import { usageModule } from '../usage/usage.module';
import { entitiesOf } from './core';

/**
 * The product: every feature module, once. Adding a feature is its folder and one line here.
 *
 * The order is the order of building: a module's factory sees the services of the modules above
 * it (promotions' expiry before the balance and history reads that wait for it; transfers before
 * auto-transfers; top-ups before auto-recharge and refunds, and both before the callbacks that
 * record saved cards and refund answers; receipts before the top-ups that issue them). Ledger projections run in this order too. The outbox consumers' order is not this
 * order but their declared `after` dependencies. The audit trail comes first: its `ready` hook
 * guards `audit_log` on the embedded SQLite before any other module's `ready` hook writes. The
 * embedded demo is not here: start-up code adds it (src/demo/demo.module.ts).
 */
export const MODULES: readonly FeatureModule[] = [
  auditModule,
  promotionsModule,
  creditHistoryModule,
  balanceNotificationsModule,
  reportsModule,
  accountsModule,
  balancesModule,
  correctionsModule,
  usageModule,
  receiptsModule,
  topUpsModule,
  refundsModule,
  partnerCustomersModule,
  transfersModule,
  creditLimitsModule,
  balanceThresholdsModule,
  outboundWebhooksModule,
  autoTransfersModule,
  autoRechargeModule,
  paymentCallbacksModule,
  movementSourcesModule,
  apiKeysModule,
];

/** Every table the product owns (the TypeORM CLI's data source and the migration tests use it). */
export const ENTITIES = entitiesOf(MODULES);
