import type { IncomingHttpHeaders } from 'node:http';
import type { ApiError, Order, OrdersCapture, OrdersController, PaymentsController } from '@paypal/paypal-server-sdk';
import { onFirstUse } from '../../common/on-first-use';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { paypalFailureCode } from './failure-codes';
import { createLoopbackHttpsAgent, LoopbackTlsTarget } from './loopback-tls-agent';
import { formatMinorUnits, parseMinorUnits } from './minor-units';
import {
  PaymentCurrency,
  PaymentEvent,
  NextActionType,
  PaymentMethod,
  PaymentOutcome,
  PayPalGateway,
  RefundAnswer,
  RefundEvent,
  RefundOutcome,
  RefundRequest,
  StartedPayment,
  StartPaymentRequest,
  WebhookSignatureError,
} from './payment-provider';
import { PayPalWebhookVerifier } from './paypal-webhook-verifier';

export interface PayPalGatewaySettings {
  clientId: string;
  clientSecret: string;
  /** The id of our webhook subscription at PayPal. */
  webhookId: string;
  environment: 'sandbox' | 'production';
  /** `https://host/path/` prefixes a webhook signing certificate may be fetched from. */
  certUrlAllowList: string[];
  /** The common name the webhook signing certificate must carry. */
  webhookCertificateCommonName: string;
  /** Trusted roots (PEM) for the signing certificate; Node's root store when absent. */
  trustedCaPem?: string;
  /**
   * Sends every HTTPS connection of the SDK (and the certificate fetch) to a local stand-in, with
   * TLS verification against the stand-in's test CA. Never set in production.
   */
  standIn?: LoopbackTlsTarget;
  timeoutMs?: number;
}

const CAPTURE_OUTCOMES: Record<string, PaymentOutcome> = {
  COMPLETED: 'SUCCEEDED',
  PENDING: 'PROCESSING',
  DECLINED: 'FAILED',
  FAILED: 'FAILED',
  REFUNDED: 'REFUNDED',
  // Part of the money went back; the payment itself did succeed (refunds arrive as events).
  PARTIALLY_REFUNDED: 'SUCCEEDED',
};

const WEBHOOK_OUTCOMES: Record<string, PaymentOutcome> = {
  'CHECKOUT.ORDER.APPROVED': 'APPROVED',
  'PAYMENT.CAPTURE.COMPLETED': 'SUCCEEDED',
  'PAYMENT.CAPTURE.PENDING': 'PROCESSING',
  'PAYMENT.CAPTURE.DENIED': 'FAILED',
  'PAYMENT.CAPTURE.DECLINED': 'FAILED',
  'PAYMENT.CAPTURE.REFUNDED': 'REFUNDED',
  // PayPal took the money back for a chargeback (or a buyer-favoured case): the capture's reversal.
  'PAYMENT.CAPTURE.REVERSED': 'DISPUTED',
};

/** How a resolved dispute ended for the merchant: only a win reinstates the money (its reversal is cancelled). */
const SELLER_WON = 'RESOLVED_SELLER_FAVOUR';

/** PayPal-Request-Id values: derived from the top-up, so a retry replays instead of repeating. */
export const paypalCreateRequestId = (topUpId: string) => `topup-${topUpId}-create`;
export const paypalCaptureRequestId = (topUpId: string) => `topup-${topUpId}-capture`;
export const paypalRefundRequestId = (refundId: string) => `refund-${refundId}`;

/**
 * Our refunds carry `invoice_id: refund-<our refund id>`: PayPal's refund events (PAYMENT.CAPTURE.REFUNDED,
 * whose resource is the refund) then name the refund they confirm, and a refund made in PayPal's
 * own dashboard (without it) goes the reversal's way.
 */
const REFUND_INVOICE_PREFIX = 'refund-';

/** A capture refund's status: COMPLETED is done; PENDING waits; FAILED and CANCELLED give the credits back. */
const REFUND_OUTCOMES: Record<string, RefundOutcome> = { COMPLETED: 'SUCCEEDED', PENDING: 'PENDING', FAILED: 'FAILED', CANCELLED: 'FAILED' };

/** The `@paypal/paypal-server-sdk` package, required when a gateway first calls PayPal (not when this file loads: onFirstUse). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const paypalSdk = onFirstUse(() => require('@paypal/paypal-server-sdk') as typeof import('@paypal/paypal-server-sdk'));

/** Whether `error` is the SDK's ApiError (asked only of what a call through the SDK threw, so the SDK is loaded by then). */
const isApiError = (error: unknown): error is ApiError => error instanceof paypalSdk().ApiError;

