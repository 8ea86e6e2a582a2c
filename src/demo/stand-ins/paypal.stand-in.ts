import { randomUUID, sign as signMessage } from 'node:crypto';
import http, { ServerResponse } from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import type { PayPalGatewaySettings } from '../../payments/providers/paypal.gateway';
import { formatMinorUnits, parseMinorUnits } from '../../payments/providers/minor-units';
import {
  close,
  escapeHtml,
  listen,
  parseForm,
  parseJson,
  postWebhook,
  providerId,
  redirect,
  Router,
  sendHtml,
  sendJson,
  StandInRequest,
  WebhookDelivery,
} from './http';
import { StandInCertificates, standInCertificates } from './test-certificates';

/**
 * A local stand-in for PayPal's Orders v2 API (OAuth client credentials, create with
 * PayPal-Request-Id replay, get, capture with PayPal's 422 issues), its approval page, and its
 * certificate-signed webhooks. The API listens over HTTPS with a throw-away test CA, because the
 * SDK only speaks HTTPS to its own hosts and is routed here by a loopback agent. The approval page
 * and the test controls listen on a second, plain-HTTP port a browser can open. Test only.
 */
export interface PayPalStandInOptions {
  clientId?: string;
  clientSecret?: string;
  webhookId?: string;
  /** Where signed webhooks are POSTed; without it they are only recorded. */
  webhookUrl?: string;
  /** The TLS name of the API (also the host of the certificate URL). */
  serverName?: string;
  signingCommonName?: string;
}

/** INSTRUMENT_DECLINED: the capture is refused with 422 and the buyer must choose another funding source. */
export type CaptureStatus = 'COMPLETED' | 'PENDING' | 'DECLINED' | 'INSTRUMENT_DECLINED';

interface Money {
  currency_code: string;
  value: string;
}

interface StandInCapture {
  id: string;
  status: string;
  amount: Money;
  final_capture: true;
  custom_id: string;
  status_details?: { reason: string };
  supplementary_data: { related_ids: { order_id: string } };
  create_time: string;
  update_time: string;
}

/** A capture refund, as PayPal answers it and sends it in PAYMENT.CAPTURE.REFUNDED. */
interface StandInRefund {
  id: string;
  status: 'COMPLETED' | 'PENDING';
  amount: Money;
  custom_id: string;
  invoice_id?: string;
  note_to_payer?: string;
  create_time: string;
  update_time: string;
}

/** A dispute as the Disputes API shows it (the fields a webhook listener reads). */
interface StandInDispute {
  dispute_id: string;
  create_time: string;
  update_time: string;
  disputed_transactions: { seller_transaction_id: string; custom: string; create_time: string; transaction_status: string; gross_amount: Money }[];
  reason: 'UNAUTHORISED';
  status: 'OPEN' | 'UNDER_REVIEW' | 'RESOLVED';
  dispute_amount: Money;
  dispute_life_cycle_stage: 'CHARGEBACK';
  dispute_channel: 'EXTERNAL';
  dispute_outcome?: { outcome_code: 'RESOLVED_SELLER_FAVOUR' | 'RESOLVED_BUYER_FAVOUR'; amount_refunded?: Money };
}

interface StandInOrder {
  id: string;
  intent: 'CAPTURE';
  status: 'CREATED' | 'PAYER_ACTION_REQUIRED' | 'APPROVED' | 'COMPLETED';
  create_time: string;
  update_time: string;
  purchase_units: {
    reference_id: string;
    custom_id: string;
    description?: string;
    amount: Money;
    payments?: { captures: StandInCapture[]; refunds?: StandInRefund[] };
  }[];
  payment_source?: { paypal: Record<string, unknown> };
  payer?: { payer_id: string; email_address: string; name: { given_name: string; surname: string } };
  /** Not on the wire: where the buyer goes back to. */
  experience: { return_url?: string; cancel_url?: string };
  refundedMinor: bigint;
}

export interface SignedPayPalWebhook {
  event: { id: string; event_type: string; resource: unknown };
  /** The exact bytes that were signed. */
  rawBody: string;
  /** PAYPAL-TRANSMISSION-ID/-TIME/-SIG, PAYPAL-CERT-URL, PAYPAL-AUTH-ALGO (lower-case names). */
  headers: Record<string, string>;
  delivery?: WebhookDelivery;
}

export interface PayPalDeliveryOptions {
  /** Default: deliver when a webhook URL is configured; `false` returns the signed webhook unsent. */
  deliver?: boolean;
}

