import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AccountEntity } from '../accounts/entities/account.entity';
import { BillingInfoEntity } from '../accounts/entities/billing-info.entity';
import { badInput, DomainError, ErrorCode, notFound } from '../common/domain-error';
import { assertValidIdempotencyKey, executeOnce, hashRequest, type StoredOperation } from '../common/idempotency';
import type { Logger } from '../common/logger';
import { formatMicros, positiveAmountProblem } from '../common/money';
import { isUniqueViolation, type TransactionRunner } from '../database/transaction-runner';
import type { OutboxService } from '../notifications/outbox.service';
import { PaymentFailureCode } from '../payment-providers/failure-codes';
import { OffSessionCard, PaymentGateways, PaymentMethod, PaymentProvider, StartedPayment } from '../payment-providers/payment-provider';
import { TopUpEntity } from './entities/top-up.entity';
import type { PaymentEventsService } from './payment-events.service';
import type { ReturnUrlPolicy } from './return-url';
import { isOpenStatus, OPEN_TOP_UP_STATUSES, TopUpOrigin, TopUpStatus } from './top-up.enums';
import type { TopUpOptionsResult, TopUpPricing } from './top-up-pricing.service';
import { assertMayTopUp, type Buyer, neverPays, type TopUpBlocker, topUpBlockers } from './top-up-eligibility';
import { announceStatus, moveStatus } from './top-up-status';

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
 * Starting, reading and abandoning top-ups. The money itself moves in `PaymentEventsService`,
 * which every provider confirmation (webhook, IPN, synchronous capture) reaches.
 */
export class TopUpsService {
  /** Concurrent retries of one top-up in this process share one provider call. */
  private readonly startsInFlight = new Map<string, Promise<TopUpEntity>>();

  constructor(
    private readonly dependencies: {
      runner: TransactionRunner;
      outbox: OutboxService;
      gateways: PaymentGateways;
      pricing: TopUpPricing;
      returnUrls: ReturnUrlPolicy;
      publicUrls: PublicUrls;
      events: PaymentEventsService;
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

  /** Abandons an open top-up; a final one cannot be canceled. Best effort at the provider after commit. */
  async cancel(topUpId: string): Promise<TopUpEntity> {
    const { runner, outbox } = this.dependencies;
    const topUp = await this.findByIdOrThrow(topUpId);
    const moved = await runner.transaction(async (manager) => {
      const current = await manager.findOneByOrFail(TopUpEntity, { id: topUpId });
      const changed = await moveStatus(manager, current, {
        from: OPEN_TOP_UP_STATUSES,
        to: TopUpStatus.CANCELED,
        now: new Date(),
        failureCode: PaymentFailureCode.BUYER_CANCELED,
      });
      if (changed) await announceStatus(manager, outbox, current);
      return changed ? current : null;
    });
    if (!moved) {
      const current = await this.findByIdOrThrow(topUpId);
      if (current.status === TopUpStatus.CANCELED) return current;
      throw badInput(`This top-up is ${current.status} and can no longer be canceled.`, { field: 'id', status: current.status });
    }
    await this.cancelAtProvider(topUp.method, moved.providerReference);
    return moved;
  }

  /**
   * Captures an approved PayPal order (the buyer came back, or the CHECKOUT.ORDER.APPROVED webhook)
   * and hands the capture's outcome to the same credit function the webhooks use. A final top-up is
   * returned as it is: money is never captured for a top-up that can no longer be credited.
   */
  async capturePayPal(topUp: TopUpEntity): Promise<TopUpEntity> {
    if (topUp.method !== PaymentMethod.PAYPAL) throw badInput('This top-up is not paid with PayPal.', { field: 'id' });
    if (!isOpenStatus(topUp.status)) return topUp;
    if (!topUp.providerReference) throw badInput('This PayPal order has not been created yet; retry createTopUp with the same key.', { field: 'id' });
    let outcome;
    try {
      outcome = await this.dependencies.gateways.paypal.capture(topUp.providerReference, topUp.id);
    } catch (error) {
      // The provider's own wording stays in the log; the buyer gets a stable code and a plain message.
      this.dependencies.logger.warn({ err: error, topUpId: topUp.id }, 'PayPal capture failed');
      throw new DomainError(ErrorCode.PAYMENT_PROVIDER_ERROR, 'PayPal could not capture the order right now. Try again in a moment.');
    }
    await this.dependencies.events.apply(outcome);
    return this.findByIdOrThrow(topUp.id);
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
   * transaction, stores the intent like any payment start, and hands Stripe's immediate answer to the
   * credit function the webhooks use (the webhook that follows changes nothing more).
   */
  async chargeOffSession(topUp: TopUpEntity, card: OffSessionCard): Promise<TopUpEntity> {
    if (topUp.providerReference || !isOpenStatus(topUp.status)) return topUp;
    await this.startPayment(topUp, '', card);
    return this.findByIdOrThrow(topUp.id);
  }

  /** Best effort: a provider that cannot cancel (already paid, unreachable) is logged, not fatal. */
  async cancelAtProvider(method: PaymentMethod, providerReference: string | null): Promise<void> {
    if (!providerReference) return;
    try {
      await this.provider(method).cancelPayment(providerReference);
    } catch (error) {
      this.dependencies.logger.warn({ err: error, method, providerReference }, 'could not cancel the payment at the provider');
    }
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
      returnUrl: command.returnUrl,
      providerReference: null,
      clientSecret: null,
      approvalUrl: null,
      redirectUrl: null,
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
    const started = this.startPayment(topUp, clientIp).finally(() => this.startsInFlight.delete(topUp.id));
    this.startsInFlight.set(topUp.id, started);
    return started;
  }

  private async startPayment(topUp: TopUpEntity, clientIp: string, offSession?: OffSessionCard): Promise<TopUpEntity> {
    const { runner, logger, publicUrls } = this.dependencies;
    let payment: StartedPayment;
    try {
      payment = await this.provider(topUp.method).startPayment({
        topUpId: topUp.id,
        amountMinor: topUp.chargeMinor,
        currency: topUp.currency,
        description: `Credits top-up ${topUp.id}`,
        // VNPay returns the browser to our verifying route, which redirects it on to the console's returnUrl.
        returnUrl: topUp.method === PaymentMethod.VNPAY ? `${publicUrls.baseUrl()}/payments/vnpay/return` : topUp.returnUrl,
        cancelUrl: withQuery(topUp.returnUrl, { topUpId: topUp.id, canceled: 'true' }),
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
          approvalUrl: payment.approvalUrl ?? null,
          redirectUrl: payment.redirectUrl ?? null,
          updatedAt: new Date(),
        })
        .where('id = :id AND providerReference IS NULL', { id: topUp.id })
        .execute();
      return manager.findOneByOrFail(TopUpEntity, { id: topUp.id });
    });
    // Canceled or expired while the provider was being asked: make sure the payment cannot go through.
    if (!isOpenStatus(stored.status)) await this.cancelAtProvider(stored.method, stored.providerReference);
    if (payment.outcome) await this.dependencies.events.apply(payment.outcome);
    return stored;
  }

  private provider(method: PaymentMethod): PaymentProvider {
    const { gateways } = this.dependencies;
    if (method === PaymentMethod.STRIPE) return gateways.stripe;
    if (method === PaymentMethod.PAYPAL) return gateways.paypal;
    return gateways.vnpay;
  }
}

function withQuery(url: string, parameters: Record<string, string>): string {
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(parameters)) parsed.searchParams.set(key, value);
  return parsed.toString();
}
