import { DataSource } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { AuditLogService } from '../audit/audit-log.service';
import { installEmbeddedAuditGuards } from '../audit/audit-guards';
import { AccountKind, AccountStatus } from '../accounts/account.enums';
import { DepletionProjection } from '../accounts/depletion.projection';
import { AccountEntity } from '../accounts/entities/account.entity';
import { TokenVerifier } from '../auth/jwt';
import type { Logger } from '../common/logger';
import type { Config } from '../config';
import { createDataSource } from '../database/data-source';
import { ENTITIES } from './entities';
import { boundPoolAcquisition } from '../database/pool-guard';
import { connectReplicaReads, ReplicaReads } from '../database/replica-reads';
import { isUniqueViolation, TransactionRunner } from '../database/transaction-runner';
import { BalancesService } from '../ledger/balances.service';
import { CreditHistoryService } from '../ledger/credit-history.service';
import { MovementSourcesService } from '../movement-sources/movement-sources.service';
import { SYSTEM_ACCOUNT_ID } from '../ledger/ledger.enums';
import { CreditHistoryProjection } from '../ledger/history/credit-history.projection';
import { LedgerService } from '../ledger/ledger.service';
import { BalanceEventsProjection } from '../notifications/balance-events.projection';
import { NotificationBus } from '../notifications/bus';
import { type OutboxDrainSwitch, OutboxService } from '../notifications/outbox.service';
import { PromotionsService } from '../promotions/promotions.service';
import { PromotionalGrantsService } from '../promotions/promotional-grants.service';
import { setUpPayments, type PaymentSetup, type StartLocalPaymentProviders } from '../top-ups/payment-setup';
import { createTopUpServices, type TopUpServices } from '../top-ups/top-ups.module';
import type { PaymentGateways } from '../payment-providers/payment-provider';
import { ReportsService } from '../reports/reports.service';
import { RollupWriter } from '../reports/rollup-writer';
import { BalanceCache, BalanceCacheInvalidation } from '../ledger/balance-cache';
import { backfillEmbeddedRollup } from '../reports/rollup-backfill';
import { ExpiringBalancesService, ExpiringCreditHistoryService } from '../promotions/expiry-before-read';
import { ExpiryService } from '../promotions/expiry.service';
import { PartnerCustomersService } from '../partners/partner-customers.service';
import { TransferBatchesService } from '../transfers/transfer-batches.service';
import { TransfersService } from '../transfers/transfers.service';
import { ReclaimsService } from '../transfers/reclaims.service';
import { UsageService } from '../usage/usage.service';
import { createAutomation, type AutomationServices } from '../outbound-webhooks/automation.module';
import { createAutoTransfers, type AutoTransferServices } from '../auto-transfers/auto-transfers.module';
import { createAutoRecharge, type AutoRechargeServices } from '../auto-recharge/auto-recharge.module';
import { createApiKeys, type ApiKeyServices } from '../api-keys/api-keys.module';

/** The composition root: every service, built once per process and shared by all requests. */
export interface Services {
  config: Config;
  logger: Logger;
  dataSource: DataSource;
  runner: TransactionRunner;
  /** History and report reads on DATABASE_REPLICA_URL; null when none is configured. */
  replica: ReplicaReads | null;
  bus: NotificationBus;
  outbox: OutboxService;
  ledger: LedgerService;
  accounts: AccountsService;
  /** Reads the audit trail (written by recordAudit inside each audited change's transaction). */
  auditLog: AuditLogService;
  balances: BalancesService;
  creditHistory: CreditHistoryService;
  promotions: PromotionsService;
  promotionalGrants: PromotionalGrantsService;
  movementSources: MovementSourcesService;
  /** Provider gateways, and the local stand-ins in the embedded default. */
  payments: PaymentSetup;
  gateways: PaymentGateways;
  topUps: TopUpServices['topUps'];
  paymentLifecycle: TopUpServices['paymentLifecycle'];
  topUpExpiry: TopUpServices['topUpExpiry'];
  topUpList: TopUpServices['topUpList'];
  publicUrls: TopUpServices['publicUrls'];
  reports: ReportsService;
  expiry: ExpiryService;
  partnerCustomers: PartnerCustomersService;
  transfers: TransfersService;
  transferBatches: TransferBatchesService;
  reclaims: ReclaimsService;
  usage: UsageService;
  tokens: TokenVerifier;
  balanceThresholds: AutomationServices['balanceThresholds'];
  webhookEndpoints: AutomationServices['webhookEndpoints'];
  webhookWorker: AutomationServices['webhookWorker'];
  autoTransferRules: AutoTransferServices['autoTransferRules'];
  autoTransferWorker: AutoTransferServices['autoTransferWorker'];
  savedPaymentMethods: AutoRechargeServices['savedPaymentMethods'];
  autoRecharge: AutoRechargeServices['autoRecharge'];
  autoRechargeWorker: AutoRechargeServices['autoRechargeWorker'];
  apiKeys: ApiKeyServices['apiKeys'];
  apiKeyVerifier: ApiKeyServices['apiKeyVerifier'];
}

/**
 * What the composition root is given rather than choosing itself: src/main.ts gives the embedded
 * default's payment stand-ins; the test harness gives those and a drain switch it can turn off.
 */
export interface ServiceSeams {
  /** Started when no payment provider keys are configured (never in production). */
  startPaymentStandIns?: StartLocalPaymentProviders;
  /** Whether the outbox drains now (default: always). */
  outboxDrain?: OutboxDrainSwitch;
}