export interface SigningOptions {
  /** Sign with the self-signed "rogue" certificate and point the cert URL at it. */
  rogueCertificate?: boolean;
  /** Put any URL in PAYPAL-CERT-URL (e.g. one that is not on the allow-list). */
  certUrl?: string;
  transmissionTime?: Date;
}

export const PAYPAL_STAND_IN_CLIENT_ID = 'stand-in-client-id';
export const PAYPAL_STAND_IN_CLIENT_SECRET = 'stand-in-client-secret';
export const PAYPAL_STAND_IN_WEBHOOK_ID = 'WH-STAND-IN-0000000000';
export const PAYPAL_STAND_IN_SERVER_NAME = 'api.paypal.stand-in.test';
export const PAYPAL_STAND_IN_SIGNING_COMMON_NAME = 'webhook-signing.paypal.stand-in.test';
const CERT_PATH_PREFIX = '/v1/notifications/certs/';

class PayPalApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message ?? body.error_description));
  }
}

export class PayPalStandIn {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly webhookId: string;
  readonly serverName: string;
  readonly signingCommonName: string;
  webhookUrl: string | undefined;
  /** Every webhook the stand-in signed, oldest first. */
  readonly webhooks: SignedPayPalWebhook[] = [];
  /** The capture status the next capture gets, unless set per order. */
  defaultCaptureStatus: CaptureStatus = 'COMPLETED';
  /** The status a refund made through the API gets: COMPLETED (PAYMENT.CAPTURE.REFUNDED follows) or PENDING (until `completeRefund`). */
  refundStatus: 'COMPLETED' | 'PENDING' = 'COMPLETED';
  private readonly orders = new Map<string, StandInOrder>();
  private readonly disputes = new Map<string, StandInDispute>();
  private readonly captureStatusByOrder = new Map<string, CaptureStatus>();
  private readonly replays = new Map<string, { status: number; body: unknown }>();
  private readonly tokens = new Set<string>();
  private readonly pendingDeliveries = new Set<Promise<unknown>>();
  private certificates!: StandInCertificates;
  private apiServer: https.Server | null = null;
  private browserServer: http.Server | null = null;
  private apiPort = 0;
  private browserPort = 0;

  constructor(options: PayPalStandInOptions = {}) {
    this.clientId = options.clientId ?? PAYPAL_STAND_IN_CLIENT_ID;
    this.clientSecret = options.clientSecret ?? PAYPAL_STAND_IN_CLIENT_SECRET;
    this.webhookId = options.webhookId ?? PAYPAL_STAND_IN_WEBHOOK_ID;
    this.webhookUrl = options.webhookUrl;
    this.serverName = options.serverName ?? PAYPAL_STAND_IN_SERVER_NAME;
    this.signingCommonName = options.signingCommonName ?? PAYPAL_STAND_IN_SIGNING_COMMON_NAME;
  }

  async start(ports: { api?: number; browser?: number } = {}): Promise<this> {
    this.certificates = await standInCertificates({ serverName: this.serverName, signingCommonName: this.signingCommonName });
    this.apiServer = https.createServer({ key: this.certificates.serverKeyPem, cert: this.certificates.serverCertPem }, this.apiRoutes().listener());
    this.browserServer = http.createServer(this.browserRoutes().listener());
    this.apiPort = await listen(this.apiServer, ports.api ?? 0);
    this.browserPort = await listen(this.browserServer, ports.browser ?? 0);
    return this;
  }

  async stop(): Promise<void> {
    await this.settled();
    if (this.apiServer) await close(this.apiServer);
    if (this.browserServer) await close(this.browserServer);
    this.apiServer = this.browserServer = null;
  }

  /** Waits until every webhook the stand-in sent on its own (after a capture, an approval) is answered. */
  async settled(): Promise<void> {
    while (this.pendingDeliveries.size > 0) await Promise.allSettled([...this.pendingDeliveries]);
  }

  /** The plain-HTTP origin of the approval page and the test controls. */
  get url(): string {
    return `http://127.0.0.1:${this.browserPort}`;
  }

  get caPem(): string {
    return this.certificates.caPem;
  }

  /** The certificate URL PAYPAL-CERT-URL names; fetched through the loopback agent. */
  get certUrl(): string {
    return `https://${this.serverName}${CERT_PATH_PREFIX}CERT-stand-in-signing`;
  }

  gatewaySettings(): PayPalGatewaySettings {
    return {
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      webhookId: this.webhookId,
      environment: 'sandbox',
      certUrlAllowList: [`https://${this.serverName}${CERT_PATH_PREFIX}`],
      webhookCertificateCommonName: this.signingCommonName,
      trustedCaPem: this.certificates.caPem,
      standIn: { host: '127.0.0.1', port: this.apiPort, serverName: this.serverName, caPem: this.certificates.caPem },
    };
  }

