import type { ServerResponse } from 'node:http';
import { onFirstUse } from '../../common/on-first-use';
import { type StripeGatewaySettings, stripeSdk } from '../../payments/providers/stripe.gateway';
import { hashRequest } from '../../common/idempotency';
import { formatMinorUnits } from '../../payments/providers/minor-units';
import { HttpStandIn, Router, StandInRequest, WebhookDelivery, escapeHtml, parseForm, postWebhook, providerId, redirect, sendHtml, sendJson } from './http';
import { redirectToPage, STAND_IN_TEST_CARDS, StandInNextAction, StandInPaymentMethod, StripeApiError, StripeCardVault } from './stripe-cards';
import { RefundFailureReason, StandInRefund, StripeRefundBook } from './stripe-refunds';

/**
 * A local stand-in for the part of Stripe's API the top-ups use: PaymentIntents (create with
 * Idempotency-Key replay, retrieve, cancel; off-session confirmation with a saved card), Customers,
 * SetupIntents and PaymentMethods (saved cards, see `stripe-cards.ts`), Refunds (`stripe-refunds.ts`)
 * and signed webhook events,
 * with test-only controls that play the card holder and the issuer. Signatures use the SDK's own
 * `generateTestHeaderString`, i.e. Stripe's real scheme. Test only; never exposed beyond 127.0.0.1.
 */
export interface StripeStandInOptions {
  secretKey?: string;
  webhookSecret?: string;
  /** Where signed events are POSTed. Without it, events are only recorded (see `events`). */
  webhookUrl?: string;
  port?: number;
}

type IntentStatus = 'requires_payment_method' | 'requires_action' | 'processing' | 'succeeded' | 'canceled';

interface StandInIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: IntentStatus;
  client_secret: string;
  metadata: Record<string, string>;
  description: string | null;
  created: number;
  livemode: false;
  automatic_payment_methods: { enabled: boolean } | null;
  last_payment_error: { code: string; decline_code?: string; message: string; type: string; payment_method?: StandInPaymentMethod } | null;
  cancellation_reason: string | null;
  next_action: StandInNextAction | null;
  latest_charge: string | null;
  customer: string | null;
  payment_method: string | null;
}

interface StandInCharge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: boolean;
  currency: string;
  metadata: Record<string, string>;
  paid: boolean;
  payment_intent: string;
  refunded: boolean;
  status: 'succeeded';
  created: number;
}

type DisputeStatus = 'needs_response' | 'under_review' | 'won' | 'lost';

interface StandInBalanceTransaction {
  id: string;
  object: 'balance_transaction';
  amount: number;
  currency: string;
  reporting_category: 'dispute' | 'dispute_reversal';
  type: 'adjustment';
  created: number;
}

interface StandInDispute {
  id: string;
  object: 'dispute';
  amount: number;
  balance_transactions: StandInBalanceTransaction[];
  charge: string;
  currency: string;
  is_charge_refundable: boolean;
  payment_intent: string;
  metadata: Record<string, string>;
  reason: string;
  status: DisputeStatus;
  created: number;
  livemode: false;
}

export interface SignedStripeEvent {
  event: { id: string; type: string; data: { object: unknown } };
  /** The exact bytes that were signed. */
  payload: string;
  /** The `Stripe-Signature` header value. */
  signatureHeader: string;
  /** Present when the event was POSTed to the webhook URL. */
  delivery?: WebhookDelivery;
}

export interface DeliveryOptions {
  /** Default: deliver when a webhook URL is configured. `false` returns the signed event unsent. */
  deliver?: boolean;
}

export const STRIPE_STAND_IN_SECRET_KEY = 'sk_test_stand_in_0000000000000000';
export const STRIPE_STAND_IN_WEBHOOK_SECRET = 'whsec_stand_in_0000000000000000000000';
/** The OTP the stand-in's 3-D Secure page accepts. */
export const STRIPE_STAND_IN_OTP = '123456';

export class StripeStandIn extends HttpStandIn {
  readonly secretKey: string;
  readonly webhookSecret: string;
  webhookUrl: string | undefined;
  /** Every event the stand-in signed, oldest first, delivered or not. */
  readonly events: SignedStripeEvent[] = [];
  private readonly intents = new Map<string, StandInIntent>();
  private readonly charges = new Map<string, StandInCharge>();
  private readonly disputes = new Map<string, StandInDispute>();
  private readonly idempotency = new Map<string, { requestHash: string; status: number; body: unknown }>();
  /** Keys whose first request is still running: Stripe answers a concurrent one 409 (the SDK retries it). */
  private readonly keysInProgress = new Set<string>();
  /** Customers, SetupIntents and saved PaymentMethods. */
  readonly cards = new StripeCardVault();
  /** Refunds made through the API (`POST /v1/refunds`). */
  readonly refunds = new StripeRefundBook();
  /** The SDK's client that signs the webhooks (Stripe's own scheme), made with the first signature. */
  private readonly signer = onFirstUse(() => {
    const StripeClient = stripeSdk();
    return new StripeClient('sk_test_signer_only');
  });