/** PayPal Orders v2 through `@paypal/paypal-server-sdk`, and its webhooks verified locally. */
export class PayPalPaymentGateway implements PayPalGateway {
  readonly method = PaymentMethod.PAYPAL;
  private controllers: { orders: OrdersController; payments: PaymentsController } | undefined;
  private readonly verifier: PayPalWebhookVerifier;
  private readonly httpsAgent: ReturnType<typeof createLoopbackHttpsAgent> | undefined;

  constructor(private readonly settings: PayPalGatewaySettings) {
    const httpsAgent = settings.standIn ? createLoopbackHttpsAgent(settings.standIn) : undefined;
    this.httpsAgent = httpsAgent;
    this.verifier = new PayPalWebhookVerifier({
      webhookId: settings.webhookId,
      certUrlAllowList: settings.certUrlAllowList,
      certificateCommonName: settings.webhookCertificateCommonName,
      trustedCaPem: settings.trustedCaPem ?? settings.standIn?.caPem,
      httpsAgent,
    });
  }

  /** The SDK's client and the two controllers the top-ups use, made on first use. */
  private sdkControllers(): { orders: OrdersController; payments: PaymentsController } {
    if (!this.controllers) {
      const { Client, Environment, OrdersController, PaymentsController } = paypalSdk();
      const settings = this.settings;
      const client = new Client({
        clientCredentialsAuthCredentials: { oAuthClientId: settings.clientId, oAuthClientSecret: settings.clientSecret },
        environment: settings.environment === 'production' ? Environment.Production : Environment.Sandbox,
        timeout: settings.timeoutMs ?? 20_000,
        httpClientOptions: { timeout: settings.timeoutMs ?? 20_000, httpsAgent: this.httpsAgent },
      });
      this.controllers = { orders: new OrdersController(client), payments: new PaymentsController(client) };
    }
    return this.controllers;
  }

  private get orders(): OrdersController {
    return this.sdkControllers().orders;
  }

  private get payments(): PaymentsController {
    return this.sdkControllers().payments;
  }

  async startPayment(request: StartPaymentRequest): Promise<StartedPayment> {
    if (request.currency !== 'USD') {
      throw new DomainError(ErrorCode.PAYMENT_METHOD_UNAVAILABLE, 'PayPal payments are charged in USD only.');
    }
    const order = await this.call('create the PayPal order', () =>
      this.orders.createOrder({
        paypalRequestId: paypalCreateRequestId(request.topUpId),
        prefer: 'return=representation',
        body: {
          intent: paypalSdk().CheckoutPaymentIntent.Capture,
          purchaseUnits: [
            {
              referenceId: request.topUpId,
              customId: request.topUpId,
              description: request.description.slice(0, 127),
              amount: { currencyCode: 'USD', value: formatMinorUnits(request.amountMinor, 2) },
            },
          ],
          paymentSource: {
            paypal: {
              experienceContext: { returnUrl: request.returnUrl, cancelUrl: request.cancelUrl, userAction: paypalSdk().PaypalExperienceUserAction.PayNow },
            },
          },
        },
      }),
    );
    const approval = order.links?.find((link) => link.rel === 'payer-action') ?? order.links?.find((link) => link.rel === 'approve');
    if (!order.id || !approval) {
      throw new DomainError(ErrorCode.PAYMENT_PROVIDER_ERROR, 'PayPal created an order without an approval link.', { provider: PaymentMethod.PAYPAL });
    }
    return { providerReference: order.id, nextAction: { type: NextActionType.REDIRECT_TO_URL, url: approval.href } };
  }

  /** PayPal orders that are never approved expire on their own; there is nothing to cancel. */
  async cancelPayment(): Promise<void> {}

  async capture(orderId: string, topUpId: string): Promise<PaymentEvent> {
    try {
      const response = await this.orders.captureOrder({ id: orderId, paypalRequestId: paypalCaptureRequestId(topUpId), prefer: 'return=representation' });
      return captureEvent(response.result, orderId, topUpId);
    } catch (error) {
      const issue = isApiError(error) && error.statusCode === 422 ? firstIssue(error) : null;
      if (issue === 'ORDER_ALREADY_CAPTURED') {
        const order = await this.call('read the PayPal order', () => this.orders.getOrder({ id: orderId }));
        return captureEvent(order, orderId, topUpId);
      }
      if (issue === 'ORDER_NOT_APPROVED' || issue === 'INSTRUMENT_DECLINED') {
        // Not final: the buyer has not approved yet, or must pick another funding source on
        // PayPal's page (the order's payer-action link) before a new capture can succeed.
        return { ...emptyEvent(orderId, topUpId), eventId: `paypal-capture:${orderId}:${issue}`, outcome: 'REQUIRES_ACTION', reason: issue };
      }
      throw providerError('capture the PayPal order', error);
    }
  }