  getOrder(orderId: string): Readonly<StandInOrder> | undefined {
    return this.orders.get(orderId);
  }

  // ---- Controls: the buyer and PayPal's back office -----------------------------------------

  /** The buyer approves: status APPROVED and a CHECKOUT.ORDER.APPROVED webhook. */
  async approve(orderId: string, options?: PayPalDeliveryOptions): Promise<SignedPayPalWebhook> {
    const order = this.order(orderId);
    if (order.status !== 'CREATED' && order.status !== 'PAYER_ACTION_REQUIRED' && order.status !== 'APPROVED') {
      throw new PayPalApiError(422, issue('ORDER_ALREADY_CAPTURED', 'The order was already captured.'));
    }
    order.status = 'APPROVED';
    order.payer = { payer_id: 'STANDINPAYER1', email_address: 'buyer@example.com', name: { given_name: 'Test', surname: 'Buyer' } };
    order.update_time = now();
    return this.emit('CHECKOUT.ORDER.APPROVED', 'checkout-order', this.wireOrder(order), options);
  }

  /** What the next capture of `orderId` (or of every order) returns. */
  setCaptureStatus(status: CaptureStatus, orderId?: string): void {
    if (orderId) this.captureStatusByOrder.set(orderId, status);
    else this.defaultCaptureStatus = status;
  }

  /** A PENDING capture clears (PAYMENT.CAPTURE.COMPLETED) or is denied (PAYMENT.CAPTURE.DENIED). */
  async settlePendingCapture(orderId: string, result: 'COMPLETED' | 'DENIED', options?: PayPalDeliveryOptions): Promise<SignedPayPalWebhook> {
    const capture = this.capture(orderId);
    if (capture.status !== 'PENDING') throw new Error(`capture of ${orderId} is ${capture.status}, not PENDING`);
    capture.status = result === 'COMPLETED' ? 'COMPLETED' : 'DECLINED';
    delete capture.status_details;
    capture.update_time = now();
    return this.emit(`PAYMENT.CAPTURE.${result}`, 'capture', { ...capture, status: result }, options);
  }

  /**
   * A refund made in PayPal's own dashboard (no invoice id of ours): part or all of a completed
   * capture, PAYMENT.CAPTURE.REFUNDED with this refund's amount.
   */
  async refund(orderId: string, options?: PayPalDeliveryOptions & { amountMinor?: bigint }): Promise<SignedPayPalWebhook> {
    const refund = this.takeRefund(orderId, { amountMinor: options?.amountMinor, status: 'COMPLETED' });
    return this.emit('PAYMENT.CAPTURE.REFUNDED', 'refund', refund, options);
  }

  /** A PENDING refund made through the API completes: PAYMENT.CAPTURE.REFUNDED. */
  async completeRefund(refundId: string, options?: PayPalDeliveryOptions): Promise<SignedPayPalWebhook> {
    const refund = [...this.orders.values()].flatMap((order) => order.purchase_units[0].payments?.refunds ?? []).find((candidate) => candidate.id === refundId);
    if (!refund) throw new PayPalApiError(404, { name: 'RESOURCE_NOT_FOUND', message: 'The specified resource does not exist.', debug_id: providerId('dbg') });
    if (refund.status !== 'PENDING') throw new Error(`refund ${refundId} is ${refund.status}, not PENDING`);
    Object.assign(refund, { status: 'COMPLETED', update_time: now() });
    return this.emit('PAYMENT.CAPTURE.REFUNDED', 'refund', refund, options);
  }

  /** Takes a refund from the order's capture, as PayPal checks it (422 once nothing or too little is left). */
  private takeRefund(
    orderId: string,
    request: { amountMinor?: bigint; status: StandInRefund['status']; invoiceId?: string; customId?: string; noteToPayer?: string },
  ): StandInRefund {
    const order = this.order(orderId);
    const capture = this.capture(orderId);
    const capturedMinor = parseMinorUnits(capture.amount.value, 2);
    if (order.refundedMinor >= capturedMinor) throw new PayPalApiError(422, issue('CAPTURE_FULLY_REFUNDED', 'The capture has already been fully refunded.'));
    const amountMinor = request.amountMinor ?? capturedMinor - order.refundedMinor;
    if (amountMinor <= 0n || order.refundedMinor + amountMinor > capturedMinor) {
      throw new PayPalApiError(
        422,
        issue('REFUND_AMOUNT_EXCEEDED', 'The refund amount must be less than or equal to the capture amount that has not yet been refunded.'),
      );
    }
    order.refundedMinor += amountMinor;
    capture.status = order.refundedMinor === capturedMinor ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    const refund: StandInRefund = {
      id: providerId('REF').toUpperCase(),
      status: request.status,
      amount: { currency_code: capture.amount.currency_code, value: formatMinorUnits(amountMinor, 2) },
      custom_id: request.customId ?? capture.custom_id,
      ...(request.invoiceId ? { invoice_id: request.invoiceId } : {}),
      ...(request.noteToPayer ? { note_to_payer: request.noteToPayer } : {}),
      create_time: now(),
      update_time: now(),
    };
    const payments = order.purchase_units[0].payments!;
    payments.refunds = [...(payments.refunds ?? []), refund];
    return refund;
  }

