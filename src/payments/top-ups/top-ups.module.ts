import type { Logger } from '../../common/logger';
import { TopUpStatusChanged } from './top-up-events';
import type { PaymentsConfig } from '../../config';
import type { TransactionRunner } from '../../database/transaction-runner';
import type { LedgerService } from '../../ledger/ledger.service';
import type { OutboxService } from '../../notifications/outbox.service';
import type { CreditNotesService } from '../receipts/credit-notes.service';
import type { DebitNotesService } from '../receipts/debit-notes.service';
import type { ReceiptsService } from '../receipts/receipts.service';
import type { ConfiguredPaymentGateways } from '../providers/gateways';
import { configuredMethods } from '../providers/payment-provider';
import { vnpayCreateDate } from '../providers/vnpay.gateway';
import type { TopUpEntity } from './entities/top-up.entity';
import { PaymentEventsService } from './payment-events.service';
import { PaymentLifecycle } from './payment-lifecycle';
import { ProviderPayments } from './provider-payments';
import { ReturnUrlPolicy } from './return-url';
import { LateReceiptsJob } from './late-receipts.job';
import { TopUpExpiryJob } from './top-up-expiry.job';
import { TopUpListService } from './top-up-list.service';
import { TopUpPricing } from './top-up-pricing.service';
import { PublicUrls, TopUpsService } from './top-ups.service';
import { defineModule } from '../../feature-module';
import { type PaymentSetup, setUpPayments, type StartLocalPaymentProviders } from './payment-setup';
import { TopUpListResolver, TopUpStatusUpdateFieldsResolver } from './top-up-list.resolver';
import { TopUpNotificationsResolver } from './top-up-notifications.resolver';
import { TopUpReceiptResolver } from './top-up-receipt.resolver';
import { TOP_UP_ENTITIES } from './top-ups.entities';
import { TopUpsResolver } from './top-ups.resolver';

declare module '../../feature-module' {
  interface FeatureServices extends TopUpServices {
    /** Provider gateways, and the local stand-ins in the embedded default. */
    payments: PaymentSetup;
    /** The configured providers' gateways; null for a provider that is not configured. */
    gateways: ConfiguredPaymentGateways;
    /** Given by the embedded demo module (`provides`): starts the providers' local stand-ins. */
    startPaymentStandIns?: StartLocalPaymentProviders;
  }
}

export interface TopUpServices {
  /** Starting and reading top-ups. */
  topUps: TopUpsService;
  /** What happens to a started top-up: provider events, PayPal capture, cancel. */
  paymentLifecycle: PaymentLifecycle;
  topUpExpiry: TopUpExpiryJob;
  /** Issues receipts for the purchases paid before receipts existed, once per process start. */
  lateReceipts: LateReceiptsJob;
  /** An account's purchase history (the topUps query). */
  topUpList: TopUpListService;
  /** Where providers reach this server; set once it listens when PUBLIC_BASE_URL is not configured. */
  publicUrls: MutablePublicUrls;
  /** Which console URLs a browser may be sent back to (createTopUp's returnUrl, startSavedCardSetup's). */
  returnUrls: ReturnUrlPolicy;
}

export class MutablePublicUrls implements PublicUrls {
  constructor(private url: string | null) {}

  /** Keeps a configured PUBLIC_BASE_URL; otherwise takes the listening address. */
  useListeningAddressUnlessConfigured(listeningUrl: string): void {
    this.url ??= listeningUrl;
  }

  baseUrl(): string {
    if (!this.url) throw new Error('the public base URL is not known before the server listens');
    return this.url;
  }
}

