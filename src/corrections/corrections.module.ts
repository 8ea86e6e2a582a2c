import { defineModule } from '../feature-module';
import { BalanceAdjustmentsService } from './balance-adjustments.service';
import { CorrectionsResolver } from './corrections.resolver';
import { CreditCorrectionEntity } from './entities/credit-correction.entity';
import { GrantCorrectionsService } from './grant-corrections.service';

declare module '../feature-module' {
  interface FeatureServices {
    /** adjustBalance: a wallet moved by a signed amount. */
    balanceAdjustments: BalanceAdjustmentsService;
    /** voidPromotionalGrant and changePromotionalGrantExpiry. */
    grantCorrections: GrantCorrectionsService;
  }
}

/** Corrections by the platform admin: adjustments, grants voided, grant expiries moved (each with a reason, audited). */
export const correctionsModule = defineModule({
  name: 'corrections',
  entities: [CreditCorrectionEntity],
  resolvers: [CorrectionsResolver],
  create: ({ runner, ledger, expiry }) => ({
    services: {
      balanceAdjustments: new BalanceAdjustmentsService(runner, ledger),
      grantCorrections: new GrantCorrectionsService(runner, ledger, expiry),
    },
  }),
});
