import { verify as verifySignature, X509Certificate } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import zlib from 'node:zlib';
import { WebhookSignatureError } from './payment-provider';

export interface PayPalWebhookVerifierSettings {
  /** The id PayPal gave our webhook subscription; part of every signed message. */
  webhookId: string;
  /**
   * URL prefixes a signing certificate may be fetched from, each `https://host/path/` (ending in a
   * slash). A PAYPAL-CERT-URL outside them is refused before anything is fetched.
   */
  certUrlAllowList: string[];
  /** The common name the signing certificate must carry. */
  certificateCommonName: string;
  /** PEM bundle of trusted roots; Node's built-in root store when absent. */
  trustedCaPem?: string;
  /** Used to fetch certificates (the stand-in's loopback agent in tests and the demo). */
  httpsAgent?: https.Agent;
  /** For tests of the validity dates. */
  now?: () => Date;
}

/**
 * The signing certificate could not be fetched (network, timeout, non-200). Not a verdict on the
 * signature: the webhook route should answer 5xx so PayPal delivers again later.
 */
export class CertificateUnavailableError extends Error {}

const SUPPORTED_ALGORITHM = 'SHA256withRSA';
const MAX_CERTIFICATE_BYTES = 64 * 1024;
const MAX_CHAIN_LENGTH = 5;
const CERTIFICATE_CACHE_MS = 60 * 60 * 1000;

/**
 * PayPal's certificate-based webhook signature, checked locally: the message
 * `transmissionId|transmissionTime|webhookId|crc32(rawBody)` must carry a SHA256withRSA signature
 * by the certificate at PAYPAL-CERT-URL, and that certificate must come from an allowed URL, chain
 * to a trusted root, be within its validity dates, and name the expected common name.
 */
export class PayPalWebhookVerifier {
  private readonly allowList: URL[];
  private readonly trustedRoots: X509Certificate[];
  private readonly certificates = new Map<string, { certificate: X509Certificate; fetchedAt: number }>();

  constructor(private readonly settings: PayPalWebhookVerifierSettings) {
    this.allowList = settings.certUrlAllowList.map((prefix) => {
      const url = new URL(prefix);
      if (url.protocol !== 'https:' || !url.pathname.endsWith('/') || url.search || url.username) {
        throw new Error(`PayPal certificate URL prefix "${prefix}" must be https://host/path/ ending in "/"`);
      }
      return url;
    });
    this.trustedRoots = splitPem(settings.trustedCaPem ?? tls.rootCertificates.join('\n')).map((pem) => new X509Certificate(pem));
  }