  /**
   * Refunds part or all of the order's capture (`POST /v2/payments/captures/{id}/refund`), with a
   * PayPal-Request-Id derived from our refund and our refund id in `invoice_id`. A 422 (already
   * refunded, more than is left, a disputed capture) is PayPal's refusal; anything else unknown is thrown.
   */
  async refund(request: RefundRequest): Promise<RefundAnswer> {
    const order = await this.call('read the PayPal order', () => this.orders.getOrder({ id: request.paymentReference }));
    const captureId = order.purchaseUnits?.[0]?.payments?.captures?.[0]?.id;
    if (!captureId) return { providerRefundReference: null, outcome: 'FAILED', reason: 'the order has no capture to refund' };
    try {
      const { result } = await this.payments.refundCapturedPayment({
        captureId,
        paypalRequestId: paypalRefundRequestId(request.refundId),
        prefer: 'return=representation',
        body: {
          amount: { currencyCode: request.currency, value: formatMinorUnits(request.amountMinor, request.currency === 'VND' ? 0 : 2) },
          invoiceId: `${REFUND_INVOICE_PREFIX}${request.refundId}`,
          customId: request.topUpId,
          noteToPayer: 'Refund of your credits purchase',
        },
      });
      return { providerRefundReference: result.id ?? null, outcome: REFUND_OUTCOMES[result.status ?? ''] ?? 'PENDING', reason: result.statusDetails?.reason };
    } catch (error) {
      if (isApiError(error) && error.statusCode === 422)
        return { providerRefundReference: null, outcome: 'FAILED', reason: firstIssue(error) ?? 'UNPROCESSABLE_ENTITY' };
      throw providerError('refund the PayPal capture', error);
    }
  }

