import express, { Request, Response, Router } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import { DomainError, ErrorCode } from '../../common/domain-error';
import type { Logger } from '../../common/logger';
import { isConnectionFailure } from '../../database/database-errors';
import {
  isRefundEvent,
  isSavedCardEvent,
  PaymentEvent,
  PaymentGateways,
  PaymentMethod,
  RefundEvent,
  SavedCardEvent,
  WebhookSignatureError,
} from '../providers/payment-provider';
import type { PaymentLifecycle } from '../top-ups/payment-lifecycle';
import type { TopUpsService } from '../top-ups/top-ups.service';
import type { BrowserReturnAnswer } from './browser-return';
import { paypalReturn } from './paypal-returns';
import { type VnpayAnswerDependencies, vnpayIpnAnswer, vnpayReturn } from './vnpay-answers';

export interface WebhookDependencies {
  gateways: PaymentGateways;
  topUps: TopUpsService;
  paymentLifecycle: PaymentLifecycle;
  /** Records the card a verified SetupIntent event saved (auto-recharge). */
  savedPaymentMethods: { recordSetup(event: SavedCardEvent): Promise<{ kind: string }> };
  /** Applies the provider's answer to one of the platform's own refunds. */
  refunds: { applyProviderEvent(event: RefundEvent): Promise<{ kind: string }> };
  logger: Logger;
}

type ProviderEvent = PaymentEvent | SavedCardEvent | RefundEvent;

/** Where the providers call back; the server rate-limits these paths per client IP and route. */
export const CALLBACK_ROUTES = [
  '/webhooks/stripe',
  '/webhooks/paypal',
  '/webhooks/vnpay/ipn',
  '/payments/vnpay/return',
  '/payments/paypal/return',
  '/payments/paypal/cancel',
];

/** Provider payloads are small; anything bigger is not a provider. */
const RAW_BODY_LIMIT = '512kb';

/**
 * The provider callbacks. Signatures are computed over the exact bytes received, so these routes
 * read the RAW body and must be mounted before any JSON parser. Each answers only after the
 * database transaction committed: a 2xx means "recorded", anything else makes the provider retry.
 */
export function createWebhooksRouter(dependencies: WebhookDependencies): Router {
  const router = Router();
  const raw = express.raw({ type: () => true, limit: RAW_BODY_LIMIT });
  // Only the configured providers' routes: another provider's callback answers 404.
  const { stripe, paypal, vnpay } = dependencies.gateways;

  if (stripe) {
    router.post('/webhooks/stripe', raw, async (request, response) => {
      await answerWebhook(dependencies, request, response, PaymentMethod.STRIPE, async () =>
        stripe.parseWebhook(rawBodyOf(request), request.header('stripe-signature')),
      );
    });
  }

  if (paypal) {
    router.post('/webhooks/paypal', raw, async (request, response) => {
      await answerWebhook(dependencies, request, response, PaymentMethod.PAYPAL, () =>
        paypal.verifyWebhook(rawBodyOf(request), request.headers as IncomingHttpHeaders),
      );
    });
    for (const [path, kind] of [
      ['/payments/paypal/return', 'approved'],
      ['/payments/paypal/cancel', 'canceled'],
    ] as const) {
      router.get(path, async (request, response) => sendBrowserAnswer(response, await paypalReturn(dependencies, kind, queryOf(request))));
    }
  }

  if (vnpay) mountVnpayRoutes(router, { ...dependencies, gateways: { vnpay } });
  return router;
}

function mountVnpayRoutes(router: Router, dependencies: VnpayAnswerDependencies): void {
  router.get('/webhooks/vnpay/ipn', async (request, response) => {
    response.status(200).json(await vnpayIpnAnswer(dependencies, queryOf(request)));
  });

  router.get('/payments/vnpay/return', async (request, response) => sendBrowserAnswer(response, await vnpayReturn(dependencies, queryOf(request))));
}

/** A return's answer: 303 to the console, or the page; never cached (it reflects the status now). */
function sendBrowserAnswer(response: Response, answer: BrowserReturnAnswer): void {
  response.setHeader('cache-control', 'no-store');
  if (answer.kind === 'REDIRECT') response.redirect(303, answer.location);
  else response.status(answer.status).type('html').send(answer.html);
}

async function answerWebhook(
  dependencies: WebhookDependencies,
  request: Request,
  response: Response,
  provider: PaymentMethod,
  verify: () => Promise<ProviderEvent | null> | ProviderEvent | null,
): Promise<void> {
  const log = request.log ?? dependencies.logger;
  let event: ProviderEvent | null;
  try {
    event = await verify();
  } catch (error) {
    if (error instanceof WebhookSignatureError) {
      log.warn({ provider, reason: error.message }, 'webhook signature rejected');
      response.status(400).json({ error: 'invalid signature' });
      return;
    }
    log.error({ err: error, provider }, 'webhook verification failed');
    response.status(500).json({ error: 'verification failed; retry later' });
    return;
  }
  if (!event) {
    response.status(200).json({ received: true, ignored: true });
    return;
  }
  try {
    const result = await applyEvent(dependencies, event);
    log.info({ provider, eventId: event.eventId, outcome: event.outcome, result: result.kind }, 'webhook processed');
    if (result.kind === 'RETRY_LATER') {
      response.status(503).json({ received: false, reason: 'the payment is not confirmed yet; deliver again later' });
      return;
    }
    response.status(200).json({ received: true, result: result.kind });
  } catch (error) {
    if (isDatabaseOutage(error)) {
      log.warn({ err: error, provider, eventId: event.eventId }, 'webhook not recorded: database unavailable; the provider will retry');
      response.status(503).json({ received: false, reason: 'temporarily unavailable; deliver again later' });
      return;
    }
    log.error({ err: error, provider, eventId: event.eventId }, 'webhook processing failed; the provider will retry');
    response.status(500).json({ error: 'processing failed; retry later' });
  }
}

/** A verified event goes to what it is about: a saved card, one of our refunds, or a top-up. */
function applyEvent(dependencies: WebhookDependencies, event: ProviderEvent): Promise<{ kind: string }> {
  if (isSavedCardEvent(event)) return dependencies.savedPaymentMethods.recordSetup(event);
  if (isRefundEvent(event)) return dependencies.refunds.applyProviderEvent(event);
  return dependencies.paymentLifecycle.applyWebhookEvent(event);
}

/** The database is unreachable: nothing was recorded, and the provider's next delivery will be. */
function isDatabaseOutage(error: unknown): boolean {
  return (error instanceof DomainError && error.code === ErrorCode.SERVICE_UNAVAILABLE) || isConnectionFailure(error);
}

function rawBodyOf(request: Request): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

/** Express parses repeated keys into arrays; providers never repeat one, so keep the first. */
function queryOf(request: Request): Record<string, string> {
  const query: Record<string, string> = {};
  const search = new URL(request.originalUrl, 'http://webhook.invalid').searchParams;
  for (const [key, value] of search) if (!(key in query)) query[key] = value;
  return query;
}