  /** Returns the parsed event when the signature holds; throws `WebhookSignatureError` otherwise. */
  async verify(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<unknown> {
    const transmissionId = requiredHeader(headers, 'paypal-transmission-id');
    const transmissionTime = requiredHeader(headers, 'paypal-transmission-time');
    const signature = requiredHeader(headers, 'paypal-transmission-sig');
    const certUrl = requiredHeader(headers, 'paypal-cert-url');
    const algorithm = requiredHeader(headers, 'paypal-auth-algo');
    if (algorithm !== SUPPORTED_ALGORITHM) throw new WebhookSignatureError(`unsupported PAYPAL-AUTH-ALGO ${algorithm}`);
    const certificate = await this.signingCertificate(certUrl);
    const message = `${transmissionId}|${transmissionTime}|${this.settings.webhookId}|${zlib.crc32(rawBody)}`;
    const valid = verifySignature('sha256', Buffer.from(message, 'utf8'), certificate.publicKey, Buffer.from(signature, 'base64'));
    if (!valid) throw new WebhookSignatureError('PayPal webhook signature does not match the message');
    try {
      return JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new WebhookSignatureError('PayPal webhook body is not JSON');
    }
  }

  private async signingCertificate(certUrl: string): Promise<X509Certificate> {
    const url = this.allowedUrl(certUrl);
    const cached = this.certificates.get(url.href);
    const now = this.now();
    if (cached && now.getTime() - cached.fetchedAt < CERTIFICATE_CACHE_MS && withinValidity(cached.certificate, now)) {
      return cached.certificate;
    }
    const chain = parseCertificates(await this.fetchText(url));
    const certificate = this.checkChain(chain, now);
    this.certificates.set(url.href, { certificate, fetchedAt: now.getTime() });
    return certificate;
  }

  private allowedUrl(certUrl: string): URL {
    let url: URL;
    try {
      url = new URL(certUrl);
    } catch {
      throw new WebhookSignatureError('PAYPAL-CERT-URL is not a URL');
    }
    const allowed = this.allowList.some(
      (prefix) => url.protocol === 'https:' && url.host === prefix.host && !url.username && !url.password && url.pathname.startsWith(prefix.pathname),
    );
    if (!allowed) throw new WebhookSignatureError(`PAYPAL-CERT-URL ${url.origin}${url.pathname} is not on the allow-list`);
    return url;
  }

  /** The leaf must chain, through the bundle's intermediates, to a trusted root; all in date. */
  private checkChain(chain: X509Certificate[], now: Date): X509Certificate {
    const [leaf, ...intermediates] = chain;
    if (!leaf) throw new WebhookSignatureError('no certificate at PAYPAL-CERT-URL');
    if (!commonNames(leaf).includes(this.settings.certificateCommonName)) {
      throw new WebhookSignatureError(
        `signing certificate is for ${commonNames(leaf).join(', ') || 'no common name'}, not ${this.settings.certificateCommonName}`,
      );
    }
    let current = leaf;
    for (let depth = 0; depth < MAX_CHAIN_LENGTH; depth += 1) {
      if (!withinValidity(current, now)) throw new WebhookSignatureError(`certificate ${current.subject.replace(/\n/g, ', ')} is outside its validity dates`);
      if (this.trustedRoots.some((root) => issuedBy(current, root) && withinValidity(root, now))) return leaf;
      const issuer = intermediates.find((candidate) => candidate.ca && issuedBy(current, candidate));
      if (!issuer) break;
      current = issuer;
    }
    throw new WebhookSignatureError('signing certificate does not chain to a trusted root');
  }

  private fetchText(url: URL): Promise<string> {
    return new Promise((resolve, reject) => {
      const request = https.get(url, { agent: this.settings.httpsAgent, timeout: 10_000 }, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          return reject(new CertificateUnavailableError(`fetching the PayPal certificate answered ${response.statusCode}`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_CERTIFICATE_BYTES) request.destroy(new WebhookSignatureError('PayPal certificate is too large'));
          else chunks.push(chunk);
        });
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        response.on('error', (error) => reject(new CertificateUnavailableError(`could not read the PayPal certificate: ${error.message}`)));
      });
      request.on('timeout', () => request.destroy(new CertificateUnavailableError('fetching the PayPal certificate timed out')));
      request.on('error', (error) =>
        reject(
          error instanceof WebhookSignatureError || error instanceof CertificateUnavailableError
            ? error
            : new CertificateUnavailableError(`could not fetch the PayPal certificate: ${error.message}`),
        ),
      );
    });
  }

  private now(): Date {
    return this.settings.now?.() ?? new Date();
  }
}

function issuedBy(certificate: X509Certificate, issuer: X509Certificate): boolean {
  return certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
}

function withinValidity(certificate: X509Certificate, now: Date): boolean {
  return new Date(certificate.validFrom) <= now && now <= new Date(certificate.validTo);
}

function commonNames(certificate: X509Certificate): string[] {
  return certificate.subject
    .split('\n')
    .filter((line) => line.startsWith('CN='))
    .map((line) => line.slice(3));
}

function parseCertificates(bundle: string): X509Certificate[] {
  try {
    return splitPem(bundle).map((pem) => new X509Certificate(pem));
  } catch (error) {
    throw new WebhookSignatureError(`the PayPal certificate is not a valid certificate: ${(error as Error).message}`);
  }
}

function splitPem(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

function requiredHeader(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) throw new WebhookSignatureError(`${name.toUpperCase()} header is missing`);
  return text;
}
