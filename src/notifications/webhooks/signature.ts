import { createHmac, randomBytes } from 'node:crypto';

export const SIGNATURE_HEADER = 'Credits-Signature';
export const EVENT_ID_HEADER = 'Credits-Event-Id';

/** A new signing secret: 32 random bytes, shown to the caller once. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, with one more `v1` per extra
 * secret (the previous one while a rotation overlaps). Receivers accept the message when any `v1`
 * matches one of their secrets (README "Webhooks to your systems").
 */
export function signatureHeader(body: string, secrets: string[], timestampSeconds: number): string {
  const signatures = secrets.map((secret) => `v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`);
  return [`t=${timestampSeconds}`, ...signatures].join(',');
}
