import { defineModule } from '../../feature-module';
import { TopUpRefundEntity } from './entities/top-up-refund.entity';
import { LateDebitNotesJob } from './late-debit-notes.job';
import { RefundsResolver, TopUpRefundsFieldResolver } from './refunds.resolver';
import { RefundsService } from './refunds.service';

declare module '../../feature-module' {
  interface FeatureServices {
    /** Refunds from the platform (refundTopUp) and the providers' answers to them. */
    refunds: RefundsService;
    /** Issues the debit notes of credits given back before debit notes existed, once per process start. */
    lateDebitNotes: LateDebitNotesJob;
  }
}

/**
 * Refunds of paid top-ups made by the platform admin, through the provider that took the money.
 * Listed after top-ups (it uses their gateways) and before the payment callbacks (the providers'
 * refund events reach it there). Its start-up pass issues the debit notes of credits given back
 * (disputes won, refunds refused) before debit notes existed.
 */
export const refundsModule = defineModule({
  name: 'refunds',
  entities: [TopUpRefundEntity],
  resolvers: [RefundsResolver, TopUpRefundsFieldResolver],
  create: ({ runner, ledger, outbox, gateways, logger, creditNotes, debitNotes }) => {
    const lateDebitNotes = new LateDebitNotesJob({ runner, ledger, debitNotes, logger });
    return {
      services: {
        refunds: new RefundsService({ runner, ledger, outbox, gateways, creditNotes, debitNotes, logger: logger.child({ component: 'refunds' }) }),
        lateDebitNotes,
      },
      jobs: [{ name: 'late-debit-notes', start: () => lateDebitNotes.start(), stop: () => lateDebitNotes.stop() }],
    };
  },
});
