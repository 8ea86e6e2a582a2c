import { EntityManager } from 'typeorm';
import { AccountEntity } from '../../accounts/entities/account.entity';
import { BillingInfoEntity } from '../../accounts/entities/billing-info.entity';
import { notFound } from '../../common/domain-error';
import type { Logger } from '../../common/logger';
import { isUniqueViolation, type TransactionRunner } from '../../database/transaction-runner';
import { type CardSetupGateway, PaymentMethod, type SavedCardEvent, type StartedCardSetup } from '../providers/payment-provider';
import { methodNotConfigured } from '../top-ups/provider-payments';
import { serviceActor, type Actor } from '../../audit/actor';
import { AuditAction } from '../../audit/audit.enums';
import { recordAudit } from '../../audit/audit-recorder';
import { assertMayTopUp, type Buyer } from '../top-ups/top-up-eligibility';
import type { ReturnUrlPolicy } from '../top-ups/return-url';
import { SavedPaymentMethodEntity } from './entities/saved-payment-method.entity';
import { StripeCustomerEntity } from './entities/stripe-customer.entity';
import { AutoRechargeRuleEntity } from './entities/auto-recharge-rule.entity';
import type { OutboxService } from '../../notifications/outbox.service';
import { announceAutoRecharge } from './auto-recharge-events';
import { AutoRechargeEventType, AutoRechargeStatus, PAYMENT_METHOD_REMOVED } from './auto-recharge.enums';

const stripeNotConfigured = async (): Promise<never> => {
  throw methodNotConfigured(PaymentMethod.STRIPE);
};

/** Saved cards are Stripe's: without Stripe's settings, saving or removing one answers PAYMENT_METHOD_UNAVAILABLE. */
export const CARD_SETUP_WITHOUT_STRIPE: CardSetupGateway = {
  createCustomer: stripeNotConfigured,
  startCardSetup: stripeNotConfigured,
  retrieveCard: stripeNotConfigured,
  detachCard: stripeNotConfigured,
};

/** A saved card's id as GraphQL carries it (a decimal string); null for anything else. */
const parseCardId = (text: string): number | null => (/^[1-9][0-9]{0,15}$/.test(text) ? Number(text) : null);

/** What recording a SetupIntent event did (the webhook route logs it and answers 200). */
export type CardSetupResult = { kind: 'CARD_SAVED' | 'ALREADY_SAVED' | 'UNKNOWN_CUSTOMER' | 'IGNORED' };

/**
 * Cards saved for off-session use. `startSetup` creates (once) the account's Stripe Customer and a
 * SetupIntent whose client secret the console confirms with Stripe.js; the card is recorded here
 * only when Stripe reports the SetupIntent succeeded (the signed `setup_intent.succeeded` webhook),
 * so nothing the browser says can add a card.
 */
export class SavedPaymentMethodsService {
  constructor(
    private readonly dependencies: {
      runner: TransactionRunner;
      gateway: CardSetupGateway;
      outbox: OutboxService;
      returnUrls: ReturnUrlPolicy;
      logger: Logger;
    },
  ) {}

  /** The account a saved card belongs to, for the auth checker; null when no card has that id. */
  async accountOf(paymentMethodId: string): Promise<string | null> {
    const id = parseCardId(paymentMethodId);
    if (id === null) return null;
    const card = await this.dependencies.runner.read((manager) =>
      manager.findOne(SavedPaymentMethodEntity, { where: { id }, select: { id: true, accountId: true } }),
    );
    return card?.accountId ?? null;
  }

  /**
   * Detaches the card at Stripe (so it can never be charged again), then forgets it. An
   * auto-recharge rule charging it is paused with the reason PAYMENT_METHOD_REMOVED and announced
   * (the autoRechargeEvents subscription and an AUTO_RECHARGE_PAUSED webhook), in the same
   * transaction as the removal. False when the card was already removed (a retried call).
   */
  async remove(paymentMethodId: string, actor: Actor): Promise<boolean> {
    const { runner, gateway, outbox } = this.dependencies;
    const id = parseCardId(paymentMethodId);
    const card = id === null ? null : await runner.read((manager) => manager.findOneBy(SavedPaymentMethodEntity, { id }));
    if (!card) return false;
    await gateway.detachCard(card.providerReference);
    return runner.transaction(async (manager) => {
      const { affected } = await manager.delete(SavedPaymentMethodEntity, { id: card.id });
      if (!affected) return false;
      const rule = await manager.findOneBy(AutoRechargeRuleEntity, { accountId: card.accountId, paymentMethodId: card.id });
      await recordAudit(manager, actor, {
        action: AuditAction.SAVED_CARD_REMOVED,
        targetType: 'SAVED_CARD',
        targetId: String(card.id),
        accountId: card.accountId,
        before: { brand: card.brand, last4: card.last4 },
        after: rule ? { autoRechargeRule: AutoRechargeStatus.PAUSED, reason: PAYMENT_METHOD_REMOVED } : null,
      });
      if (rule) {
        const now = new Date();
        await manager.update(
          AutoRechargeRuleEntity,
          { accountId: card.accountId },
          { status: AutoRechargeStatus.PAUSED, disabledReason: PAYMENT_METHOD_REMOVED, updatedAt: now },
        );
        await announceAutoRecharge(manager, outbox, [
          {
            accountId: card.accountId,
            type: AutoRechargeEventType.PAUSED,
            topUpId: null,
            amountMicros: null,
            reason: PAYMENT_METHOD_REMOVED,
            consecutiveFailures: rule.consecutiveFailures,
            ruleStatus: AutoRechargeStatus.PAUSED,
            occurredAt: now,
          },
        ]);
      }
      return true;
    });
  }

