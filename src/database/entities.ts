import { AccountEntity } from '../accounts/entities/account.entity';
import { BillingInfoEntity } from '../accounts/entities/billing-info.entity';
import { AccountMovementEntity } from '../ledger/entities/account-movement.entity';
import { LedgerEntryEntity } from '../ledger/entities/ledger-entry.entity';
import { LedgerTransactionEntity } from '../ledger/entities/ledger-transaction.entity';
import { PromotionalGrantEntity } from '../ledger/entities/promotional-grant.entity';
import { WalletEntity } from '../ledger/entities/wallet.entity';
import { OutboxEventEntity } from '../notifications/outbox.entity';
import { PaymentEventEntity } from '../top-ups/entities/payment-event.entity';
import { TopUpEntity } from '../top-ups/entities/top-up.entity';
import { AccountActivityDayEntity } from '../reports/entities/account-activity-day.entity';
import { AccountActivityHourEntity } from '../reports/entities/account-activity-hour.entity';
import { CreditTransferEntity } from '../transfers/entities/credit-transfer.entity';
import { UsageEventEntity } from '../usage/entities/usage-event.entity';
import { BalanceThresholdEntity } from '../balance-thresholds/entities/balance-threshold.entity';
import { BalanceThresholdCrossingEntity } from '../balance-thresholds/entities/balance-threshold-crossing.entity';
import { WebhookEndpointEntity } from '../outbound-webhooks/entities/webhook-endpoint.entity';
import { WebhookDeliveryEntity } from '../outbound-webhooks/entities/webhook-delivery.entity';
import { WebhookDeliveryAttemptEntity } from '../outbound-webhooks/entities/webhook-delivery-attempt.entity';
import { StripeCustomerEntity } from '../auto-recharge/entities/stripe-customer.entity';
import { SavedPaymentMethodEntity } from '../auto-recharge/entities/saved-payment-method.entity';
import { AutoRechargeRuleEntity } from '../auto-recharge/entities/auto-recharge-rule.entity';
import { AutoRechargeAttemptEntity } from '../auto-recharge/entities/auto-recharge-attempt.entity';

/** Every table the product owns. Later capabilities add theirs here. */
export const ENTITIES = [
  AccountEntity,
  BillingInfoEntity,
  WalletEntity,
  LedgerTransactionEntity,
  LedgerEntryEntity,
  AccountMovementEntity,
  PromotionalGrantEntity,
  OutboxEventEntity,
  TopUpEntity,
  PaymentEventEntity,
  AccountActivityHourEntity,
  AccountActivityDayEntity,
  CreditTransferEntity,
  UsageEventEntity,
  BalanceThresholdEntity,
  BalanceThresholdCrossingEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
  WebhookDeliveryAttemptEntity,
  StripeCustomerEntity,
  SavedPaymentMethodEntity,
  AutoRechargeRuleEntity,
  AutoRechargeAttemptEntity,
];
