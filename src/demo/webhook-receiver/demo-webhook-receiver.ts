import express, { Request, Response, Router } from 'express';
import type { TransactionRunner } from '../../database/transaction-runner';
import { WebhookEndpointEntity } from '../../notifications/webhooks/entities/webhook-endpoint.entity';
import { EVENT_ID_HEADER, SIGNATURE_HEADER } from '../../notifications/webhooks/signature';
import { verifyCreditsSignature } from './verify-credits-signature';

/** Where the demo's receiver listens, on the demo server itself. */
export const DEMO_WEBHOOK_RECEIVER_PATH = '/demo/webhook-receiver';
/** Deliveries kept in memory (the newest ones); the receiver is for looking, not for storing. */
export const DEMO_WEBHOOK_RECEIVER_KEEP = 100;
const MAX_BODY_BYTES = 256 * 1024;

export interface ReceivedDelivery {
  receivedAt: string;
  eventId: string | null;
  /** True when a signing secret of an endpoint of the envelope's account, registered with this receiver's URL, verifies it. */
  signatureVerified: boolean;
  signature: string | null;
  /** The parsed JSON envelope, or null when the body was not JSON. */
  envelope: Record<string, unknown> | null;
  /** What the receiver answered: 204 when verified, else 400 (the README's express example). */
  answeredStatus: number;
}

/**
 * A webhook receiver for the embedded demo, so a person can register an endpoint to it and watch
 * signed deliveries arrive: `POST` verifies each with the README's recipe and keeps it, `GET` shows
 * what came (JSON, or a small page for a browser). Mounted only while the payment stand-ins run,
 * never in production. A real receiver keeps the secret `createWebhookEndpoint` showed it; this
 * one, living in the same process, reads the secrets of the endpoints registered with its path.
 */
export function createDemoWebhookReceiver(runner: TransactionRunner): Router {
  const received: ReceivedDelivery[] = [];
  const router = Router();

  router.post(DEMO_WEBHOOK_RECEIVER_PATH, express.raw({ type: () => true, limit: MAX_BODY_BYTES }), async (request: Request, response: Response) => {
    const rawBody = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
    const signature = request.get(SIGNATURE_HEADER) ?? null;
    const envelope = parseEnvelope(rawBody);
    const secrets = typeof envelope?.accountId === 'string' ? await secretsOfReceiverEndpoints(runner, envelope.accountId) : [];
    const signatureVerified = signature !== null && secrets.some((secret) => verifyCreditsSignature(rawBody, signature, secret));
    const answeredStatus = signatureVerified ? 204 : 400;
    received.unshift({
      receivedAt: new Date().toISOString(),
      eventId: request.get(EVENT_ID_HEADER) ?? null,
      signatureVerified,
      signature,
      envelope,
      answeredStatus,
    });
    received.splice(DEMO_WEBHOOK_RECEIVER_KEEP);
    response.sendStatus(answeredStatus);
  });

  router.get(DEMO_WEBHOOK_RECEIVER_PATH, (request: Request, response: Response) => {
    if (request.accepts(['json', 'html']) === 'html') {
      response.type('html').send(page(received));
      return;
    }
    response.json({ received });
  });
  return router;
}

/** The signing secrets (current, and the previous one while it overlaps) of the account's endpoints that point here. */
async function secretsOfReceiverEndpoints(runner: TransactionRunner, accountId: string): Promise<string[]> {
  const endpoints = await runner.read((manager) => manager.find(WebhookEndpointEntity, { where: { accountId } }));
  const now = new Date();
  return endpoints
    .filter((endpoint) => pathOf(endpoint.url) === DEMO_WEBHOOK_RECEIVER_PATH)
    .flatMap((endpoint) => [
      endpoint.secret,
      ...(endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now ? [endpoint.previousSecret] : []),
    ]);
}

function pathOf(url: string): string | null {
  try {
    return new URL(url).pathname;
  } catch {
    return null;
  }
}

function parseEnvelope(rawBody: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(rawBody);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

function page(received: ReceivedDelivery[]): string {
  const rows = received
    .map(
      (delivery) =>
        `<tr><td>${escapeHtml(delivery.receivedAt)}</td><td>${escapeHtml(delivery.eventId ?? '')}</td><td>${escapeHtml(String(delivery.envelope?.type ?? ''))}</td>` +
        `<td>${escapeHtml(String(delivery.envelope?.accountId ?? ''))}</td><td>${delivery.signatureVerified ? 'verified' : 'NOT verified'}</td>` +
        `<td><pre>${escapeHtml(JSON.stringify(delivery.envelope?.data ?? null, null, 2))}</pre></td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Demo webhook receiver</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}pre{margin:0}</style></head>
<body><h1>Demo webhook receiver</h1><p>The newest ${DEMO_WEBHOOK_RECEIVER_KEEP} deliveries, newest first; reload to see new ones. As JSON: send <code>Accept: application/json</code>.</p>
<table><tr><th>received</th><th>Credits-Event-Id</th><th>type</th><th>account</th><th>signature</th><th>data</th></tr>
${rows || '<tr><td colspan="6">Nothing yet: register this URL with createWebhookEndpoint and cause an event.</td></tr>'}</table></body></html>`;
}
