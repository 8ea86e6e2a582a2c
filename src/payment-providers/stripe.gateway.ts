import Stripe from 'stripe';
import { DomainError, ErrorCode } from '../common/domain-error';
import { stripeFailureCode } from './failure-codes';
import {
  PaymentCurrency,
  PaymentEvent,
  PaymentMethod,
  PaymentOutcome,
  StartedPayment,
  StartPaymentRequest,
  StripeGateway,
  WebhookSignatureError,
} from './payment-provider';

export interface StripeGatewaySettings {
  /** `sk_test_…` / `sk_live_…`. */
  secretKey: string;
  /** `whsec_…`: the signing secret of the webhook endpoint. */
  webhookSecret: string;
  /**
   * Where the API lives when it is not Stripe itself (the local stand-in). Absent in production:
   * the SDK then uses its own default host.
   */
  api?: { host: string; port: number; protocol: 'http' | 'https' };
  /** The SDK retries 409 and 5xx with the same idempotency key; two is its default. */
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

/** PaymentIntent statuses that mean "this event is about the payment itself". */
const PAYMENT_INTENT_EVENTS: Record<string, PaymentOutcome> = {
  'payment_intent.succeeded': 'SUCCEEDED',
  'payment_intent.payment_failed': 'FAILED',
  'payment_intent.canceled': 'CANCELED',
  'payment_intent.requires_action': 'REQUIRES_ACTION',
  'payment_intent.processing': 'PROCESSING',
};

/** Stripe's idempotency key for a top-up: the same top-up can never create a second intent. */
export const stripeIdempotencyKey = (topUpId: string) => `topup-${topUpId}`;

export class StripePaymentGateway implements StripeGateway {
  readonly method = PaymentMethod.STRIPE;
  private readonly stripe: Stripe;

  constructor(private readonly settings: StripeGatewaySettings) {
    this.stripe = new Stripe(settings.secretKey, {
      maxNetworkRetries: settings.maxNetworkRetries ?? 2,
      timeout: settings.timeoutMs ?? 20_000,
      telemetry: false,
      ...(settings.api ? { host: settings.api.host, port: settings.api.port, protocol: settings.api.protocol } : {}),
    });
  }

  async startPayment(request: StartPaymentRequest): Promise<StartedPayment> {
    if (request.currency !== 'USD') {
      throw new DomainError(ErrorCode.PAYMENT_METHOD_UNAVAILABLE, 'Card payments are charged in USD only.');
    }
    if (request.amountMinor <= 0n || request.amountMinor > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new RangeError(`a Stripe amount must be a positive safe integer of cents, got ${request.amountMinor}`);
    }
    try {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: Number(request.amountMinor),
          currency: 'usd',
          description: request.description,
          metadata: { topUpId: request.topUpId },
          automatic_payment_methods: { enabled: true },
        },
        { idempotencyKey: stripeIdempotencyKey(request.topUpId) },
      );
      if (!intent.client_secret) throw new Error(`PaymentIntent ${intent.id} came back without a client_secret`);
      return { providerReference: intent.id, clientSecret: intent.client_secret };
    } catch (error) {
      throw providerError('Stripe could not start the card payment.', error);
    }
  }

  async cancelPayment(providerReference: string): Promise<void> {
    try {
      await this.stripe.paymentIntents.cancel(providerReference);
    } catch (error) {
      // Best effort: an intent that already succeeded, was already canceled or never existed has
      // nothing left to abandon. The webhook that follows tells the truth either way.
      const code = error instanceof Stripe.errors.StripeError ? error.code : undefined;
      if (code === 'payment_intent_unexpected_state' || code === 'resource_missing') return;
      throw providerError('Stripe could not cancel the card payment.', error);
    }
  }

  parseWebhook(rawBody: Buffer, signatureHeader: string | undefined): PaymentEvent | null {
    if (!signatureHeader) throw new WebhookSignatureError('Stripe-Signature header is missing');
    let event: Stripe.Event;
    try {
      // Default tolerance (300 s). Passing 0 would switch the timestamp check off.
      event = this.stripe.webhooks.constructEvent(rawBody, signatureHeader, this.settings.webhookSecret);
    } catch (error) {
      throw new WebhookSignatureError(`Stripe webhook signature rejected: ${(error as Error).message}`);
    }
    return mapStripeEvent(event);
  }
}

/** Normalises a verified Stripe event; null for event types the top-up lifecycle ignores. */
export function mapStripeEvent(event: Stripe.Event): PaymentEvent | null {
  const outcome = PAYMENT_INTENT_EVENTS[event.type];
  if (outcome) {
    const intent = event.data.object as Stripe.PaymentIntent;
    return {
      provider: PaymentMethod.STRIPE,
      eventId: event.id,
      outcome,
      topUpId: intent.metadata?.topUpId ?? null,
      providerReference: intent.id,
      amountMinor: BigInt(outcome === 'SUCCEEDED' && intent.amount_received ? intent.amount_received : intent.amount),
      currency: toPaymentCurrency(intent.currency),
      reason: intent.last_payment_error?.message ?? intent.last_payment_error?.code ?? intent.cancellation_reason ?? undefined,
      failureCode:
        outcome === 'FAILED' || outcome === 'CANCELED'
          ? stripeFailureCode({
              code: intent.last_payment_error?.code,
              declineCode: intent.last_payment_error?.decline_code,
              cancellationReason: intent.cancellation_reason,
              canceled: outcome === 'CANCELED',
            })
          : undefined,
    };
  }
  if (event.type === 'charge.refunded') {
    const charge = event.data.object as Stripe.Charge;
    return {
      provider: PaymentMethod.STRIPE,
      eventId: event.id,
      outcome: 'REFUNDED',
      topUpId: charge.metadata?.topUpId ?? null,
      providerReference: idOf(charge.payment_intent),
      // Cumulative: everything refunded on this charge so far, not only the latest refund.
      amountMinor: BigInt(charge.amount_refunded),
      currency: toPaymentCurrency(charge.currency),
      reason: charge.refunded ? 'fully refunded' : 'partially refunded',
    };
  }
  if (event.type === 'charge.dispute.created') {
    const dispute = event.data.object as Stripe.Dispute;
    return {
      provider: PaymentMethod.STRIPE,
      eventId: event.id,
      outcome: 'DISPUTED',
      topUpId: dispute.metadata?.topUpId ?? null,
      providerReference: idOf(dispute.payment_intent),
      amountMinor: BigInt(dispute.amount),
      currency: toPaymentCurrency(dispute.currency),
      reason: dispute.reason,
    };
  }
  return null;
}

function idOf(reference: string | { id: string } | null | undefined): string | null {
  if (!reference) return null;
  return typeof reference === 'string' ? reference : reference.id;
}

function toPaymentCurrency(currency: string | null | undefined): PaymentCurrency | null {
  const upper = currency?.toUpperCase();
  return upper === 'USD' || upper === 'VND' ? upper : null;
}

function providerError(message: string, cause: unknown): DomainError {
  if (cause instanceof DomainError) return cause;
  const stripeError = cause instanceof Stripe.errors.StripeError ? cause : null;
  return new DomainError(ErrorCode.PAYMENT_PROVIDER_ERROR, message, {
    provider: PaymentMethod.STRIPE,
    providerCode: stripeError?.code ?? stripeError?.rawType ?? null,
    providerMessage: (cause as Error)?.message ?? String(cause),
  });
}