  /** A chargeback takes the whole capture back: PAYMENT.CAPTURE.REVERSED. */
  async reverse(orderId: string, options?: PayPalDeliveryOptions): Promise<SignedPayPalWebhook> {
    const capture = this.capture(orderId);
    capture.status = 'REVERSED';
    capture.update_time = now();
    return this.emit('PAYMENT.CAPTURE.REVERSED', 'capture', { ...capture }, options);
  }

  /**
   * The buyer's bank charges the capture back: CUSTOMER.DISPUTE.CREATED (a chargeback, for the whole
   * capture). PayPal then takes the money (`reverse`) and later decides (`resolveDispute`).
   */
  async openDispute(orderId: string, options?: PayPalDeliveryOptions): Promise<SignedPayPalWebhook> {
    const capture = this.capture(orderId);
    const dispute: StandInDispute = {
      dispute_id: providerId('PP-D-'),
      create_time: now(),
      update_time: now(),
      disputed_transactions: [
        {
          seller_transaction_id: capture.id,
          custom: capture.custom_id,
          create_time: capture.create_time,
          transaction_status: capture.status,
          gross_amount: capture.amount,
        },
      ],
      reason: 'UNAUTHORISED',
      status: 'OPEN',
      dispute_amount: { ...capture.amount },
      dispute_life_cycle_stage: 'CHARGEBACK',
      dispute_channel: 'EXTERNAL',
    };
    this.disputes.set(dispute.dispute_id, dispute);
    return this.emit('CUSTOMER.DISPUTE.CREATED', 'dispute', dispute, options);
  }

  /**
   * The dispute is decided: CUSTOMER.DISPUTE.RESOLVED with `RESOLVED_SELLER_FAVOUR` (won: the
   * capture's reversal is cancelled and the capture is COMPLETED again) or `RESOLVED_BUYER_FAVOUR`.
   */
  async resolveDispute(disputeId: string, outcome: 'won' | 'lost', options?: PayPalDeliveryOptions): Promise<SignedPayPalWebhook> {
    const dispute = this.disputes.get(disputeId);
    if (!dispute || dispute.status === 'RESOLVED') throw new Error(`dispute ${disputeId} is unknown or already resolved`);
    Object.assign(dispute, {
      status: 'RESOLVED',
      update_time: now(),
      dispute_outcome:
        outcome === 'won' ? { outcome_code: 'RESOLVED_SELLER_FAVOUR' } : { outcome_code: 'RESOLVED_BUYER_FAVOUR', amount_refunded: dispute.dispute_amount },
    });
    const captureId = dispute.disputed_transactions[0].seller_transaction_id;
    const order = [...this.orders.values()].find((candidate) => candidate.purchase_units[0].payments?.captures[0]?.id === captureId);
    const capture = order?.purchase_units[0].payments?.captures[0];
    if (outcome === 'won' && capture?.status === 'REVERSED') Object.assign(capture, { status: 'COMPLETED', update_time: now() });
    return this.emit('CUSTOMER.DISPUTE.RESOLVED', 'dispute', dispute, options);
  }

  /** Signs any event as PayPal does; options forge the certificate or its URL. */
  signWebhook(event: SignedPayPalWebhook['event'], options: SigningOptions = {}): SignedPayPalWebhook {
    const rawBody = JSON.stringify(event);
    const transmissionId = randomUUID();
    const transmissionTime = (options.transmissionTime ?? new Date()).toISOString();
    const message = `${transmissionId}|${transmissionTime}|${this.webhookId}|${zlib.crc32(Buffer.from(rawBody, 'utf8'))}`;
    const key = options.rogueCertificate ? this.certificates.rogueSigningKeyPem : this.certificates.signingKeyPem;
    const signature = signMessage('sha256', Buffer.from(message, 'utf8'), key).toString('base64');
    const certUrl = options.certUrl ?? (options.rogueCertificate ? `https://${this.serverName}${CERT_PATH_PREFIX}CERT-stand-in-rogue` : this.certUrl);
    return {
      event,
      rawBody,
      headers: {
        'paypal-transmission-id': transmissionId,
        'paypal-transmission-time': transmissionTime,
        'paypal-transmission-sig': signature,
        'paypal-cert-url': certUrl,
        'paypal-auth-algo': 'SHA256withRSA',
      },
    };
  }

