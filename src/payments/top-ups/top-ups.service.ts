import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AccountEntity } from '../../accounts/entities/account.entity';
import { BillingInfoEntity } from '../../accounts/entities/billing-info.entity';
import { badInput, DomainError, ErrorCode, notFound } from '../../common/domain-error';
import { assertValidIdempotencyKey, executeOnce, hashRequest, type StoredOperation } from '../../common/idempotency';
import type { Logger } from '../../common/logger';
import { formatMicros, positiveAmountProblem } from '../../common/money';
import { isUniqueViolation, type TransactionRunner } from '../../database/transaction-runner';
import { NextActionType, OffSessionCard, PaymentEvent, PaymentMethod, StartedPayment } from '../providers/payment-provider';
import { TopUpEntity } from './entities/top-up.entity';
import { methodNotConfigured, type ProviderPayments } from './provider-payments';
import type { ReturnUrlPolicy } from './return-url';
import { isOpenStatus, TopUpOrigin, TopUpStatus } from './top-up.enums';
import type { TopUpOptionsResult, TopUpPricing } from './top-up-pricing.service';
import { assertMayTopUp, type Buyer, neverPays, type TopUpBlocker, topUpBlockers } from './top-up-eligibility';

export interface CreateTopUpCommand {
  accountId: string;
  amountMicros: bigint;
  method: PaymentMethod;
  idempotencyKey: string;
  returnUrl: string;
  /** The buyer's IP address, for VNPay. */
  clientIp: string;
  /** Who buys; checked by the same eligibility rule `topUpOptions` reports. */
  buyer: Buyer;
  /** Default MANUAL. */
  origin?: TopUpOrigin;
  /** How long it stays open unpaid; default TOPUP_LIFETIME_MINUTES. */
  lifetimeMinutes?: number;
}

/** Where the provider sends the browser and its callbacks; known once the server listens. */
export interface PublicUrls {
  baseUrl(): string;
}

/**
 * Starting and reading top-ups. What happens to a started one (events, capture, cancel) is the
 * payment lifecycle's (`PaymentLifecycle`); the money itself moves in `PaymentEventsService`.
 */
export class TopUpsService {
  /** Concurrent retries of one top-up in this process share one provider call. */
  private readonly startsInFlight = new Map<string, Promise<TopUpEntity>>();

  constructor(
    private readonly dependencies: {
      runner: TransactionRunner;
      providers: ProviderPayments;
      pricing: TopUpPricing;
      returnUrls: ReturnUrlPolicy;
      publicUrls: PublicUrls;
      lifetimeMinutes: number;
      logger: Logger;
    },
  ) {}

  /**
   * What the "Add credit" pop-up needs: prices and methods, and whether `buyer` may buy for the
   * account now, with every blocker (the same rule `create` applies). An account that can never
   * pay is offered no method.
   */
  async options(accountId: string, buyer: Buyer): Promise<TopUpOptionsResult & { blockers: TopUpBlocker[] }> {
    const facts = await this.dependencies.runner.read(async (manager) => {
      const account = await manager.findOneBy(AccountEntity, { id: accountId });
      if (!account) throw notFound(`Account ${accountId}`);
      return { account, hasBillingInfo: await manager.existsBy(BillingInfoEntity, { accountId }), buyer };
    });
    const options = this.dependencies.pricing.options(facts.account);
    return { ...options, methods: neverPays(facts.account) ? [] : options.methods, blockers: topUpBlockers(facts) };
  }

  async findById(id: string): Promise<TopUpEntity | null> {
    if (typeof id !== 'string' || id.length > 40) return null;
    return this.dependencies.runner.read((manager) => manager.findOneBy(TopUpEntity, { id }));
  }

  async findByIdOrThrow(id: string): Promise<TopUpEntity> {
    const topUp = await this.findById(id);
    if (!topUp) throw notFound(`Top-up ${id}`);
    return topUp;
  }

  async findByProviderReference(method: PaymentMethod, providerReference: string): Promise<TopUpEntity | null> {
    if (typeof providerReference !== 'string' || providerReference.length > 191) return null;
    return this.dependencies.runner.read((manager) => manager.findOneBy(TopUpEntity, { method, providerReference }));
  }

