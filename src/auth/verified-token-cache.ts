import type { VerifiedToken } from './principal';

/** At most this many verified tokens are remembered; the oldest is forgotten first. */
export const VERIFIED_TOKEN_CACHE_ENTRIES = 10_000;
/**
 * A remembered token is checked again after this long even before it expires, so a key withdrawn
 * from the JWKS (or a changed issuer) stops being honoured within minutes, as with jose's own
 * JWKS cache.
 */
export const VERIFIED_TOKEN_CACHE_MAX_AGE_MS = 5 * 60_000;

/**
 * Verified bearer tokens, so a client sending the same token on every request pays the signature
 * check once: an entry lives until the token expires (or the max age), and the cache holds a
 * bounded number of them. Only successful verifications are kept; a refused token is checked
 * again every time.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { verified: VerifiedToken; validUntil: number }>();

  constructor(
    private readonly maxEntries = VERIFIED_TOKEN_CACHE_ENTRIES,
    private readonly maxAgeMs = VERIFIED_TOKEN_CACHE_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  get(token: string): VerifiedToken | null {
    const entry = this.entries.get(token);
    if (!entry) return null;
    if (this.now() >= entry.validUntil) {
      this.entries.delete(token);
      return null;
    }
    return entry.verified;
  }

  set(token: string, verified: VerifiedToken): void {
    const now = this.now();
    const validUntil = Math.min(verified.expiresAt ?? Number.POSITIVE_INFINITY, now + this.maxAgeMs);
    if (validUntil <= now) return;
    this.entries.delete(token);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { verified, validUntil });
  }

  get size(): number {
    return this.entries.size;
  }
}