  async verifyWebhook(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<PaymentEvent | RefundEvent | null> {
    const event = (await this.verifier.verify(rawBody, headers)) as PayPalWebhookEvent;
    return mapPayPalWebhookEvent(event);
  }

  private async call<T>(what: string, request: () => Promise<{ result: T }>): Promise<T> {
    try {
      return (await request()).result;
    } catch (error) {
      throw providerError(what, error);
    }
  }
}

/** A dispute resource (CUSTOMER.DISPUTE.*): only the fields the top-ups use. */
interface PayPalDisputeResource {
  dispute_id?: string;
  status?: string;
  /** The capture (seller_transaction_id) and the order's custom_id (custom) it is about. */
  disputed_transactions?: { seller_transaction_id?: string; custom?: string }[];
  dispute_amount?: { currency_code?: string; value?: string };
  dispute_outcome?: { outcome_code?: string };
}

/** The JSON PayPal posts; only the fields the top-ups use. */
interface PayPalWebhookEvent {
  id?: string;
  event_type?: string;
  resource?: PayPalDisputeResource & {
    id?: string;
    status?: string;
    custom_id?: string;
    invoice_id?: string;
    amount?: { currency_code?: string; value?: string };
    purchase_units?: { custom_id?: string; amount?: { currency_code?: string; value?: string } }[];
    supplementary_data?: { related_ids?: { order_id?: string } };
    status_details?: { reason?: string };
  };
}

export function mapPayPalWebhookEvent(event: PayPalWebhookEvent): PaymentEvent | RefundEvent | null {
  if (event.event_type === 'CUSTOMER.DISPUTE.RESOLVED') return disputeWonEvent(event);
  const outcome = event.event_type ? WEBHOOK_OUTCOMES[event.event_type] : undefined;
  if (!outcome) return null;
  if (!event.id || !event.resource) throw new WebhookSignatureError('PayPal webhook event without id or resource');
  const resource = event.resource;
  if (event.event_type === 'PAYMENT.CAPTURE.REFUNDED' && resource.invoice_id?.startsWith(REFUND_INVOICE_PREFIX)) {
    return {
      kind: 'REFUND',
      provider: PaymentMethod.PAYPAL,
      eventId: event.id,
      refundId: resource.invoice_id.slice(REFUND_INVOICE_PREFIX.length),
      providerRefundReference: resource.id ?? null,
      outcome: REFUND_OUTCOMES[resource.status ?? ''] ?? 'PENDING',
      reason: resource.status_details?.reason,
    };
  }
  if (event.event_type === 'CHECKOUT.ORDER.APPROVED') {
    const unit = resource.purchase_units?.[0];
    return {
      provider: PaymentMethod.PAYPAL,
      eventId: event.id,
      outcome,
      topUpId: unit?.custom_id ?? null,
      providerReference: resource.id ?? null,
      ...money(unit?.amount),
    };
  }
  return {
    provider: PaymentMethod.PAYPAL,
    eventId: event.id,
    outcome,
    topUpId: resource.custom_id ?? null,
    providerReference: resource.supplementary_data?.related_ids?.order_id ?? null,
    ...money(resource.amount),
    reason: resource.status_details?.reason,
    failureCode: outcome === 'FAILED' ? paypalFailureCode(resource.status) : undefined,
    // One reversal per capture: its win (CUSTOMER.DISPUTE.RESOLVED) names the same capture.
    ...(outcome === 'DISPUTED' && resource.id ? { disputeReference: captureReversalReference(resource.id) } : {}),
  };
}

/**
 * A dispute's life at PayPal: CUSTOMER.DISPUTE.CREATED (nothing moves yet), PAYMENT.CAPTURE.REVERSED
 * when PayPal takes the money back (a chargeback), CUSTOMER.DISPUTE.UPDATED, then
 * CUSTOMER.DISPUTE.RESOLVED: `RESOLVED_SELLER_FAVOUR` cancels the reversal and the money comes back;
 * any other outcome keeps it taken. A win names the capture it is about, so it gives back what
 * that capture's reversal took.
 */
function disputeWonEvent(event: PayPalWebhookEvent): PaymentEvent | null {
  if (!event.id || !event.resource) throw new WebhookSignatureError('PayPal webhook event without id or resource');
  const dispute = event.resource;
  const transaction = dispute.disputed_transactions?.[0];
  if (dispute.dispute_outcome?.outcome_code !== SELLER_WON || !transaction?.seller_transaction_id) return null;
  return {
    provider: PaymentMethod.PAYPAL,
    eventId: event.id,
    outcome: 'DISPUTE_WON',
    topUpId: transaction.custom ?? null,
    providerReference: null,
    disputeReference: captureReversalReference(transaction.seller_transaction_id),
    ...money(dispute.dispute_amount),
    reason: `dispute ${dispute.dispute_id ?? 'unknown'} ${dispute.dispute_outcome.outcome_code}`,
  };
}

const captureReversalReference = (captureId: string) => `capture:${captureId}`;

function captureEvent(order: Order, orderId: string, topUpId: string): PaymentEvent {
  const unit = order.purchaseUnits?.[0];
  const capture: OrdersCapture | undefined = unit?.payments?.captures?.[0];
  if (!capture?.status) {
    return {
      ...emptyEvent(orderId, topUpId),
      eventId: `paypal-capture:${orderId}:${order.status ?? 'unknown'}`,
      outcome: 'PROCESSING',
      reason: `order status ${order.status}`,
    };
  }
  const outcome = CAPTURE_OUTCOMES[capture.status] ?? 'PROCESSING';
  return {
    provider: PaymentMethod.PAYPAL,
    eventId: `paypal-capture:${capture.id}:${capture.status}`,
    outcome,
    topUpId: capture.customId ?? unit?.customId ?? topUpId,
    providerReference: order.id ?? orderId,
    ...money(capture.amount ? { currency_code: capture.amount.currencyCode, value: capture.amount.value } : undefined),
    reason: capture.statusDetails?.reason ?? (outcome === 'SUCCEEDED' ? undefined : capture.status),
    failureCode: outcome === 'FAILED' ? paypalFailureCode(capture.status) : undefined,
  };
}

function emptyEvent(orderId: string, topUpId: string): Omit<PaymentEvent, 'eventId' | 'outcome'> {
  return { provider: PaymentMethod.PAYPAL, topUpId, providerReference: orderId, amountMinor: null, currency: null };
}

function money(amount: { currency_code?: string; value?: string } | undefined): { amountMinor: bigint | null; currency: PaymentCurrency | null } {
  if (!amount?.value || !amount.currency_code) return { amountMinor: null, currency: null };
  const currency = amount.currency_code === 'USD' || amount.currency_code === 'VND' ? amount.currency_code : null;
  // PayPal writes USD with two decimals and VND (a zero-decimal currency) without.
  return { amountMinor: parseMinorUnits(amount.value, currency === 'VND' ? 0 : 2), currency };
}

function firstIssue(error: ApiError): string | null {
  const result = error.result as { details?: { issue?: string }[] } | undefined;
  if (result?.details?.[0]?.issue) return result.details[0].issue;
  try {
    const body = typeof error.body === 'string' ? (JSON.parse(error.body) as { details?: { issue?: string }[] }) : undefined;
    return body?.details?.[0]?.issue ?? null;
  } catch {
    return null;
  }
}

function providerError(what: string, cause: unknown): DomainError {
  if (cause instanceof DomainError) return cause;
  const apiError = isApiError(cause) ? cause : null;
  return new DomainError(ErrorCode.PAYMENT_PROVIDER_ERROR, `Could not ${what}.`, {
    provider: PaymentMethod.PAYPAL,
    providerStatus: apiError?.statusCode ?? null,
    providerCode: apiError ? firstIssue(apiError) : null,
    providerMessage: (cause as Error)?.message ?? String(cause),
  });
}