  /**
   * Creates the top-up row first (unique per account and idempotency key), then asks the provider
   * outside any database transaction with an idempotency key derived from the top-up id, then
   * stores what the provider returned. A retry finds the row and, if the payment data is not stored
   * yet (the first attempt died or is still running), asks the provider again with the same key.
   */
  async create(command: CreateTopUpCommand): Promise<TopUpEntity> {
    const problem = positiveAmountProblem(command.amountMicros);
    if (problem) throw badInput(`amount: ${problem}.`, { field: 'amount' });
    assertValidIdempotencyKey(command.idempotencyKey);
    if (!Object.values(PaymentMethod).includes(command.method)) throw badInput('method is not a payment method.', { field: 'method' });
    const returnUrl = this.dependencies.returnUrls.checkOrThrow(command.returnUrl);
    const requestHash = hashRequest({ accountId: command.accountId, amountMicros: command.amountMicros, method: command.method, returnUrl });

    const topUp = await executeOnce({
      requestHash,
      findExisting: () => this.findByKey(command.accountId, command.idempotencyKey),
      execute: () => this.dependencies.runner.transaction((manager) => this.insertTopUp(manager, { ...command, returnUrl }, requestHash)),
      // Racing first attempts meet the unique (account, key) index; the losers take the winner's row.
      isRaceLost: isUniqueViolation,
      keyReusedMessage: 'This idempotency key was already used for a different top-up. Use a new key for a new top-up.',
    });
    return this.ensurePaymentStarted(topUp, command.clientIp);
  }

  /**
   * Inserts a top-up in the caller's transaction (an auto-recharge firing inside an outbox consumer),
   * refused like `create` (eligibility, method, minimum) before anything is written.
   */
  async insertInTransaction(manager: EntityManager, command: Omit<CreateTopUpCommand, 'clientIp'>, requestHash: string): Promise<TopUpEntity> {
    return this.insertTopUp(manager, { ...command, clientIp: '' }, requestHash);
  }

  /**
   * Charges a saved card for an open top-up without the buyer (auto-recharge), outside any database
   * transaction, and stores the intent like any payment start. Stripe's immediate answer is returned
   * for the payment lifecycle to apply (`PaymentLifecycle.chargeOffSession`); null when there was
   * nothing to charge.
   */
  async startOffSession(topUp: TopUpEntity, card: OffSessionCard): Promise<PaymentEvent | null> {
    if (topUp.providerReference || !isOpenStatus(topUp.status)) return null;
    const { outcome } = await this.startPayment(topUp, '', card);
    return outcome;
  }

  private async findByKey(accountId: string, idempotencyKey: string): Promise<StoredOperation<TopUpEntity> | null> {
    const topUp = await this.dependencies.runner.read((manager) => manager.findOneBy(TopUpEntity, { accountId, idempotencyKey }));
    return topUp && { requestHash: topUp.requestHash, result: topUp };
  }

  private async insertTopUp(manager: EntityManager, command: CreateTopUpCommand, requestHash: string): Promise<TopUpEntity> {
    const { pricing, lifetimeMinutes } = this.dependencies;
    const account = await manager.findOneBy(AccountEntity, { id: command.accountId });
    if (!account) throw notFound(`Account ${command.accountId}`);
    assertMayTopUp({ account, hasBillingInfo: await manager.existsBy(BillingInfoEntity, { accountId: account.id }), buyer: command.buyer });
    if (!pricing.isConfigured(command.method)) throw methodNotConfigured(command.method);
    const quote = pricing.quoteFor(account.region, command.method);
    if (!quote) {
      throw new DomainError(ErrorCode.PAYMENT_METHOD_UNAVAILABLE, `${command.method} is not available for accounts in region ${account.region}.`, {
        method: command.method,
      });
    }
    if (command.amountMicros < pricing.minimumMicros) {
      throw new DomainError(ErrorCode.AMOUNT_BELOW_MINIMUM, `The minimum top-up is ${formatMicros(pricing.minimumMicros)} credits.`, {
        minimumAmount: formatMicros(pricing.minimumMicros),
      });
    }
    const now = new Date();
    const topUp = manager.create(TopUpEntity, {
      id: randomUUID(),
      accountId: account.id,
      idempotencyKey: command.idempotencyKey,
      requestHash,
      method: command.method,
      status: TopUpStatus.PENDING,
      origin: command.origin ?? TopUpOrigin.MANUAL,
      amountMicros: command.amountMicros,
      currency: quote.currency,
      chargeMinor: pricing.chargeMinor(command.amountMicros, quote),
      creditPrice: quote.price.text,
      reversedMicros: 0n,
      refundedMicros: 0n,
      refundedMinor: 0n,
      returnUrl: command.returnUrl,
      providerReference: null,
      clientSecret: null,
      nextActionType: null,
      nextActionUrl: null,
      failureReason: null,
      failureCode: null,
      expiresAt: new Date(now.getTime() + (command.lifetimeMinutes ?? lifetimeMinutes) * 60_000),
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    });
    await manager.insert(TopUpEntity, topUp);
    return topUp;
  }