  /** POSTs a signed (possibly tampered) webhook to the webhook URL. */
  deliver(signed: Pick<SignedPayPalWebhook, 'rawBody' | 'headers'>, url = this.webhookUrl): Promise<WebhookDelivery> {
    if (!url) throw new Error('the PayPal stand-in has no webhook URL to deliver to');
    return postWebhook(url, signed.rawBody, signed.headers);
  }

  private async emit(eventType: string, resourceType: string, resource: unknown, options?: PayPalDeliveryOptions): Promise<SignedPayPalWebhook> {
    const signed = this.signWebhook({
      id: `WH-${providerId('').toUpperCase()}`,
      // Extra envelope fields, as PayPal sends them.
      ...({ event_version: '1.0', create_time: now(), resource_type: resourceType, resource_version: '2.0', summary: eventType } as object),
      event_type: eventType,
      resource: structuredClone(resource),
    } as SignedPayPalWebhook['event']);
    this.webhooks.push(signed);
    if (options?.deliver ?? this.webhookUrl !== undefined) signed.delivery = await this.deliver(signed);
    return signed;
  }

  /** Webhooks PayPal sends on its own after an API call: asynchronously, as PayPal does. */
  private emitInBackground(eventType: string, resourceType: string, resource: unknown): void {
    const delivery = this.emit(eventType, resourceType, resource).catch(() => undefined);
    this.pendingDeliveries.add(delivery);
    void delivery.finally(() => this.pendingDeliveries.delete(delivery));
  }

  private order(orderId: string): StandInOrder {
    const order = this.orders.get(orderId);
    if (!order)
      throw new PayPalApiError(404, {
        name: 'RESOURCE_NOT_FOUND',
        message: 'The specified resource does not exist.',
        debug_id: providerId('dbg'),
        details: [{ issue: 'INVALID_RESOURCE_ID', description: 'Specified resource ID does not exist.' }],
      });
    return order;
  }

  private capture(orderId: string): StandInCapture {
    const capture = this.order(orderId).purchase_units[0].payments?.captures[0];
    if (!capture) throw new Error(`order ${orderId} has no capture`);
    return capture;
  }

  private wireOrder(order: StandInOrder): Record<string, unknown> {
    const { experience: _experience, refundedMinor: _refunded, ...wire } = order;
    const self = `https://${this.serverName}/v2/checkout/orders/${order.id}`;
    const links: { href: string; rel: string; method: string }[] = [{ href: self, rel: 'self', method: 'GET' }];
    if (order.status === 'PAYER_ACTION_REQUIRED') links.push({ href: `${this.url}/checkoutnow?token=${order.id}`, rel: 'payer-action', method: 'GET' });
    if (order.status === 'CREATED') links.push({ href: `${this.url}/checkoutnow?token=${order.id}`, rel: 'approve', method: 'GET' });
    if (order.status === 'APPROVED') links.push({ href: `${self}/capture`, rel: 'capture', method: 'POST' });
    return structuredClone({ ...wire, links });
  }

  // ---- Wire protocol: the API (HTTPS) ------------------------------------------------------

  private apiRoutes(): Router {
    const api =
      (handler: (request: StandInRequest) => { status: number; body: unknown }, options: { replayable?: boolean } = {}) =>
      (request: StandInRequest, response: ServerResponse) => {
        try {
          this.authorize(request);
          const requestId = header(request, 'paypal-request-id');
          const replayKey = requestId && options.replayable ? `${request.url.pathname} ${requestId}` : null;
          const earlier = replayKey ? this.replays.get(replayKey) : undefined;
          if (earlier) return sendJson(response, earlier.status === 201 ? 200 : earlier.status, earlier.body);
          const result = handler(request);
          if (replayKey && result.status < 300) this.replays.set(replayKey, result);
          sendJson(response, result.status, result.body, { 'paypal-debug-id': providerId('dbg') });
        } catch (error) {
          sendPayPalError(response, error);
        }
      };
    return new Router()
      .add('POST', '/v1/oauth2/token', (request, response) => this.issueToken(request, response))
      .add(
        'POST',
        '/v2/checkout/orders',
        api((request) => this.createOrder(request), { replayable: true }),
      )
      .add(
        'GET',
        '/v2/checkout/orders/:id',
        api((request) => ({ status: 200, body: this.wireOrder(this.order(request.params.id)) })),
      )
      .add(
        'POST',
        '/v2/checkout/orders/:id/capture',
        api((request) => this.captureOrder(request.params.id), { replayable: true }),
      )
      .add(
        'POST',
        '/v2/payments/captures/:id/refund',
        api((request) => this.refundCapture(request), { replayable: true }),
      )
      .add('GET', `${CERT_PATH_PREFIX}:name`, (request, response) => this.serveCertificate(request, response));
  }

