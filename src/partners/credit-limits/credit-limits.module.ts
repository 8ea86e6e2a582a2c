import { defineModule } from '../../feature-module';
import { CreditLimitsResolver } from './credit-limits.resolver';
import { CreditLimitsService } from './credit-limits.service';

declare module '../../feature-module' {
  interface FeatureServices {
    /** setCreditLimit: how far below zero a partner's transfers may take its top-up balance. */
    creditLimits: CreditLimitsService;
  }
}

/** Partners' credit limits: set by the platform admin, used by the partner-customer executor (transfers only). */
export const creditLimitsModule = defineModule({
  name: 'credit-limits',
  resolvers: [CreditLimitsResolver],
  create: ({ runner, outbox }) => ({ services: { creditLimits: new CreditLimitsService(runner, outbox) } }),
});