  private ensurePaymentStarted(topUp: TopUpEntity, clientIp: string): Promise<TopUpEntity> {
    if (topUp.providerReference || !isOpenStatus(topUp.status)) return Promise.resolve(topUp);
    const inFlight = this.startsInFlight.get(topUp.id);
    if (inFlight) return inFlight;
    const started = this.startPayment(topUp, clientIp)
      .then(({ stored }) => stored)
      .finally(() => this.startsInFlight.delete(topUp.id));
    this.startsInFlight.set(topUp.id, started);
    return started;
  }

  private async startPayment(
    topUp: TopUpEntity,
    clientIp: string,
    offSession?: OffSessionCard,
  ): Promise<{ stored: TopUpEntity; outcome: PaymentEvent | null }> {
    const { runner, logger, publicUrls } = this.dependencies;
    let payment: StartedPayment;
    try {
      payment = await this.dependencies.providers.of(topUp.method).startPayment({
        topUpId: topUp.id,
        amountMinor: topUp.chargeMinor,
        currency: topUp.currency,
        description: `Credits top-up ${topUp.id}`,
        ...providerReturnUrls(topUp, publicUrls.baseUrl()),
        clientIp,
        expiresAt: topUp.expiresAt,
        offSession,
      });
    } catch (error) {
      logger.error({ err: error, topUpId: topUp.id, method: topUp.method }, 'the payment provider refused or failed to start a payment');
      throw new DomainError(ErrorCode.PAYMENT_PROVIDER_ERROR, 'The payment provider could not start the payment. Retry with the same idempotency key.');
    }
    const stored = await runner.transaction(async (manager) => {
      // The first stored answer wins; a concurrent attempt got the same one from the provider's idempotency.
      await manager
        .createQueryBuilder()
        .update(TopUpEntity)
        .set({
          providerReference: payment.providerReference,
          clientSecret: payment.clientSecret ?? null,
          nextActionType: payment.nextAction.type,
          nextActionUrl: payment.nextAction.type === NextActionType.REDIRECT_TO_URL ? payment.nextAction.url : null,
          updatedAt: new Date(),
        })
        .where('id = :id AND providerReference IS NULL', { id: topUp.id })
        .execute();
      return manager.findOneByOrFail(TopUpEntity, { id: topUp.id });
    });
    // Canceled or expired while the provider was being asked: make sure the payment cannot go through.
    if (!isOpenStatus(stored.status)) await this.dependencies.providers.cancelQuietly(stored.method, stored.providerReference);
    return { stored, outcome: payment.outcome ?? null };
  }
}

/**
 * Where the provider sends the browser back. VNPay and PayPal return to our own routes, which check
 * the return, settle what they can (PayPal: capture after approval, cancel after "Cancel and
 * return") and redirect on to the console's returnUrl with the top-up's id and status; Stripe (a 3-D
 * Secure redirect) returns to the console directly.
 */
function providerReturnUrls(topUp: TopUpEntity, baseUrl: string): { returnUrl: string; cancelUrl: string } {
  const consoleCancel = withQuery(topUp.returnUrl, { topUpId: topUp.id, canceled: 'true' });
  switch (topUp.method) {
    case PaymentMethod.VNPAY:
      return { returnUrl: `${baseUrl}/payments/vnpay/return`, cancelUrl: consoleCancel };
    case PaymentMethod.PAYPAL:
      return {
        returnUrl: withQuery(`${baseUrl}/payments/paypal/return`, { topUpId: topUp.id }),
        cancelUrl: withQuery(`${baseUrl}/payments/paypal/cancel`, { topUpId: topUp.id }),
      };
    default:
      // Stripe's page returns to the console directly, which learns which top-up it was.
      return { returnUrl: withQuery(topUp.returnUrl, { topUpId: topUp.id }), cancelUrl: consoleCancel };
  }
}

function withQuery(url: string, parameters: Record<string, string>): string {
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(parameters)) parsed.searchParams.set(key, value);
  return parsed.toString();
}