  private issueToken(request: StandInRequest, response: ServerResponse): void {
    const expected = `Basic ${Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64')}`;
    if (request.headers.authorization !== expected) {
      return sendJson(response, 401, { error: 'invalid_client', error_description: 'Client Authentication failed' });
    }
    if (parseForm(request.rawBody).grant_type !== 'client_credentials') {
      return sendJson(response, 400, { error: 'unsupported_grant_type', error_description: 'Grant Type is NULL' });
    }
    const token = `A21AA${providerId('')}`;
    this.tokens.add(token);
    sendJson(response, 200, {
      scope: 'https://uri.paypal.com/services/payments/payment',
      access_token: token,
      token_type: 'Bearer',
      app_id: 'APP-STANDIN',
      expires_in: 32400,
      nonce: providerId(''),
    });
  }

  private authorize(request: StandInRequest): void {
    const token = request.headers.authorization?.replace(/^Bearer /, '');
    if (!token || !this.tokens.has(token)) {
      throw new PayPalApiError(401, { error: 'invalid_token', error_description: 'Token signature verification failed' });
    }
  }

  private createOrder(request: StandInRequest): { status: number; body: unknown } {
    const body = parseJson(request.rawBody) as {
      intent?: string;
      purchase_units?: { reference_id?: string; custom_id?: string; description?: string; amount?: Money }[];
      payment_source?: { paypal?: { experience_context?: { return_url?: string; cancel_url?: string } } };
      application_context?: { return_url?: string; cancel_url?: string };
    };
    const unit = body.purchase_units?.[0];
    if (body.intent !== 'CAPTURE' || !unit?.amount || body.purchase_units!.length !== 1) {
      throw new PayPalApiError(400, {
        name: 'INVALID_REQUEST',
        message: 'Request is not well-formed, syntactically incorrect, or violates schema.',
        debug_id: providerId('dbg'),
        details: [{ issue: 'MISSING_REQUIRED_PARAMETER', description: 'intent CAPTURE and one purchase unit with an amount are required' }],
      });
    }
    if (unit.amount.currency_code !== 'USD' || !/^\d{1,10}\.\d{2}$/.test(unit.amount.value)) {
      throw new PayPalApiError(422, issue('DECIMAL_PRECISION', 'USD amounts have exactly two decimals.'));
    }
    const experience = body.payment_source?.paypal?.experience_context ?? body.application_context ?? {};
    const order: StandInOrder = {
      id: providerId('').toUpperCase().padEnd(17, '0').slice(0, 17),
      intent: 'CAPTURE',
      status: body.payment_source?.paypal ? 'PAYER_ACTION_REQUIRED' : 'CREATED',
      create_time: now(),
      update_time: now(),
      purchase_units: [{ reference_id: unit.reference_id ?? 'default', custom_id: unit.custom_id ?? '', description: unit.description, amount: unit.amount }],
      payment_source: body.payment_source?.paypal ? { paypal: {} } : undefined,
      experience: { return_url: experience.return_url, cancel_url: experience.cancel_url },
      refundedMinor: 0n,
    };
    this.orders.set(order.id, order);
    return { status: 201, body: this.wireOrder(order) };
  }

  private captureOrder(orderId: string): { status: number; body: unknown } {
    const order = this.order(orderId);
    if (order.status === 'COMPLETED')
      throw new PayPalApiError(422, issue('ORDER_ALREADY_CAPTURED', "Order already captured. If 'intent=CAPTURE' only one capture per order is allowed."));
    if (order.status !== 'APPROVED') throw new PayPalApiError(422, issue('ORDER_NOT_APPROVED', 'Payer has not yet approved the Order for payment.'));
    const status = this.captureStatusByOrder.get(orderId) ?? this.defaultCaptureStatus;
    if (status === 'INSTRUMENT_DECLINED') {
      this.captureStatusByOrder.delete(orderId);
      order.status = 'PAYER_ACTION_REQUIRED';
      throw new PayPalApiError(
        422,
        issue('INSTRUMENT_DECLINED', 'The instrument presented was either declined by the processor or bank, or it cannot be used for this payment.'),
      );
    }
    const unit = order.purchase_units[0];
    const capture: StandInCapture = {
      id: providerId('CAP').toUpperCase(),
      status,
      amount: { ...unit.amount },
      final_capture: true,
      custom_id: unit.custom_id,
      ...(status === 'PENDING' ? { status_details: { reason: 'PENDING_REVIEW' } } : {}),
      supplementary_data: { related_ids: { order_id: order.id } },
      create_time: now(),
      update_time: now(),
    };
    unit.payments = { captures: [capture] };
    order.status = 'COMPLETED';
    order.update_time = now();
    this.emitInBackground(`PAYMENT.CAPTURE.${status}`, 'capture', capture);
    return { status: 201, body: this.wireOrder(order) };
  }

