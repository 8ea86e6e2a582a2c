import { defineModule } from '../../feature-module';
import { TopUpRefundEntity } from './entities/top-up-refund.entity';
import { RefundsResolver, TopUpRefundsFieldResolver } from './refunds.resolver';
import { RefundsService } from './refunds.service';

declare module '../../feature-module' {
  interface FeatureServices {
    /** Refunds from the platform (refundTopUp) and the providers' answers to them. */
    refunds: RefundsService;
  }
}

/**
 * Refunds of paid top-ups made by the platform admin, through the provider that took the money.
 * Listed after top-ups (it uses their gateways) and before the payment callbacks (the providers'
 * refund events reach it there).
 */
export const refundsModule = defineModule({
  name: 'refunds',
  entities: [TopUpRefundEntity],
  resolvers: [RefundsResolver, TopUpRefundsFieldResolver],
  create: ({ runner, ledger, outbox, gateways, logger, creditNotes, debitNotes }) => ({
    services: { refunds: new RefundsService({ runner, ledger, outbox, gateways, creditNotes, debitNotes, logger: logger.child({ component: 'refunds' }) }) },
  }),
});