/** Builds the top-up lifecycle's services (the composition root calls this once). */
export function createTopUpServices(dependencies: {
  config: PaymentsConfig;
  production: boolean;
  /** GRAPHQL_MAX_PAGE_SIZE. */
  maxPageSize: number;
  runner: TransactionRunner;
  ledger: LedgerService;
  outbox: OutboxService;
  gateways: ConfiguredPaymentGateways;
  /** The documents a payment issues: its receipt, a credit note for each reversal, a debit note for each dispute won. */
  receipts: ReceiptsService;
  creditNotes: CreditNotesService;
  debitNotes: DebitNotesService;
  logger: Logger;
}): TopUpServices {
  const { config, runner, ledger, outbox, gateways, receipts, creditNotes, debitNotes } = dependencies;
  const logger = dependencies.logger.child({ component: 'top-ups' });
  const publicUrls = new MutablePublicUrls(config.publicBaseUrl);
  const allowedOrigins = [...config.returnUrlAllowedOrigins, ...(config.publicBaseUrl ? [new URL(config.publicBaseUrl).origin] : [])];
  const providers = new ProviderPayments(gateways, logger);
  const returnUrls = new ReturnUrlPolicy({ allowedOrigins, allowLocalhost: !dependencies.production });
  const topUps = new TopUpsService({
    runner,
    providers,
    pricing: new TopUpPricing(config, configuredMethods(gateways)),
    returnUrls,
    publicUrls,
    lifetimeMinutes: config.topUpLifetimeMinutes,
    logger,
  });
  const paymentLifecycle = new PaymentLifecycle({
    runner,
    outbox,
    events: new PaymentEventsService({ runner, ledger, outbox, receipts, creditNotes, debitNotes, logger }),
    topUps,
    gateways,
    providers,
    logger,
  });
  // Without VNPay's settings there is no one to ask: the top-up expires as unpaid.
  const queryVnpay = async (topUp: TopUpEntity) =>
    gateways.vnpay ? gateways.vnpay.queryTransaction({ topUpId: topUp.id, transactionDate: vnpayCreateDate(topUp), clientIp: '127.0.0.1' }) : null;
  const topUpExpiry = new TopUpExpiryJob({ runner, outbox, paymentLifecycle, queryVnpay, logger });
  const lateReceipts = new LateReceiptsJob({ runner, receipts, logger });
  return { topUps, paymentLifecycle, topUpExpiry, lateReceipts, topUpList: new TopUpListService(runner, dependencies.maxPageSize), publicUrls, returnUrls };
}

/**
 * Top-ups: the configured providers' gateways (or, without any, the stand-ins the demo module gives), the
 * lifecycle of a payment, the purchase history, the sweep that expires abandoned top-ups and the
 * late receipts of purchases paid before receipts existed.
 */
export const topUpsModule = defineModule({
  name: 'top-ups',
  entities: TOP_UP_ENTITIES,
  events: [TopUpStatusChanged],
  resolvers: [TopUpsResolver, TopUpNotificationsResolver, TopUpListResolver, TopUpStatusUpdateFieldsResolver, TopUpReceiptResolver],
  create: async ({ config, runner, ledger, outbox, logger, startPaymentStandIns, receipts, creditNotes, debitNotes }) => {
    const payments = await setUpPayments(config.payments, startPaymentStandIns);
    const services = createTopUpServices({
      config: config.payments,
      production: config.environment === 'production',
      maxPageSize: config.requestLimits.maxPageSize,
      runner,
      ledger,
      outbox,
      gateways: payments.gateways,
      receipts,
      creditNotes,
      debitNotes,
      logger,
    });
    const { topUpExpiry, lateReceipts, publicUrls } = services;
    return {
      services: { ...services, payments, gateways: payments.gateways },
      jobs: [
        { name: 'top-up-expiry', start: () => topUpExpiry.start(config.payments.expirySweepIntervalMs), stop: () => topUpExpiry.stop() },
        { name: 'late-receipts', start: () => lateReceipts.start(), stop: () => lateReceipts.stop() },
      ],
      listening: (baseUrl) => {
        publicUrls.useListeningAddressUnlessConfigured(baseUrl);
        payments.connect(publicUrls.baseUrl());
      },
      close: () => payments.close(),
    };
  },
});
