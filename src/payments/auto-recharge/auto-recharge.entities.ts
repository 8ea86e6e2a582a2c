import { AutoRechargeAttemptEntity } from './entities/auto-recharge-attempt.entity';
import { AutoRechargeRuleEntity } from './entities/auto-recharge-rule.entity';
import { SavedPaymentMethodEntity } from './entities/saved-payment-method.entity';
import { StripeCustomerEntity } from './entities/stripe-customer.entity';

/** The tables this feature owns; its module gives them to the data source (src/server/modules.ts). */
export const AUTO_RECHARGE_ENTITIES = [StripeCustomerEntity, SavedPaymentMethodEntity, AutoRechargeRuleEntity, AutoRechargeAttemptEntity];