  /**
   * `POST /v2/payments/captures/{id}/refund` (`amount`, `invoice_id`, `custom_id`, `note_to_payer`):
   * 201 with the refund, COMPLETED (PAYMENT.CAPTURE.REFUNDED follows on its own) or PENDING; 422
   * `CAPTURE_FULLY_REFUNDED` / `REFUND_AMOUNT_EXCEEDED`.
   */
  private refundCapture(request: StandInRequest): { status: number; body: unknown } {
    const body = parseJson(request.rawBody) as { amount?: Money; invoice_id?: string; custom_id?: string; note_to_payer?: string };
    const order = [...this.orders.values()].find((candidate) => candidate.purchase_units[0].payments?.captures[0]?.id === request.params.id);
    if (!order) throw new PayPalApiError(404, { name: 'RESOURCE_NOT_FOUND', message: 'The specified resource does not exist.', debug_id: providerId('dbg') });
    const capture = this.capture(order.id);
    if (body.amount && (body.amount.currency_code !== capture.amount.currency_code || !/^\d{1,10}\.\d{2}$/.test(body.amount.value))) {
      throw new PayPalApiError(422, issue('DECIMAL_PRECISION', 'USD amounts have exactly two decimals, in the currency of the capture.'));
    }
    const refund = this.takeRefund(order.id, {
      amountMinor: body.amount ? parseMinorUnits(body.amount.value, 2) : undefined,
      status: this.refundStatus,
      invoiceId: body.invoice_id,
      customId: body.custom_id,
      noteToPayer: body.note_to_payer,
    });
    if (refund.status === 'COMPLETED') this.emitInBackground('PAYMENT.CAPTURE.REFUNDED', 'refund', refund);
    const links = [
      { href: `https://${this.serverName}/v2/payments/refunds/${refund.id}`, rel: 'self', method: 'GET' },
      { href: `https://${this.serverName}/v2/payments/captures/${capture.id}`, rel: 'up', method: 'GET' },
    ];
    return { status: 201, body: { ...structuredClone(refund), links } };
  }

  private serveCertificate(request: StandInRequest, response: ServerResponse): void {
    const pem =
      request.params.name === 'CERT-stand-in-signing'
        ? this.certificates.signingCertPem
        : request.params.name === 'CERT-stand-in-rogue'
          ? this.certificates.rogueSigningCertPem
          : null;
    if (!pem) return sendJson(response, 404, { name: 'RESOURCE_NOT_FOUND' });
    response.writeHead(200, { 'content-type': 'application/x-pem-file' });
    response.end(pem);
  }

  // ---- Wire protocol: the approval page and test controls (HTTP) ----------------------------

  private browserRoutes(): Router {
    const control =
      (action: (orderId: string, body: Record<string, string>, options: PayPalDeliveryOptions) => Promise<unknown> | unknown) =>
      async (request: StandInRequest, response: ServerResponse) => {
        const body = request.headers['content-type']?.includes('json') ? (parseJson(request.rawBody) as Record<string, string>) : parseForm(request.rawBody);
        const deliver = body.deliver ?? request.url.searchParams.get('deliver');
        const options = deliver === undefined || deliver === null ? {} : { deliver: String(deliver) !== 'false' };
        try {
          sendJson(response, 200, (await action(request.params.id, body, options)) ?? { ok: true });
        } catch (error) {
          sendPayPalError(response, error);
        }
      };
    return new Router()
      .add('GET', '/checkoutnow', (request, response) => this.approvalPage(request, response))
      .add('POST', '/checkoutnow/approve', (request, response) => this.buyerApproves(request, response))
      .add('POST', '/checkoutnow/cancel', (request, response) => this.buyerCancels(request, response))
      .add('GET', '/_stand-in/webhooks', (_request, response) => sendJson(response, 200, this.webhooks))
      .add(
        'POST',
        '/_stand-in/orders/:id/approve',
        control((id, _body, options) => this.approve(id, options)),
      )
      .add(
        'POST',
        '/_stand-in/orders/:id/capture-status',
        control((id, body) => this.setCaptureStatus(parseCaptureStatus(body.status), id)),
      )
      .add(
        'POST',
        '/_stand-in/orders/:id/settle',
        control((id, body, options) => this.settlePendingCapture(id, body.result === 'DENIED' ? 'DENIED' : 'COMPLETED', options)),
      )
      .add(
        'POST',
        '/_stand-in/orders/:id/refund',
        control((id, body, options) => this.refund(id, { ...options, amountMinor: body.amountMinor ? BigInt(body.amountMinor) : undefined })),
      )
      .add(
        'POST',
        '/_stand-in/orders/:id/reverse',
        control((id, _body, options) => this.reverse(id, options)),
      )
      .add(
        'POST',
        '/_stand-in/orders/:id/dispute',
        control((id, _body, options) => this.openDispute(id, options)),
      )
      .add(
        'POST',
        '/_stand-in/disputes/:id/resolve',
        control((id, body, options) => this.resolveDispute(id, body.outcome === 'won' ? 'won' : 'lost', options)),
      );
  }