  /** Refused like a top-up: only an account that may buy credits itself saves a card for buying them. */
  async startSetup(accountId: string, buyer: Buyer, returnUrl?: string | null): Promise<StartedCardSetup> {
    const checkedReturnUrl = returnUrl ? this.dependencies.returnUrls.checkOrThrow(returnUrl) : undefined;
    await this.dependencies.runner.read((manager) => assertAccountMayBuy(manager, accountId, buyer));
    const customerReference = await this.customerOf(accountId);
    return this.dependencies.gateway.startCardSetup({ customerReference, accountId, returnUrl: checkedReturnUrl });
  }

  /** The account's saved cards, newest first. */
  async list(accountId: string): Promise<SavedPaymentMethodEntity[]> {
    return this.dependencies.runner.read((manager) => manager.find(SavedPaymentMethodEntity, { where: { accountId }, order: { id: 'DESC' } }));
  }

  /**
   * Records the card a verified `setup_intent.succeeded` saved, for the account whose Customer it
   * is (the Customer is ours: the account is taken from our own row, not from the event). The card's
   * brand and last digits are read from Stripe first; a redelivered event finds the row and stops.
   */
  async recordSetup(event: SavedCardEvent): Promise<CardSetupResult> {
    const { runner, gateway, logger } = this.dependencies;
    if (event.outcome !== 'SUCCEEDED' || !event.paymentMethodReference || !event.customerReference) {
      logger.info({ eventId: event.eventId, setupIntentId: event.setupIntentId, outcome: event.outcome }, 'card setup did not save a card');
      return { kind: 'IGNORED' };
    }
    const customer = await runner.read((manager) => manager.findOneBy(StripeCustomerEntity, { customerReference: event.customerReference! }));
    if (!customer) return { kind: 'UNKNOWN_CUSTOMER' };
    const existing = await runner.read((manager) => manager.existsBy(SavedPaymentMethodEntity, { providerReference: event.paymentMethodReference! }));
    if (existing) return { kind: 'ALREADY_SAVED' };
    const card = await gateway.retrieveCard(event.paymentMethodReference);
    try {
      await runner.transaction(async (manager) => {
        const saved = {
          accountId: customer.accountId,
          providerReference: card.paymentMethodReference,
          setupIntentId: event.setupIntentId,
          brand: card.brand.slice(0, 32),
          last4: card.last4.slice(0, 4),
          expMonth: card.expMonth,
          expYear: card.expYear,
          createdAt: new Date(),
        };
        const { identifiers } = await manager.insert(SavedPaymentMethodEntity, saved);
        // Stripe's verified webhook saved it (the user confirmed the SetupIntent on Stripe's page).
        await recordAudit(manager, serviceActor('stripe-webhook'), {
          action: AuditAction.SAVED_CARD_ADDED,
          targetType: 'SAVED_CARD',
          targetId: String(identifiers[0]?.id ?? card.paymentMethodReference),
          accountId: customer.accountId,
          after: { brand: saved.brand, last4: saved.last4, expMonth: saved.expMonth, expYear: saved.expYear, setupIntentId: saved.setupIntentId },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) return { kind: 'ALREADY_SAVED' };
      throw error;
    }
    return { kind: 'CARD_SAVED' };
  }

  /** A saved card of the account and the Customer it belongs to, for an off-session charge. */
  static async cardOf(manager: EntityManager, accountId: string, paymentMethodId: number) {
    const paymentMethod = await manager.findOneBy(SavedPaymentMethodEntity, { id: paymentMethodId, accountId });
    const customer = await manager.findOneBy(StripeCustomerEntity, { accountId });
    if (!paymentMethod || !customer) return null;
    return { paymentMethod, customerReference: customer.customerReference };
  }

  /** The account's Stripe Customer, created on first use (Stripe's idempotency key makes racing first uses share one). */
  private async customerOf(accountId: string): Promise<string> {
    const { runner, gateway } = this.dependencies;
    const stored = await runner.read((manager) => manager.findOneBy(StripeCustomerEntity, { accountId }));
    if (stored) return stored.customerReference;
    const customerReference = await gateway.createCustomer(accountId);
    try {
      await runner.transaction((manager) => manager.insert(StripeCustomerEntity, { accountId, customerReference, createdAt: new Date() }));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const winner = await runner.read((manager) => manager.findOneByOrFail(StripeCustomerEntity, { accountId }));
    return winner.customerReference;
  }
}

/** The top-up rule (`topUpBlockers`): not active, a partner's customer, no billing information → refused with that code. */
export async function assertAccountMayBuy(manager: EntityManager, accountId: string, buyer: Buyer): Promise<AccountEntity> {
  const account = await manager.findOneBy(AccountEntity, { id: accountId });
  if (!account) throw notFound(`Account ${accountId}`);
  assertMayTopUp({ account, hasBillingInfo: await manager.existsBy(BillingInfoEntity, { accountId }), buyer });
  return account;
}