export async function createServices(config: Config, logger: Logger, seams: ServiceSeams = {}): Promise<Services> {
  const dataSource = createDataSource(config.database, ENTITIES);
  await dataSource.initialize();
  if (config.database.kind !== 'mysql') await installEmbeddedAuditGuards(dataSource);
  if (config.database.kind === 'mysql') boundPoolAcquisition(dataSource, config.database.acquireTimeoutMs);
  if (config.database.kind === 'mysql' && config.database.runMigrations) {
    await dataSource.runMigrations({ transaction: 'each' });
  }
  const runner = new TransactionRunner(dataSource);
  const replica = await connectReplicaReads(config.database, runner, logger);
  const bus = config.redisUrl ? NotificationBus.redis(config.redisUrl, config.redisKeyPrefix, logger.child({ component: 'bus' })) : NotificationBus.inMemory();
  const outbox = new OutboxService(runner, bus, logger.child({ component: 'outbox' }), seams.outboxDrain);
  // The ledger core and its projections, each written inside every posting's transaction.
  const balanceCache = new BalanceCache(config.balanceCacheMs);
  const ledger = new LedgerService([
    new CreditHistoryProjection(),
    new BalanceEventsProjection(outbox),
    new RollupWriter(),
    new DepletionProjection(outbox),
    new BalanceCacheInvalidation(runner, balanceCache),
  ]);
  // Reads of balances and history expire an account's due promotional grants first (see ExpiryService).
  const expiry = new ExpiryService(runner, ledger, logger.child({ component: 'promotional-expiry' }), {
    checkCacheMs: config.promotionalExpiryCheckCacheMs,
  });
  const payments = await setUpPayments(config.payments, seams.startPaymentStandIns);
  const topUpServices = createTopUpServices({
    config: config.payments,
    production: config.environment === 'production',
    maxPageSize: config.requestLimits.maxPageSize,
    runner,
    ledger,
    outbox,
    gateways: payments.gateways,
    logger,
  });
  const balances = new ExpiringBalancesService(runner, expiry, balanceCache);
  const transfers = new TransfersService(runner, ledger, balances);
  const tokens = await TokenVerifier.create(config.auth);
  const services: Services = {
    config,
    logger,
    dataSource,
    runner,
    replica,
    bus,
    outbox,
    ledger,
    accounts: new AccountsService(runner, ledger),
    auditLog: new AuditLogService(runner),
    balances,
    creditHistory: new ExpiringCreditHistoryService(runner, expiry, config.requestLimits.maxPageSize),
    promotions: new PromotionsService(runner, ledger),
    promotionalGrants: new PromotionalGrantsService(runner, expiry, config.requestLimits.maxPageSize),
    movementSources: new MovementSourcesService(runner),
    reports: new ReportsService(runner),
    expiry,
    partnerCustomers: new PartnerCustomersService(runner, config.requestLimits.maxPageSize),
    transfers,
    transferBatches: new TransferBatchesService(runner, transfers, balances, config.transferBatchMaxRows),
    reclaims: new ReclaimsService(runner, ledger, balances),
    usage: new UsageService(runner, ledger, expiry),
    tokens,
    payments,
    gateways: payments.gateways,
    ...topUpServices,
    // Balance thresholds and outbound webhooks consume committed outbox events (README "Webhooks to your systems").
    ...createAutomation({ config, runner, outbox, logger }),
    // Partner auto-transfer rules fire from committed crossings through the ordinary transfers (README "Partner auto-transfer rules").
    ...createAutoTransfers({ config, runner, outbox, transfers, logger }),
    // Auto-recharge fires from committed balance movements, through the outbox (README "Auto-recharge").
    ...createAutoRecharge({
      config,
      runner,
      outbox,
      topUps: topUpServices.topUps,
      paymentLifecycle: topUpServices.paymentLifecycle,
      publicUrls: topUpServices.publicUrls,
      gateway: payments.gateways.stripe,
      logger,
    }),
    // API keys verify through the same token verifier as JWTs (docs/guides/api-keys.md).
    ...createApiKeys({ config, runner, bus, tokens, logger }),
  };
  await ensureSystemAccount(services);
  await backfillEmbeddedRollup(runner);
  return services;
}

/** The platform's own account and wallets; created by whichever process starts first. */
async function ensureSystemAccount({ runner, ledger }: Services): Promise<void> {
  try {
    await runner.transaction(async (manager) => {
      if (!(await manager.existsBy(AccountEntity, { id: SYSTEM_ACCOUNT_ID }))) {
        const now = new Date();
        await manager.insert(AccountEntity, {
          id: SYSTEM_ACCOUNT_ID,
          kind: AccountKind.SYSTEM,
          status: AccountStatus.ACTIVE,
          region: 'ZZ',
          name: 'Platform',
          partnerId: null,
          depleted: false,
          createdAt: now,
          updatedAt: now,
        });
      }
      await ledger.ensureSystemWallets(manager);
    });
  } catch (error) {
    // Another process created them at the same moment.
    if (!isUniqueViolation(error)) throw error;
  }
}

export async function closeServices(services: Services): Promise<void> {
  await services.expiry.stop();
  await services.webhookWorker.stop();
  await services.autoTransferWorker.stop();
  await services.autoRechargeWorker.stop();
  await services.topUpExpiry.stop();
  // Last, after everything that commits notifications: its final drain publishes them.
  await services.outbox.stop();
  await services.apiKeyVerifier.stop();
  await services.payments.close();
  await services.bus.close();
  await services.replica?.close();
  if (services.dataSource.isInitialized) await services.dataSource.destroy();
}
