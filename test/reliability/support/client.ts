import Stripe from 'stripe';
import { SignJWT } from 'jose';
import { DEVELOPMENT_JWT_SECRET } from '../../../src/config';
import { signToken } from '../../../src/auth/jwt';
import { Role, Scope } from '../../../src/auth/principal';
import { STRIPE_STAND_IN_WEBHOOK_SECRET } from '../../../src/demo/stand-ins/stripe.stand-in';

/** One HTTP answer as a client saw it; `status` 0 when the connection failed (e.g. the server died). */
export interface Answer {
  status: number;
  body: any;
  codes: string[];
  durationMs: number;
  networkError?: string;
}

export interface RequestOptions {
  token?: string | null;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** POSTs one GraphQL operation over real HTTP; never throws. */
export async function graphql(url: string, query: string, variables: Record<string, unknown> = {}, options: RequestOptions = {}): Promise<Answer> {
  return send(
    url,
    {
      method: 'POST',
      body: JSON.stringify({ query, variables }),
      headers: { 'content-type': 'application/json', ...authorization(options.token), ...options.headers },
    },
    options.timeoutMs,
  );
}

/** Any HTTP request; the body is parsed as JSON when it is JSON. */
export async function send(url: string, init: RequestInit, timeoutMs = 30_000): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (an HTML page, a CSV, an empty answer).
    }
    const errors: any[] = Array.isArray(body?.errors) ? body.errors : [];
    return {
      status: response.status,
      body,
      codes: errors.map((error) => String(error?.extensions?.code ?? 'NO_CODE')),
      durationMs: performance.now() - started,
    };
  } catch (error) {
    return { status: 0, body: null, codes: [], durationMs: performance.now() - started, networkError: (error as Error).message };
  }
}

const authorization = (token: string | null | undefined): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

/** Tokens signed as the server (development secret) would accept them, and some it must refuse. */
export const tokens = {
  user: (accountId: string, role: Role = Role.OWNER) => signToken(DEVELOPMENT_JWT_SECRET, { sub: `user-${accountId}-${role}`, accountId, role }),
  admin: () => signToken(DEVELOPMENT_JWT_SECRET, { sub: 'admin', scopes: [Scope.ADMIN] }),
  metering: () => signToken(DEVELOPMENT_JWT_SECRET, { sub: 'metering', scopes: [Scope.USAGE_WRITE] }),
  /** Correctly signed, expired a minute ago. */
  expired: (accountId: string) =>
    new SignJWT({ account_id: accountId, role: Role.OWNER })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('expired-user')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(secretBytes()),
  /** Signed with another secret. */
  badSignature: (accountId: string) => signToken('x'.repeat(48), { sub: 'forger', accountId, role: Role.OWNER }),
  /** Correctly signed with arbitrary (possibly malformed) claims. */
  withClaims: (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1h').sign(secretBytes()),
};

const secretBytes = () => new TextEncoder().encode(DEVELOPMENT_JWT_SECRET);

const stripeSigner = new Stripe('sk_test_reliability_signer');

/** A `payment_intent.succeeded` event for a top-up, signed with the stand-in's webhook secret. */
export function signedStripeSuccess(
  topUp: { id: string; providerReference: string; charge: { amountMinor: string; currency: string } },
  eventId = `evt_${topUp.id}`,
): { body: string; signature: string } {
  const amount = Number(topUp.charge.amountMinor);
  return signedStripeEvent(eventId, 'payment_intent.succeeded', {
    id: topUp.providerReference,
    object: 'payment_intent',
    amount,
    amount_received: amount,
    currency: topUp.charge.currency.toLowerCase(),
    status: 'succeeded',
    metadata: { topUpId: topUp.id },
  });
}

/**
 * An event of a dispute of the top-up's whole charge (`charge.dispute.funds_withdrawn`,
 * `charge.dispute.closed`, …) in Stripe's shape: the dispute names the PaymentIntent, not the top-up.
 */
export function signedStripeDispute(
  topUp: { id: string; providerReference: string; charge: { amountMinor: string; currency: string } },
  dispute: { id: string; type: string; status: string },
): { body: string; signature: string } {
  return signedStripeEvent(`evt_${dispute.id}_${dispute.type}`, dispute.type, {
    id: dispute.id,
    object: 'dispute',
    amount: Number(topUp.charge.amountMinor),
    currency: topUp.charge.currency.toLowerCase(),
    payment_intent: topUp.providerReference,
    metadata: {},
    reason: 'fraudulent',
    status: dispute.status,
  });
}

function signedStripeEvent(eventId: string, type: string, object: Record<string, unknown>): { body: string; signature: string } {
  const event = {
    id: eventId,
    object: 'event',
    type,
    api_version: '2025-01-27.acacia',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: { object },
  };
  const body = JSON.stringify(event);
  return { body, signature: stripeSigner.webhooks.generateTestHeaderString({ payload: body, secret: STRIPE_STAND_IN_WEBHOOK_SECRET }) };
}

export function postStripeWebhook(baseUrl: string, signed: { body: string; signature: string }, headers: Record<string, string> = {}): Promise<Answer> {
  return send(`${baseUrl}/webhooks/stripe`, {
    method: 'POST',
    body: signed.body,
    headers: { 'content-type': 'application/json', 'stripe-signature': signed.signature, ...headers },
  });
}

export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