  private approvalPage(request: StandInRequest, response: ServerResponse): void {
    const order = this.orders.get(request.url.searchParams.get('token') ?? '');
    if (!order) return sendHtml(response, 404, page('PayPal (stand-in)', '<p>This order does not exist.</p>'));
    const unit = order.purchase_units[0];
    const form = (action: string, label: string) =>
      `<form method="post" action="/checkoutnow/${action}"><input type="hidden" name="token" value="${escapeHtml(order.id)}"><button>${label}</button></form>`;
    const body =
      `<p>${escapeHtml(unit.description ?? 'Payment')}: <b>${escapeHtml(unit.amount.value)} ${escapeHtml(unit.amount.currency_code)}</b> (status ${order.status})</p>` +
      (order.status === 'PAYER_ACTION_REQUIRED' || order.status === 'CREATED'
        ? form('approve', 'Pay Now') + form('cancel', 'Cancel and return')
        : '<p>Nothing left to approve.</p>');
    sendHtml(response, 200, page('PayPal (stand-in)', body));
  }

  private async buyerApproves(request: StandInRequest, response: ServerResponse): Promise<void> {
    const order = this.orders.get(parseForm(request.rawBody).token ?? '');
    if (!order?.experience.return_url) return sendHtml(response, 400, page('PayPal (stand-in)', '<p>Unknown order.</p>'));
    if (order.status === 'PAYER_ACTION_REQUIRED' || order.status === 'CREATED') {
      order.status = 'APPROVED';
      order.payer = { payer_id: 'STANDINPAYER1', email_address: 'buyer@example.com', name: { given_name: 'Test', surname: 'Buyer' } };
      this.emitInBackground('CHECKOUT.ORDER.APPROVED', 'checkout-order', this.wireOrder(order));
    }
    const back = new URL(order.experience.return_url);
    back.searchParams.set('token', order.id);
    back.searchParams.set('PayerID', order.payer?.payer_id ?? 'STANDINPAYER1');
    redirect(response, back.toString());
  }

  private buyerCancels(request: StandInRequest, response: ServerResponse): void {
    const order = this.orders.get(parseForm(request.rawBody).token ?? '');
    if (!order?.experience.cancel_url) return sendHtml(response, 400, page('PayPal (stand-in)', '<p>Unknown order.</p>'));
    const back = new URL(order.experience.cancel_url);
    back.searchParams.set('token', order.id);
    redirect(response, back.toString());
  }
}

function issue(name: string, description: string): Record<string, unknown> {
  return {
    name: 'UNPROCESSABLE_ENTITY',
    message: 'The requested action could not be performed, semantically incorrect, or failed business validation.',
    debug_id: providerId('dbg'),
    details: [{ issue: name, description }],
    links: [],
  };
}

function parseCaptureStatus(value: string | undefined): CaptureStatus {
  if (value === 'COMPLETED' || value === 'PENDING' || value === 'DECLINED' || value === 'INSTRUMENT_DECLINED') return value;
  throw new PayPalApiError(400, { name: 'INVALID_REQUEST', message: 'status must be COMPLETED, PENDING, DECLINED or INSTRUMENT_DECLINED' });
}

function sendPayPalError(response: ServerResponse, error: unknown): void {
  if (error instanceof PayPalApiError) return sendJson(response, error.status, error.body);
  sendJson(response, 500, { name: 'INTERNAL_SERVER_ERROR', message: (error as Error).message });
}

function header(request: StandInRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p><small>Test stand-in: no real payment is made.</small></p>${body}</body></html>`;
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