  constructor(options: StripeStandInOptions = {}) {
    super();
    this.secretKey = options.secretKey ?? STRIPE_STAND_IN_SECRET_KEY;
    this.webhookSecret = options.webhookSecret ?? STRIPE_STAND_IN_WEBHOOK_SECRET;
    this.webhookUrl = options.webhookUrl;
  }

  /** What `StripePaymentGateway` needs to talk to this stand-in. */
  gatewaySettings(): StripeGatewaySettings {
    return { secretKey: this.secretKey, webhookSecret: this.webhookSecret, api: { host: '127.0.0.1', port: this.port, protocol: 'http' } };
  }

  /** The card page a person (or a demo SPA) opens to pay an intent. */
  checkoutPageUrl(intentId: string, returnUrl?: string): string {
    const url = new URL(`${this.url}/_stand-in/checkout/${encodeURIComponent(intentId)}`);
    if (returnUrl && /^https?:\/\//.test(returnUrl)) url.searchParams.set('return_url', returnUrl);
    return url.toString();
  }

  /** The page where a person saves a card for a SetupIntent (what Stripe.js's card element does). */
  setupPageUrl(setupIntentId: string, returnUrl?: string): string {
    const url = new URL(`${this.url}/_stand-in/setup/${encodeURIComponent(setupIntentId)}`);
    if (returnUrl && /^https?:\/\//.test(returnUrl)) url.searchParams.set('return_url', returnUrl);
    return url.toString();
  }

  getIntent(intentId: string): Readonly<StandInIntent> | undefined {
    return this.intents.get(intentId);
  }

  findIntentByTopUpId(topUpId: string): Readonly<StandInIntent> | undefined {
    return [...this.intents.values()].find((intent) => intent.metadata.topUpId === topUpId);
  }

  // ---- Controls: the card holder and the issuer -------------------------------------------

  /** The issuer asks for 3-D Secure: status `requires_action`, event `payment_intent.requires_action`. */
  requireAction(intentId: string, options?: DeliveryOptions): Promise<SignedStripeEvent> {
    const intent = this.intentInStatus(intentId, ['requires_payment_method', 'requires_action']);
    intent.status = 'requires_action';
    intent.next_action = { type: 'use_stripe_sdk' };
    return this.emit('payment_intent.requires_action', intent, options);
  }

  processing(intentId: string, options?: DeliveryOptions): Promise<SignedStripeEvent> {
    const intent = this.intentInStatus(intentId, ['requires_payment_method', 'requires_action']);
    intent.status = 'processing';
    intent.next_action = null;
    return this.emit('payment_intent.processing', intent, options);
  }

  /** The payment goes through: a charge is created and `payment_intent.succeeded` is sent. */
  succeed(intentId: string, options?: DeliveryOptions): Promise<SignedStripeEvent> {
    const intent = this.intentInStatus(intentId, ['requires_payment_method', 'requires_action', 'processing']);
    this.charge(intent);
    return this.emit('payment_intent.succeeded', intent, options);
  }

  /** The card holder saves a card on a SetupIntent (`card`: a test card number), or answers its 3-D Secure with `otp`. */
  confirmSetup(setupIntentId: string, input: { card?: string; otp?: string }, options?: DeliveryOptions): Promise<SignedStripeEvent> {
    const change = this.cards.confirmSetup(setupIntentId, input, STRIPE_STAND_IN_OTP);
    return this.emit(change.type, change.object, options);
  }

  private charge(intent: StandInIntent): void {
    const charge: StandInCharge = {
      id: providerId('ch_'),
      object: 'charge',
      amount: intent.amount,
      amount_captured: intent.amount,
      amount_refunded: 0,
      captured: true,
      currency: intent.currency,
      metadata: { ...intent.metadata },
      paid: true,
      payment_intent: intent.id,
      refunded: false,
      status: 'succeeded',
      created: nowSeconds(),
    };
    this.charges.set(charge.id, charge);
    Object.assign(intent, { status: 'succeeded', amount_received: intent.amount, latest_charge: charge.id, next_action: null, last_payment_error: null });
  }

  /** The card is declined: back to `requires_payment_method` with `last_payment_error`. */
  fail(intentId: string, options?: DeliveryOptions & { declineCode?: string }): Promise<SignedStripeEvent> {
    const intent = this.intentInStatus(intentId, ['requires_payment_method', 'requires_action', 'processing']);
    this.decline(intent, {
      type: 'card_error',
      code: 'card_declined',
      decline_code: options?.declineCode ?? 'generic_decline',
      message: 'Your card was declined.',
    });
    return this.emit('payment_intent.payment_failed', intent, options);
  }

  /**
   * The card holder did not pass 3-D Secure (a wrong code): as Stripe does, the intent goes back to
   * `requires_payment_method` with `payment_intent_authentication_failure`, and the same intent can
   * be confirmed again (here: the card page offers its buttons again).
   */
  failAuthentication(intentId: string, options?: DeliveryOptions): Promise<SignedStripeEvent> {
    const intent = this.intentInStatus(intentId, ['requires_action']);
    this.decline(intent, {
      type: 'invalid_request_error',
      code: 'payment_intent_authentication_failure',
      message: 'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
    });
    return this.emit('payment_intent.payment_failed', intent, options);
  }

  /** Back to waiting for a card: the card holder may try again on the card page (off-session: must come back to it). */
  private decline(intent: StandInIntent, error: NonNullable<StandInIntent['last_payment_error']>): void {
    Object.assign(intent, { status: 'requires_payment_method', next_action: redirectToPage(this.checkoutPageUrl(intent.id)), last_payment_error: error });
  }

  /**
   * A refund made in Stripe's dashboard (no metadata of ours): part or all of the intent's charge;
   * `charge.refunded` carries the cumulative amount, refunds made through the API included.
   */
  refund(intentId: string, options?: DeliveryOptions & { amountMinor?: number }): Promise<SignedStripeEvent> {
    const charge = this.chargeOf(intentId);
    this.refunds.create(charge, { amount: options?.amountMinor });
    return this.emit('charge.refunded', charge, options);
  }

  /**
   * The card network settles a refund made through the API: `refund.updated` when it succeeded,
   * `refund.failed` when it failed (its amount goes back to the charge).
   */
  settleRefund(
    refundId: string,
    outcome: 'succeeded' | 'failed',
    options?: DeliveryOptions & { failureReason?: RefundFailureReason },
  ): Promise<SignedStripeEvent> {
    const refund = this.refunds.get(refundId);
    this.refunds.settle(refundId, outcome, this.chargeOf(refund.payment_intent), options?.failureReason);
    return this.emit(outcome === 'failed' ? 'refund.failed' : 'refund.updated', refund, options);
  }

  /**
   * The card holder disputes the charge: `charge.dispute.created` for the full amount, status
   * `needs_response`. At Stripe the money is withdrawn at once: `fundsWithdrawn` sends that event.
   */
  dispute(intentId: string, options?: DeliveryOptions): Promise<SignedStripeEvent> {
    const charge = this.chargeOf(intentId);
    const dispute: StandInDispute = {
      id: providerId('dp_'),
      object: 'dispute',
      amount: charge.amount,
      balance_transactions: [],
      charge: charge.id,
      currency: charge.currency,
      is_charge_refundable: false,
      payment_intent: charge.payment_intent,
      // Like Stripe: a dispute's metadata is its own and starts empty; match it by payment_intent.
      metadata: {},
      reason: 'fraudulent',
      status: 'needs_response',
      created: nowSeconds(),
      livemode: false,
    };
    this.disputes.set(dispute.id, dispute);
    return this.emit('charge.dispute.created', dispute, options);
  }

  /** The disputed amount (and Stripe's fee, not modelled) leaves the balance: `charge.dispute.funds_withdrawn`. */
  fundsWithdrawn(disputeId: string, options?: DeliveryOptions): Promise<SignedStripeEvent> {
    const dispute = this.disputeInStatus(disputeId, ['needs_response', 'under_review']);
    if (dispute.balance_transactions.length === 0) dispute.balance_transactions.push(this.balanceTransaction(dispute, -dispute.amount, 'dispute'));
    return this.emit('charge.dispute.funds_withdrawn', dispute, options);
  }

  /**
   * The card network decides: `charge.dispute.closed` with status `won` or `lost`; a win then
   * returns the money, `charge.dispute.funds_reinstated`. Both events are returned, in order.
   */
  async closeDispute(disputeId: string, outcome: 'won' | 'lost', options?: DeliveryOptions): Promise<SignedStripeEvent[]> {
    const dispute = this.disputeInStatus(disputeId, ['needs_response', 'under_review']);
    dispute.status = outcome;
    const closed = await this.emit('charge.dispute.closed', dispute, options);
    if (outcome === 'lost') return [closed];
    dispute.balance_transactions.push(this.balanceTransaction(dispute, dispute.amount, 'dispute_reversal'));
    return [closed, await this.emit('charge.dispute.funds_reinstated', dispute, options)];
  }

  getDispute(disputeId: string): Readonly<StandInDispute> | undefined {
    return this.disputes.get(disputeId);
  }

  private disputeInStatus(disputeId: string, allowed: DisputeStatus[]): StandInDispute {
    const dispute = this.disputes.get(disputeId);
    if (!dispute) {
      throw new StripeApiError(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'dispute', message: `No such dispute: '${disputeId}'` });
    }
    if (!allowed.includes(dispute.status)) {
      throw new StripeApiError(400, { type: 'invalid_request_error', message: `This dispute is already ${dispute.status}.` });
    }
    return dispute;
  }

  private balanceTransaction(dispute: StandInDispute, amount: number, category: StandInBalanceTransaction['reporting_category']): StandInBalanceTransaction {
    return {
      id: providerId('txn_'),
      object: 'balance_transaction',
      amount,
      currency: dispute.currency,
      reporting_category: category,
      type: 'adjustment',
      created: nowSeconds(),
    };
  }

  /** Signs any payload with the endpoint secret; `timestamp` (seconds) lets tests forge an old one. */
  sign(payload: string, options: { timestamp?: number; secret?: string } = {}): string {
    return this.signer().webhooks.generateTestHeaderString({ payload, secret: options.secret ?? this.webhookSecret, timestamp: options.timestamp });
  }

  /** POSTs a signed event (possibly tampered with by a test) to the webhook URL. */
  async deliver(signed: Pick<SignedStripeEvent, 'payload' | 'signatureHeader'>, url = this.webhookUrl): Promise<WebhookDelivery> {
    if (!url) throw new Error('the Stripe stand-in has no webhook URL to deliver to');
    return postWebhook(url, signed.payload, { 'stripe-signature': signed.signatureHeader });
  }

  private async emit(type: string, object: object, options?: DeliveryOptions): Promise<SignedStripeEvent> {
    const event = {
      id: providerId('evt_'),
      object: 'event',
      api_version: '2026-10-28.endive',
      created: nowSeconds(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
    const payload = JSON.stringify(event, null, 2);
    const signed: SignedStripeEvent = { event, payload, signatureHeader: this.sign(payload) };
    this.events.push(signed);
    const deliver = options?.deliver ?? this.webhookUrl !== undefined;
    if (deliver) signed.delivery = await this.deliver(signed);
    return signed;
  }

  private intentInStatus(intentId: string, allowed: IntentStatus[]): StandInIntent {
    const intent = this.intents.get(intentId);
    if (!intent) throw missing(intentId);
    if (!allowed.includes(intent.status)) {
      throw new StripeApiError(400, {
        type: 'invalid_request_error',
        code: 'payment_intent_unexpected_state',
        message: `This PaymentIntent's status is ${intent.status}; this action needs one of: ${allowed.join(', ')}.`,
      });
    }
    return intent;
  }

  private chargeOf(intentId: string): StandInCharge {
    const intent = this.intents.get(intentId);
    if (!intent) throw missing(intentId);
    const charge = intent.latest_charge ? this.charges.get(intent.latest_charge) : undefined;
    if (!charge) {
      throw new StripeApiError(400, {
        type: 'invalid_request_error',
        code: 'charge_not_found',
        message: `PaymentIntent ${intentId} has no successful charge.`,
      });
    }
    return charge;
  }

  // ---- Wire protocol -----------------------------------------------------------------------

  protected routes(): Router {
    const api =
      (handler: (request: StandInRequest) => { status: number; body: unknown } | Promise<{ status: number; body: unknown }>) =>
      async (request: StandInRequest, response: ServerResponse) => {
        try {
          if (request.headers.authorization !== `Bearer ${this.secretKey}`) {
            throw new StripeApiError(401, { type: 'invalid_request_error', message: 'Invalid API Key provided.' });
          }
          const result = await handler(request);
          sendJson(response, result.status, result.body, { 'request-id': providerId('req_') });
        } catch (error) {
          sendStripeError(response, error);
        }
      };
    return new Router()
      .add(
        'POST',
        '/v1/payment_intents',
        api((request) => this.idempotent(request, (params) => this.createIntent(params))),
      )
      .add(
        'POST',
        '/v1/refunds',
        api((request) => this.idempotent(request, (params) => this.createRefund(params))),
      )
      .add(
        'GET',
        '/v1/refunds/:id',
        api((request) => ({ status: 200, body: this.refunds.get(request.params.id) })),
      )
      .add(
        'GET',
        '/v1/payment_intents/:id',
        api((request) => ({ status: 200, body: this.existingIntent(request.params.id) })),
      )
      .add(
        'POST',
        '/v1/payment_intents/:id/cancel',
        api((request) => this.cancelIntent(request)),
      )
      .add(
        'POST',
        '/v1/customers',
        api((request) => this.idempotent(request, (params) => ({ status: 200, body: this.cards.createCustomer(params) }))),
      )
      .add(
        'GET',
        '/v1/customers/:id',
        api((request) => ({ status: 200, body: this.cards.customer(request.params.id) })),
      )
      .add(
        'POST',
        '/v1/setup_intents',
        api((request) =>
          this.idempotent(request, (params) => {
            const setupIntent = this.cards.createSetupIntent(params);
            setupIntent.next_action = redirectToPage(this.setupPageUrl(setupIntent.id));
            return { status: 200, body: setupIntent };
          }),
        ),
      )
      .add(
        'GET',
        '/v1/setup_intents/:id',
        api((request) => ({ status: 200, body: this.cards.setupIntent(request.params.id) })),
      )
      .add(
        'POST',
        '/v1/payment_methods/:id/detach',
        api((request) => ({ status: 200, body: this.cards.detach(request.params.id) })),
      )
      .add(
        'GET',
        '/v1/payment_methods/:id',
        api((request) => ({ status: 200, body: this.cards.paymentMethod(request.params.id) })),
      )
      .add('GET', '/_stand-in/setup', (request, response) => this.setupBySecret(request, response))
      .add('GET', '/_stand-in/setup/:id', (request, response) =>
        sendHtml(response, 200, this.setupPage(request.params.id, request.url.searchParams.get('return_url') ?? undefined)),
      )
      .add('POST', '/_stand-in/setup_intents/:id/confirm', (request, response) => this.setupControl(request, response))
      .add('GET', '/_stand-in/checkout', (request, response) => this.checkoutBySecret(request, response))
      .add('GET', '/_stand-in/checkout/:id', (request, response) =>
        sendHtml(response, 200, this.checkoutPage(request.params.id, request.url.searchParams.get('return_url') ?? undefined)),
      )
      .add('GET', '/_stand-in/events', (_request, response) => sendJson(response, 200, this.events))
      .add('POST', '/_stand-in/payment_intents/:id/:action', (request, response) => this.control(request, response))
      .add('POST', '/_stand-in/refunds/:id/:outcome', (request, response) => this.refundControl(request, response))
      .add('POST', '/_stand-in/disputes/:id/:action', (request, response) => this.disputeControl(request, response));
  }

  /**
   * Stripe's idempotency: the first answer to a key (errors included) is replayed for the same
   * parameters; other parameters under that key are refused.
   */
  private async idempotent(
    request: StandInRequest,
    create: (params: Record<string, unknown>) => { status: number; body: unknown } | Promise<{ status: number; body: unknown }>,
  ): Promise<{ status: number; body: unknown }> {
    const params = parseBracketForm(request.rawBody);
    const key = header(request, 'idempotency-key');
    const requestHash = hashRequest({ path: request.url.pathname, params });
    const earlier = key ? this.idempotency.get(key) : undefined;
    if (earlier) {
      if (earlier.requestHash !== requestHash) {
        throw new StripeApiError(400, {
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        });
      }
      return { status: earlier.status, body: earlier.body };
    }
    if (key && this.keysInProgress.has(key)) {
      throw new StripeApiError(409, {
        type: 'invalid_request_error',
        code: 'idempotency_key_in_use',
        message: `There is currently another in-progress request using this Idempotent Key: ${key}. Please try again later.`,
      });
    }
    // A request refused by validation (thrown) is not stored, as at Stripe; a card error (402) is.
    if (key) this.keysInProgress.add(key);
    let result: { status: number; body: unknown };
    try {
      result = await create(params);
    } finally {
      if (key) this.keysInProgress.delete(key);
    }
    if (key) this.idempotency.set(key, { requestHash, status: result.status, body: structuredClone(result.body) });
    if (result.status >= 400) {
      const body = (result.body as { error: StripeApiError['body'] }).error;
      throw new StripeApiError(result.status, body);
    }
    return { status: result.status, body: result.body };
  }

  private async createIntent(params: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    const amount = Number(params.amount);
    if (!Number.isSafeInteger(amount) || amount < 50) {
      throw new StripeApiError(400, { type: 'invalid_request_error', code: 'amount_too_small', param: 'amount', message: 'Amount must be at least $0.50 usd' });
    }
    if (typeof params.currency !== 'string') {
      throw new StripeApiError(400, {
        type: 'invalid_request_error',
        code: 'parameter_missing',
        param: 'currency',
        message: 'Missing required param: currency.',
      });
    }
    const id = providerId('pi_');
    const intent: StandInIntent = {
      id,
      object: 'payment_intent',
      amount,
      amount_received: 0,
      currency: params.currency,
      status: 'requires_payment_method',
      client_secret: `${id}_secret_${providerId('')}`,
      metadata: isRecord(params.metadata) ? (params.metadata as Record<string, string>) : {},
      description: typeof params.description === 'string' ? params.description : null,
      created: nowSeconds(),
      livemode: false,
      automatic_payment_methods: isRecord(params.automatic_payment_methods) ? { enabled: params.automatic_payment_methods.enabled === 'true' } : null,
      last_payment_error: null,
      cancellation_reason: null,
      next_action: redirectToPage(this.checkoutPageUrl(id)),
      latest_charge: null,
      customer: typeof params.customer === 'string' ? params.customer : null,
      payment_method: typeof params.payment_method === 'string' ? params.payment_method : null,
    };
    if (params.confirm === 'true' && params.off_session === 'true') return this.confirmOffSession(intent);
    this.intents.set(id, intent);
    return { status: 200, body: structuredClone(intent) };
  }

  /**
   * `confirm: true, off_session: true` with a saved card, as Stripe answers it: succeeded (200), or
   * a 402 card error whose `payment_intent` is back at `requires_payment_method` — code
   * `card_declined`, or `authentication_required` when the issuer wants 3-D Secure, which needs the
   * customer back on-session (they confirm this same intent with its client secret). The webhook
   * event follows the answer.
   */
  private async confirmOffSession(intent: StandInIntent): Promise<{ status: number; body: unknown }> {
    const { behaviour, paymentMethod } = this.cards.offSessionBehaviour(intent.customer, intent.payment_method);
    this.intents.set(intent.id, intent);
    if (behaviour === 'succeed') {
      this.charge(intent);
      await this.emit('payment_intent.succeeded', intent);
      return { status: 200, body: structuredClone(intent) };
    }
    const error =
      behaviour === 'authentication_required'
        ? {
            code: 'authentication_required',
            decline_code: 'authentication_required',
            message: 'Your card was declined. This transaction requires authentication.',
          }
        : { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' };
    this.decline(intent, { type: 'card_error', ...error, payment_method: paymentMethod });
    await this.emit('payment_intent.payment_failed', intent);
    return { status: 402, body: { error: { type: 'card_error', ...error, payment_intent: structuredClone(intent), payment_method: paymentMethod } } };
  }

  /**
   * `POST /v1/refunds` with `payment_intent` (and `amount`, `reason`, `metadata`): refunds that
   * intent's charge as Stripe does, answering the Refund (`pending` here) after sending
   * `refund.created` and `charge.refunded` (the charge's cumulative `amount_refunded`).
   */
  private async createRefund(params: Record<string, unknown>): Promise<{ status: number; body: StandInRefund }> {
    if (typeof params.payment_intent !== 'string') {
      throw new StripeApiError(400, {
        type: 'invalid_request_error',
        code: 'parameter_missing',
        param: 'payment_intent',
        message: 'Missing required param: payment_intent.',
      });
    }
    const charge = this.chargeOf(params.payment_intent);
    const refund = this.refunds.create(charge, params);
    await this.emit('refund.created', refund);
    await this.emit('charge.refunded', charge);
    return { status: 200, body: structuredClone(refund) };
  }

  private async refundControl(request: StandInRequest, response: ServerResponse): Promise<void> {
    const form = parseForm(request.rawBody);
    const outcome = request.params.outcome;
    if (outcome !== 'succeeded' && outcome !== 'failed') return sendJson(response, 404, { error: { message: `unknown refund outcome ${outcome}` } });
    const options = deliveryOptionsOf(request, form);
    try {
      sendJson(response, 200, await this.settleRefund(request.params.id, outcome, options));
    } catch (error) {
      sendStripeError(response, error);
    }
  }

  private existingIntent(intentId: string): StandInIntent {
    const intent = this.intents.get(intentId);
    if (!intent) throw missing(intentId);
    return intent;
  }

  private async cancelIntent(request: StandInRequest): Promise<{ status: number; body: unknown }> {
    const intent = this.intents.get(request.params.id);
    if (!intent) throw missing(request.params.id);
    if (intent.status === 'succeeded' || intent.status === 'canceled') {
      throw new StripeApiError(400, {
        type: 'invalid_request_error',
        code: 'payment_intent_unexpected_state',
        message: `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`,
      });
    }
    const reason = parseBracketForm(request.rawBody).cancellation_reason;
    Object.assign(intent, { status: 'canceled', cancellation_reason: typeof reason === 'string' ? reason : 'requested_by_customer', next_action: null });
    await this.emit('payment_intent.canceled', intent);
    return { status: 200, body: structuredClone(intent) };
  }

  private async control(request: StandInRequest, response: ServerResponse): Promise<void> {
    const form = parseForm(request.rawBody);
    const intentId = request.params.id;
    const options = deliveryOptionsOf(request, form);
    const actions: Record<string, () => Promise<SignedStripeEvent>> = {
      requires_action: () => this.requireAction(intentId, options),
      processing: () => this.processing(intentId, options),
      succeed: () => this.succeed(intentId, options),
      fail: () => this.fail(intentId, options),
      refund: () => this.refund(intentId, { ...options, amountMinor: form.amount ? Number(form.amount) : undefined }),
      dispute: () => this.dispute(intentId, options),
      otp: () => (form.otp === STRIPE_STAND_IN_OTP ? this.succeed(intentId, options) : this.failAuthentication(intentId, options)),
    };
    const action = actions[request.params.action];
    if (!action) return sendJson(response, 404, { error: { message: `unknown control ${request.params.action}` } });
    try {
      const signed = await action();
      if (form.page === '1') return redirect(response, this.checkoutPageUrl(intentId, form.return_url));
      sendJson(response, 200, signed);
    } catch (error) {
      sendStripeError(response, error);
    }
  }

  /** `funds_withdrawn`, `won` or `lost` on a dispute; answers the signed events. */
  private async disputeControl(request: StandInRequest, response: ServerResponse): Promise<void> {
    const form = parseForm(request.rawBody);
    const deliverParam = request.url.searchParams.get('deliver') ?? form.deliver;
    const options: DeliveryOptions = deliverParam === undefined || deliverParam === null ? {} : { deliver: deliverParam !== 'false' };
    const disputeId = request.params.id;
    const actions: Record<string, () => Promise<SignedStripeEvent[]>> = {
      funds_withdrawn: async () => [await this.fundsWithdrawn(disputeId, options)],
      won: () => this.closeDispute(disputeId, 'won', options),
      lost: () => this.closeDispute(disputeId, 'lost', options),
    };
    const action = actions[request.params.action];
    if (!action) return sendJson(response, 404, { error: { message: `unknown control ${request.params.action}` } });
    try {
      sendJson(response, 200, await action());
    } catch (error) {
      sendStripeError(response, error);
    }
  }

  private async setupControl(request: StandInRequest, response: ServerResponse): Promise<void> {
    const form = parseForm(request.rawBody);
    const options = deliveryOptionsOf(request, form);
    try {
      const signed = await this.confirmSetup(request.params.id, { card: form.card, otp: form.otp }, options);
      if (form.page === '1') return redirect(response, this.setupPageUrl(request.params.id, form.return_url));
      sendJson(response, 200, signed);
    } catch (error) {
      sendStripeError(response, error);
    }
  }

  private setupBySecret(request: StandInRequest, response: ServerResponse): void {
    const intent = this.cards.setupIntentBySecret(request.url.searchParams.get('client_secret'));
    if (!intent) return sendHtml(response, 404, '<p>No card setup with this client secret.</p>');
    redirect(response, this.setupPageUrl(intent.id, request.url.searchParams.get('return_url') ?? undefined));
  }

  /** What Stripe.js's card element would show for a SetupIntent: the test cards, then 3-D Secure when asked. */
  private setupPage(setupIntentId: string, returnUrl?: string): string {
    let intent;
    try {
      intent = this.cards.setupIntent(setupIntentId);
    } catch {
      return page('Unknown card setup', '<p>There is no such card setup.</p>');
    }
    const form = (fields: string, label: string) =>
      `<form method="post" action="/_stand-in/setup_intents/${escapeHtml(intent.id)}/confirm"><input type="hidden" name="page" value="1">` +
      (returnUrl ? `<input type="hidden" name="return_url" value="${escapeHtml(returnUrl)}">` : '') +
      `${fields}<button>${label}</button></form>`;
    let body = `<p>Save a card for later payments — status: <b>${escapeHtml(intent.status)}</b></p>`;
    if (intent.last_setup_error) body += `<p class="error">${escapeHtml(intent.last_setup_error.message)}</p>`;
    if (intent.status === 'requires_payment_method') {
      const options = STAND_IN_TEST_CARDS.map((card) => `<option value="${card.number}">${escapeHtml(card.label)}</option>`).join('');
      body += form(`<select name="card">${options}</select> `, 'Save card');
    } else if (intent.status === 'requires_action') {
      body += `<p>Your bank sent a one-time code (stand-in: ${STRIPE_STAND_IN_OTP}).</p>` + form('<input name="otp" autocomplete="one-time-code">', 'Confirm');
    } else {
      body += `<p>The card is saved${intent.payment_method ? ` (${escapeHtml(intent.payment_method)})` : ''}.</p>`;
      if (returnUrl && /^https?:\/\//.test(returnUrl)) body += `<p><a href="${escapeHtml(returnUrl)}">Back to the console</a></p>`;
    }
    return page('Save a card (Stripe stand-in)', body);
  }

  private checkoutBySecret(request: StandInRequest, response: ServerResponse): void {
    const secret = request.url.searchParams.get('client_secret');
    const intent = [...this.intents.values()].find((candidate) => candidate.client_secret === secret);
    if (!intent) return sendHtml(response, 404, '<p>No payment with this client secret.</p>');
    redirect(response, this.checkoutPageUrl(intent.id, request.url.searchParams.get('return_url') ?? undefined));
  }

  /** What Stripe.js and the issuer's 3-D Secure page would show, as three buttons. */
  private checkoutPage(intentId: string, returnUrl?: string): string {
    const intent = this.intents.get(intentId);
    if (!intent) return page('Unknown payment', '<p>There is no such payment.</p>');
    const action = (name: string, label: string, extra = '') =>
      `<form method="post" action="/_stand-in/payment_intents/${escapeHtml(intent.id)}/${name}"><input type="hidden" name="page" value="1">` +
      (returnUrl ? `<input type="hidden" name="return_url" value="${escapeHtml(returnUrl)}">` : '') +
      `${extra}<button>${label}</button></form>`;
    const amount = `${formatMinorUnits(BigInt(intent.amount), 2)} ${intent.currency.toUpperCase()}`;
    let body = `<p>Amount: <b>${escapeHtml(amount)}</b> — status: <b>${escapeHtml(intent.status)}</b></p>`;
    if (intent.last_payment_error) body += `<p class="error">${escapeHtml(intent.last_payment_error.message)}</p>`;
    if (intent.status === 'requires_payment_method') {
      body += action('succeed', 'Pay') + action('requires_action', 'Pay with 3-D Secure (OTP)') + action('fail', 'Decline');
    } else if (intent.status === 'requires_action') {
      body +=
        `<p>Your bank sent a one-time code (stand-in: ${STRIPE_STAND_IN_OTP}).</p>` +
        action('otp', 'Confirm', '<input name="otp" autocomplete="one-time-code">');
    } else {
      body += '<p>This payment is finished.</p>';
      if (returnUrl && /^https?:\/\//.test(returnUrl)) body += `<p><a href="${escapeHtml(returnUrl)}">Back to the console</a></p>`;
    }
    return page('Card payment (Stripe stand-in)', body);
  }
}

/** A control's `deliver` choice: `?deliver=false` or a form field `deliver=false` returns the signed event unsent. */
function deliveryOptionsOf(request: StandInRequest, form: Record<string, string>): DeliveryOptions {
  const deliver = request.url.searchParams.get('deliver') ?? form.deliver;
  return deliver === undefined || deliver === null ? {} : { deliver: deliver !== 'false' };
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p><small>Test stand-in: no real card is charged.</small></p>${body}</body></html>`;
}

/** Stripe's form encoding: `metadata[topUpId]=x` becomes `{ metadata: { topUpId: 'x' } }`. */
export function parseBracketForm(rawBody: Buffer): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(rawBody.toString('utf8'))) {
    const path = key.split(/[[\]]+/).filter(Boolean);
    let target = result;
    path.slice(0, -1).forEach((segment) => {
      if (!isRecord(target[segment])) target[segment] = {};
      target = target[segment] as Record<string, unknown>;
    });
    target[path[path.length - 1]] = value;
  }
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function header(request: StandInRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function missing(intentId: string): StripeApiError {
  return new StripeApiError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    param: 'intent',
    message: `No such payment_intent: '${intentId}'`,
  });
}

function sendStripeError(response: ServerResponse, error: unknown): void {
  if (error instanceof StripeApiError) return sendJson(response, error.status, { error: error.body });
  sendJson(response, 500, { error: { type: 'api_error', message: (error as Error).message } });
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
