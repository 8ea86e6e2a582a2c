import { badInput, DomainError, ErrorCode } from '../../common/domain-error';
import type { Logger } from '../../common/logger';
import type { TransactionRunner } from '../../database/transaction-runner';
import type { OutboxService } from '../../notifications/outbox.service';
import { PaymentFailureCode } from '../providers/failure-codes';
import { OffSessionCard, PaymentEvent, PaymentGateways, PaymentMethod } from '../providers/payment-provider';
import { TopUpEntity } from './entities/top-up.entity';
import type { EventResult, PaymentEventsService } from './payment-events.service';
import { methodNotConfigured, type ProviderPayments } from './provider-payments';
import { isOpenStatus, OPEN_TOP_UP_STATUSES, TopUpStatus } from './top-up.enums';
import { announceStatus, moveStatus } from './top-up-status';
import type { TopUpsService } from './top-ups.service';

/**
 * What happens to a started top-up, in one place: a provider's event is applied (webhook, IPN,
 * PayPal capture, VNPay querydr), PayPal's approved order is captured, the buyer cancels; and what
 * each needs at the provider after commit. The webhook routes, the resolvers and the expiry job
 * call it; it calls the event recorder (`PaymentEventsService`), the top-up reads and the
 * providers, and none of them calls back.
 */
export class PaymentLifecycle {
  constructor(
    private readonly dependencies: {
      runner: TransactionRunner;
      outbox: OutboxService;
      events: PaymentEventsService;
      topUps: TopUpsService;
      gateways: PaymentGateways;
      providers: ProviderPayments;
      logger: Logger;
    },
  ) {}

  /** Applies a provider's event (see `PaymentEventsService`), then cleans up at the provider. */
  async apply(event: PaymentEvent): Promise<EventResult> {
    const result = await this.dependencies.events.apply(event);
    if (result.kind === 'APPLIED' && result.topUp.status === TopUpStatus.FAILED && event.provider === PaymentMethod.STRIPE) {
      // A declined card leaves a Stripe PaymentIntent payable with another card; the top-up is
      // FAILED (final), so the intent is canceled to make sure it can never succeed uncredited.
      await this.cancelAtProvider(result.topUp);
    }
    return result;
  }

  /**
   * Charges a saved card off-session for an open top-up (auto-recharge) and applies Stripe's
   * immediate answer like any event; the webhook that follows changes nothing more.
   */
  async chargeOffSession(topUp: TopUpEntity, card: OffSessionCard): Promise<TopUpEntity> {
    const outcome = await this.dependencies.topUps.startOffSession(topUp, card);
    if (outcome) await this.apply(outcome);
    return this.dependencies.topUps.findByIdOrThrow(topUp.id);
  }

  /** A verified webhook's event. A PayPal approval is acted on by capturing the order; the capture's outcome goes the usual way. */
  async applyWebhookEvent(event: PaymentEvent): Promise<EventResult> {
    if (event.provider !== PaymentMethod.PAYPAL || event.outcome !== 'APPROVED') return this.apply(event);
    const { topUps } = this.dependencies;
    const topUp = event.topUpId
      ? await topUps.findById(event.topUpId)
      : event.providerReference
        ? await topUps.findByProviderReference(PaymentMethod.PAYPAL, event.providerReference)
        : null;
    if (!topUp) return { kind: 'UNKNOWN_TOP_UP' };
    return { kind: 'IGNORED', topUp: await this.capturePayPal(topUp) };
  }

  /**
   * Captures an approved PayPal order (the buyer came back, or the CHECKOUT.ORDER.APPROVED webhook)
   * and applies the capture's outcome like any other event. A final top-up is returned as it is:
   * money is never captured for a top-up that can no longer be credited.
   */
  async capturePayPal(topUp: TopUpEntity): Promise<TopUpEntity> {
    if (topUp.method !== PaymentMethod.PAYPAL) throw badInput('This top-up is not paid with PayPal.', { field: 'id' });
    if (!isOpenStatus(topUp.status)) return topUp;
    if (!topUp.providerReference) throw badInput('This PayPal order has not been created yet; retry createTopUp with the same key.', { field: 'id' });
    const paypal = this.dependencies.gateways.paypal;
    if (!paypal) throw methodNotConfigured(PaymentMethod.PAYPAL);
    let outcome;
    try {
      outcome = await paypal.capture(topUp.providerReference, topUp.id);
    } catch (error) {
      // The provider's own wording stays in the log; the buyer gets a stable code and a plain message.
      this.dependencies.logger.warn({ err: error, topUpId: topUp.id }, 'PayPal capture failed');
      throw new DomainError(ErrorCode.PAYMENT_PROVIDER_ERROR, 'PayPal could not capture the order right now. Try again in a moment.');
    }
    await this.apply(outcome);
    return this.dependencies.topUps.findByIdOrThrow(topUp.id);
  }

  /** Abandons an open top-up; a final one cannot be canceled. Best effort at the provider after commit. */
  async cancel(topUpId: string): Promise<TopUpEntity> {
    const { runner, outbox, topUps } = this.dependencies;
    await topUps.findByIdOrThrow(topUpId);
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
      const current = await topUps.findByIdOrThrow(topUpId);
      if (current.status === TopUpStatus.CANCELED) return current;
      throw badInput(`This top-up is ${current.status} and can no longer be canceled.`, { field: 'id', status: current.status });
    }
    await this.cancelAtProvider(moved);
    return moved;
  }

  /** After a top-up became final without being paid: make sure its payment cannot go through. */
  cancelAtProvider(topUp: Pick<TopUpEntity, 'method' | 'providerReference'>): Promise<void> {
    return this.dependencies.providers.cancelQuietly(topUp.method, topUp.providerReference);
  }
}
