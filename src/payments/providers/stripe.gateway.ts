import type Stripe from 'stripe';
import { onFirstUse } from '../../common/on-first-use';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { stripeFailureCode } from './failure-codes';
import {
  OffSessionCard,
  PaymentCurrency,
  RefundAnswer,
  RefundEvent,
  RefundOutcome,
  RefundRequest,
  PaymentEvent,
  PaymentMethod,
  PaymentOutcome,
  SavedCardDetails,
  NextAction,
  NextActionType,
  SavedCardEvent,
  StartedCardSetup,
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

const SETUP_INTENT_EVENTS: Record<string, SavedCardEvent['outcome']> = {
  'setup_intent.succeeded': 'SUCCEEDED',
  'setup_intent.requires_action': 'REQUIRES_ACTION',
  'setup_intent.setup_failed': 'FAILED',
};

/**
 * Off-session, the issuer's wish for 3-D Secure comes back as a declined attempt with this code
 * (the intent returns to `requires_payment_method`): the card holder must come back on-session and
 * confirm the same intent, so the top-up waits (REQUIRES_ACTION) instead of failing.
 */
const AUTHENTICATION_REQUIRED = 'authentication_required';

/**
 * On-session, a card holder who does not pass 3-D Secure (a wrong code) leaves the intent at
 * `requires_payment_method` with this code, and the same intent can be confirmed again: one failed
 * attempt, not a failed payment.
 */
const AUTHENTICATION_FAILURE = 'payment_intent_authentication_failure';

/** Stripe's idempotency key for a top-up: the same top-up can never create a second intent. */
export const stripeIdempotencyKey = (topUpId: string) => `topup-${topUpId}`;

/** Stripe's idempotency key for one of our refunds: a retried refundTopUp never refunds twice. */
export const stripeRefundIdempotencyKey = (refundId: string) => `refund-${refundId}`;

/** Events about a Refund object (`charge.refund.updated` is the name older API versions use). */
const REFUND_EVENTS = new Set(['refund.created', 'refund.updated', 'refund.failed', 'charge.refund.updated']);

/** A Refund's status as the refunds know it: `requires_action` and `pending` wait; `canceled` is a refusal like `failed`. */
const REFUND_OUTCOMES: Record<string, RefundOutcome> = { succeeded: 'SUCCEEDED', failed: 'FAILED', canceled: 'FAILED' };

/** The `stripe` package, required when a gateway first calls Stripe (not when this file loads: onFirstUse). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const stripeSdk = onFirstUse(() => require('stripe') as typeof Stripe);

export class StripePaymentGateway implements StripeGateway {
  readonly method = PaymentMethod.STRIPE;
  private client: Stripe | undefined;

  constructor(private readonly settings: StripeGatewaySettings) {}

  /** The SDK's client, made on first use. */
  private get stripe(): Stripe {
    const StripeClient = stripeSdk();
    this.client ??= new StripeClient(this.settings.secretKey, {
      maxNetworkRetries: this.settings.maxNetworkRetries ?? 2,
      timeout: this.settings.timeoutMs ?? 20_000,
      telemetry: false,
      ...(this.settings.api ? { host: this.settings.api.host, port: this.settings.api.port, protocol: this.settings.api.protocol } : {}),
    });
    return this.client;
  }

  async startPayment(request: StartPaymentRequest): Promise<StartedPayment> {
    if (request.currency !== 'USD') {
      throw new DomainError(ErrorCode.PAYMENT_METHOD_UNAVAILABLE, 'Card payments are charged in USD only.');
    }
    if (request.amountMinor <= 0n || request.amountMinor > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new RangeError(`a Stripe amount must be a positive safe integer of cents, got ${request.amountMinor}`);
    }
    if (request.offSession) return this.chargeOffSession(request, request.offSession);
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
      return { providerReference: intent.id, clientSecret: intent.client_secret, nextAction: nextActionOf(intent, request.returnUrl) };
    } catch (error) {
      throw providerError('Stripe could not start the card payment.', error);
    }
  }

  /**
   * Charges a saved card without the card holder (`off_session: true, confirm: true`). A decline
   * and a request for authentication are answers, not errors: Stripe sends them as a 402 card error
   * carrying the intent, whose state becomes the outcome. The same idempotency key as any top-up,
   * so a retry (a lapsed lease, a crash) gets Stripe's first answer back and never charges twice.
   */
  private async chargeOffSession(request: StartPaymentRequest, card: OffSessionCard): Promise<StartedPayment> {
    let intent: Stripe.PaymentIntent;
    try {
      intent = await this.stripe.paymentIntents.create(
        {
          amount: Number(request.amountMinor),
          currency: 'usd',
          description: request.description,
          metadata: { topUpId: request.topUpId },
          customer: card.customerReference,
          payment_method: card.paymentMethodReference,
          off_session: true,
          confirm: true,
          // A saved card needs no redirect; without this Stripe would ask for a return_url.
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
        },
        { idempotencyKey: stripeIdempotencyKey(request.topUpId) },
      );
    } catch (error) {
      const declined = error instanceof stripeSdk().errors.StripeCardError ? error.payment_intent : undefined;
      if (!declined) throw providerError('Stripe could not charge the saved card.', error);
      intent = declined;
    }
    if (!intent.client_secret) throw providerError('Stripe could not charge the saved card.', new Error(`PaymentIntent ${intent.id} has no client_secret`));
    const outcome = offSessionOutcome(intent);
    return {
      providerReference: intent.id,
      clientSecret: intent.client_secret,
      nextAction: nextActionOf(intent),
      outcome: outcome ? intentEvent(`${intent.id}:off-session-confirmation`, outcome, intent) : undefined,
    };
  }

  async createCustomer(accountId: string): Promise<string> {
    try {
      const customer = await this.stripe.customers.create({ metadata: { accountId } }, { idempotencyKey: `customer-${accountId}` });
      return customer.id;
    } catch (error) {
      throw providerError('Stripe could not register the customer.', error);
    }
  }

  async startCardSetup(request: { customerReference: string; accountId: string; returnUrl?: string }): Promise<StartedCardSetup> {
    try {
      const setupIntent = await this.stripe.setupIntents.create({
        customer: request.customerReference,
        usage: 'off_session',
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
        metadata: { accountId: request.accountId },
      });
      if (!setupIntent.client_secret) throw new Error(`SetupIntent ${setupIntent.id} came back without a client_secret`);
      return { setupIntentId: setupIntent.id, clientSecret: setupIntent.client_secret, nextAction: nextActionOf(setupIntent, request.returnUrl) };
    } catch (error) {
      throw providerError('Stripe could not start saving the card.', error);
    }
  }

  async detachCard(paymentMethodReference: string): Promise<void> {
    try {
      await this.stripe.paymentMethods.detach(paymentMethodReference);
    } catch (error) {
      // Detached before (a retried removal) or never known: the card cannot be charged either way.
      if (error instanceof stripeSdk().errors.StripeInvalidRequestError && DETACHED_ALREADY.has(error.code ?? '')) return;
      throw providerError('Stripe could not detach the saved card.', error);
    }
  }

  async retrieveCard(paymentMethodReference: string): Promise<SavedCardDetails> {
    try {
      const paymentMethod = await this.stripe.paymentMethods.retrieve(paymentMethodReference);
      return {
        paymentMethodReference: paymentMethod.id,
        customerReference: idOf(paymentMethod.customer),
        brand: paymentMethod.card?.brand ?? paymentMethod.type,
        last4: paymentMethod.card?.last4 ?? '',
        expMonth: paymentMethod.card?.exp_month ?? 0,
        expYear: paymentMethod.card?.exp_year ?? 0,
      };
    } catch (error) {
      throw providerError('Stripe could not read the saved card.', error);
    }
  }

  async cancelPayment(providerReference: string): Promise<void> {
    try {
      await this.stripe.paymentIntents.cancel(providerReference);
    } catch (error) {
      // Best effort: an intent that already succeeded, was already canceled or never existed has
      // nothing left to abandon. The webhook that follows tells the truth either way.
      const code = error instanceof stripeSdk().errors.StripeError ? error.code : undefined;
      if (code === 'payment_intent_unexpected_state' || code === 'resource_missing') return;
      throw providerError('Stripe could not cancel the card payment.', error);
    }
  }

  /**
   * Refunds part or all of the intent's charge (`POST /v1/refunds`), carrying our refund id in its
   * metadata so that Stripe's refund events find it. A 4xx (the charge is refunded already, disputed,
   * the amount exceeds what is left) is Stripe's refusal; a network error or a 5xx leaves the
   * outcome unknown and is thrown, and the same idempotency key makes the retry safe.
   */
  async refund(request: RefundRequest): Promise<RefundAnswer> {
    if (request.amountMinor <= 0n || request.amountMinor > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new RangeError(`a Stripe refund must be a positive safe integer of cents, got ${request.amountMinor}`);
    }
    try {
      const refund = await this.stripe.refunds.create(
        {
          payment_intent: request.paymentReference,
          amount: Number(request.amountMinor),
          reason: 'requested_by_customer',
          metadata: { topUpId: request.topUpId, refundId: request.refundId },
        },
        { idempotencyKey: stripeRefundIdempotencyKey(request.refundId) },
      );
      return { providerRefundReference: refund.id, outcome: refundOutcomeOf(refund), reason: refund.failure_reason ?? undefined };
    } catch (error) {
      if (isRefusal(error)) return { providerRefundReference: null, outcome: 'FAILED', reason: error.code ?? error.message };
      throw providerError('Stripe could not refund the card payment right now.', error);
    }
  }

  parseWebhook(rawBody: Buffer, signatureHeader: string | undefined): PaymentEvent | SavedCardEvent | RefundEvent | null {
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

/**
 * Normalises a verified Stripe event; null for event types the top-ups, refunds and saved cards
 * ignore. A Refund event is about one of our refunds when its metadata names it; a refund made in
 * Stripe's dashboard has none and is taken back through `charge.refunded` instead.
 */
export function mapStripeEvent(event: Stripe.Event): PaymentEvent | SavedCardEvent | RefundEvent | null {
  if (REFUND_EVENTS.has(event.type)) {
    const refund = event.data.object as Stripe.Refund;
    const refundId = refund.metadata?.refundId;
    if (!refundId) return null;
    return {
      kind: 'REFUND',
      provider: PaymentMethod.STRIPE,
      eventId: event.id,
      refundId,
      providerRefundReference: refund.id,
      outcome: refundOutcomeOf(refund),
      reason: refund.failure_reason ?? undefined,
    };
  }
  const outcome = PAYMENT_INTENT_EVENTS[event.type];
  if (outcome) {
    const intent = event.data.object as Stripe.PaymentIntent;
    return intentEvent(event.id, outcome === 'FAILED' ? failedIntentOutcome(intent) : outcome, intent);
  }
  const setupOutcome = SETUP_INTENT_EVENTS[event.type];
  if (setupOutcome) {
    const setupIntent = event.data.object as Stripe.SetupIntent;
    return {
      kind: 'CARD_SETUP',
      provider: PaymentMethod.STRIPE,
      eventId: event.id,
      outcome: setupOutcome,
      setupIntentId: setupIntent.id,
      customerReference: idOf(setupIntent.customer),
      paymentMethodReference: idOf(setupIntent.payment_method),
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
  const disputeOutcome = disputeOutcomeOf(event);
  if (disputeOutcome) {
    const dispute = event.data.object as Stripe.Dispute;
    return {
      provider: PaymentMethod.STRIPE,
      eventId: event.id,
      outcome: disputeOutcome,
      topUpId: dispute.metadata?.topUpId ?? null,
      providerReference: idOf(dispute.payment_intent),
      disputeReference: dispute.id,
      amountMinor: BigInt(dispute.amount),
      currency: toPaymentCurrency(dispute.currency),
      reason: `${dispute.reason} (${dispute.status})`,
    };
  }
  return null;
}

/**
 * Stripe refused the refund itself (400, 402, 404: already refunded, disputed, more than is left,
 * no such payment). Not a 409 (another request with the key is in progress) nor an idempotency
 * error: those say nothing about the refund, which may well have been made.
 */
function isRefusal(error: unknown): error is Stripe.errors.StripeError {
  if (!(error instanceof stripeSdk().errors.StripeInvalidRequestError) && !(error instanceof stripeSdk().errors.StripeCardError)) return false;
  return [400, 402, 404].includes(error.statusCode ?? 0);
}

function refundOutcomeOf(refund: Pick<Stripe.Refund, 'status'>): RefundOutcome {
  return REFUND_OUTCOMES[refund.status ?? ''] ?? 'PENDING';
}

/**
 * A dispute's life at Stripe: `charge.dispute.created` (the money is withdrawn at once, except for an
 * inquiry, whose status starts with `warning_`), `charge.dispute.funds_withdrawn` (also when an
 * inquiry becomes a chargeback), `charge.dispute.updated` (evidence), then
 * `charge.dispute.closed` (`won`, `lost`, or `warning_closed` for an inquiry) and, when won,
 * `charge.dispute.funds_reinstated`. The credits follow the money: a withdrawal takes them (once
 * per dispute, whichever event comes first), a win gives them back (once per dispute); a loss
 * changes nothing more.
 */
function disputeOutcomeOf(event: Stripe.Event): PaymentOutcome | null {
  if (!event.type.startsWith('charge.dispute.')) return null;
  const status = (event.data.object as Stripe.Dispute).status;
  switch (event.type) {
    case 'charge.dispute.created':
      return status.startsWith('warning_') ? null : 'DISPUTED';
    case 'charge.dispute.funds_withdrawn':
      return 'DISPUTED';
    case 'charge.dispute.closed':
      return status === 'won' ? 'DISPUTE_WON' : null;
    case 'charge.dispute.funds_reinstated':
      return 'DISPUTE_WON';
    default:
      return null;
  }
}

function intentEvent(eventId: string, outcome: PaymentOutcome, intent: Stripe.PaymentIntent): PaymentEvent {
  return {
    provider: PaymentMethod.STRIPE,
    eventId,
    outcome,
    topUpId: intent.metadata?.topUpId ?? null,
    providerReference: intent.id,
    amountMinor: BigInt(outcome === 'SUCCEEDED' && intent.amount_received ? intent.amount_received : intent.amount),
    currency: toPaymentCurrency(intent.currency),
    reason: intent.last_payment_error?.message ?? intent.last_payment_error?.code ?? intent.cancellation_reason ?? undefined,
    failureCode:
      outcome === 'FAILED' || outcome === 'ATTEMPT_FAILED' || outcome === 'CANCELED'
        ? stripeFailureCode({
            code: intent.last_payment_error?.code,
            declineCode: intent.last_payment_error?.decline_code,
            cancellationReason: intent.cancellation_reason,
            canceled: outcome === 'CANCELED',
          })
        : undefined,
  };
}

/** What a `payment_intent.payment_failed` means: 3-D Secure wanted off-session, one failed 3-D Secure attempt, or a failed payment. */
function failedIntentOutcome(intent: Stripe.PaymentIntent): PaymentOutcome {
  if (intent.last_payment_error?.code === AUTHENTICATION_REQUIRED) return 'REQUIRES_ACTION';
  if (intent.last_payment_error?.code === AUTHENTICATION_FAILURE) return 'ATTEMPT_FAILED';
  return 'FAILED';
}

/** The state an off-session confirmation left the intent in, as an outcome (null: nothing decided yet). */
function offSessionOutcome(intent: Stripe.PaymentIntent): PaymentOutcome | null {
  if (intent.status === 'succeeded') return 'SUCCEEDED';
  if (intent.status === 'requires_action') return 'REQUIRES_ACTION';
  if (intent.status === 'requires_payment_method' && intent.last_payment_error) {
    return intent.last_payment_error.code === AUTHENTICATION_REQUIRED ? 'REQUIRES_ACTION' : 'FAILED';
  }
  return null;
}

/**
 * What the card holder does next on an intent, as Stripe says it: a page to send the browser to
 * (`next_action.redirect_to_url`), or else Stripe.js with the client secret, which also runs any
 * `use_stripe_sdk` challenge (3-D Secure). An intent waiting for its card has no next action yet:
 * Stripe.js collects the card.
 *
 * A redirect brings the buyer back to the `return_url` it was confirmed with (Stripe names it in
 * `redirect_to_url.return_url`). A redirect that names none is a page that confirms the intent
 * itself (the stand-ins' card and card-saving pages, where Stripe.js would run): it is given the
 * console's `returnUrl` as its `return_url` parameter, as Stripe.js's confirm would be, so the page
 * can send the buyer back (docs/decisions/0253-stripe-pages-return-to-the-console.md).
 */
export function nextActionOf(intent: Pick<Stripe.PaymentIntent | Stripe.SetupIntent, 'next_action'>, returnUrl?: string): NextAction {
  const redirect = intent.next_action?.type === 'redirect_to_url' ? intent.next_action.redirect_to_url : null;
  if (!redirect?.url) return { type: NextActionType.USE_STRIPE_SDK };
  if (redirect.return_url || !returnUrl) return { type: NextActionType.REDIRECT_TO_URL, url: redirect.url };
  const url = new URL(redirect.url);
  url.searchParams.set('return_url', returnUrl);
  return { type: NextActionType.REDIRECT_TO_URL, url: url.toString() };
}

function idOf(reference: string | { id: string } | null | undefined): string | null {
  if (!reference) return null;
  return typeof reference === 'string' ? reference : reference.id;
}

function toPaymentCurrency(currency: string | null | undefined): PaymentCurrency | null {
  const upper = currency?.toUpperCase();
  return upper === 'USD' || upper === 'VND' ? upper : null;
}

/** Stripe's codes for a card that is not attached to a Customer any more, or not at all. */
const DETACHED_ALREADY = new Set(['resource_missing', 'payment_method_unexpected_state']);

function providerError(message: string, cause: unknown): DomainError {
  if (cause instanceof DomainError) return cause;
  const stripeError = cause instanceof stripeSdk().errors.StripeError ? cause : null;
  return new DomainError(ErrorCode.PAYMENT_PROVIDER_ERROR, message, {
    provider: PaymentMethod.STRIPE,
    providerCode: stripeError?.code ?? stripeError?.rawType ?? null,
    providerMessage: (cause as Error)?.message ?? String(cause),
  });
}
