// jose's entry point loads all of jose (83 files); its subpaths load what these four functions need.
import type { JWTPayload, JWTVerifyOptions, JWTVerifyResult, KeyLike } from 'jose';
import { createRemoteJWKSet } from 'jose/jwks/remote';
import { importSPKI } from 'jose/key/import';
import { SignJWT } from 'jose/jwt/sign';
import { jwtVerify } from 'jose/jwt/verify';
import type { AuthConfig } from '../config';
import { DomainError, ErrorCode } from '../common/domain-error';
import { Principal, Role, Scope, type VerifiedToken } from './principal';
import { VerifiedTokenCache } from './verified-token-cache';

/**
 * The claims a token carries: `sub` (user or service id), `account_id`, `role` for users, and a
 * space-separated `scope` for services and the platform admin.
 */
export interface CreditsClaims extends JWTPayload {
  account_id?: string;
  role?: string;
  scope?: string;
}

/** Verifies API keys (src/api-keys), plugged in by the composition root so that auth imports no feature. */
export interface ApiKeyAuthenticator {
  verify(key: string): Promise<VerifiedToken>;
}

/** Every API key starts so (`ck_live_`, `ck_test_`); a JWT never does. */
export const API_KEY_MARK = 'ck_';

type VerifyFunction = (token: string, options: JWTVerifyOptions) => Promise<JWTVerifyResult>;

export class TokenVerifier {
  private readonly cache = new VerifiedTokenCache();
  private apiKeys: ApiKeyAuthenticator | null = null;

  private constructor(
    private readonly verifyWithKey: VerifyFunction,
    private readonly algorithms: string[],
    private readonly config: AuthConfig,
  ) {}

  /** RS256 with a JWKS or a PEM public key in production; an HS256 shared secret otherwise. */
  static async create(config: AuthConfig): Promise<TokenVerifier> {
    if (config.jwksUrl) {
      const keySet = createRemoteJWKSet(new URL(config.jwksUrl));
      return new TokenVerifier((token, options) => jwtVerify(token, keySet, options), ['RS256'], config);
    }
    if (config.publicKeyPem) {
      const key: KeyLike = await importSPKI(config.publicKeyPem, 'RS256');
      return new TokenVerifier((token, options) => jwtVerify(token, key, options), ['RS256'], config);
    }
    if (!config.hmacSecret) throw new Error('no JWT verification key configured');
    const secret = new TextEncoder().encode(config.hmacSecret);
    return new TokenVerifier((token, options) => jwtVerify(token, secret, options), ['HS256'], config);
  }

  /** Lets API keys through the same path as tokens (every entry point calls `verify`). */
  useApiKeys(authenticator: ApiKeyAuthenticator): void {
    this.apiKeys = authenticator;
  }

  /**
   * Turns a bearer token or an API key into a principal, or refuses with UNAUTHENTICATED; a token seen
   * before and not yet expired is not checked again. API keys have their own cache with a short
   * recheck, as a revocation must take effect within seconds.
   */
  async verify(token: string): Promise<VerifiedToken> {
    // Bounded before anything else: a huge forged token costs a length check, not a parse.
    if (Buffer.byteLength(token) > this.config.maxTokenBytes) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The access token is too long.');
    if (token.startsWith(API_KEY_MARK)) {
      if (!this.apiKeys) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The API key is invalid, expired or revoked.');
      return this.apiKeys.verify(token);
    }
    const cached = this.cache.get(token);
    if (cached) return cached;
    const verified = await this.verifyUncached(token);
    this.cache.set(token, verified);
    return verified;
  }

  private async verifyUncached(token: string): Promise<VerifiedToken> {
    let claims: CreditsClaims;
    try {
      // The algorithm is pinned to the key's type (HS256 for a secret, RS256 for a public key), so
      // `none` and a token HMAC-signed with the public key are refused; `exp` is required.
      const verified = await this.verifyWithKey(token, {
        algorithms: this.algorithms,
        issuer: this.config.issuer ?? undefined,
        audience: this.config.audience ?? undefined,
        requiredClaims: ['exp'],
        clockTolerance: this.config.clockSkewSeconds,
      });
      claims = verified.payload as CreditsClaims;
    } catch {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The access token is invalid or expired.');
    }
    if (!withinMaxLifetime(claims, this.config)) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, `The access token lives longer than ${this.config.maxLifetimeSeconds} seconds.`);
    }
    return { principal: principalFromClaims(claims), expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : null };
  }
}

export type { VerifiedToken };

/** `exp` − `iat` (or − now, without `iat`) within the maximum lifetime, allowing the clock skew. */
function withinMaxLifetime(claims: CreditsClaims, config: AuthConfig): boolean {
  if (typeof claims.exp !== 'number') return false;
  const now = Math.floor(Date.now() / 1000);
  const issuedAt = typeof claims.iat === 'number' ? Math.min(claims.iat, now + config.clockSkewSeconds) : now;
  return claims.exp - issuedAt <= config.maxLifetimeSeconds + config.clockSkewSeconds;
}

export function principalFromClaims(claims: CreditsClaims): Principal {
  const refuse = (why: string) => new DomainError(ErrorCode.UNAUTHENTICATED, `The access token is not usable: ${why}.`);
  // A correctly signed token can still carry claims of the wrong type (an issuer's bug, or a token
  // minted for another service): every claim we read is checked by type before it is used.
  const raw = claims as Record<string, unknown>;
  if (typeof raw.sub !== 'string' || raw.sub.length === 0) throw refuse('it has no subject');
  if (raw.scope !== undefined && typeof raw.scope !== 'string') throw refuse('scope must be a space-separated string');
  if (raw.account_id !== undefined && typeof raw.account_id !== 'string') throw refuse('account_id must be a string');
  if (raw.role !== undefined && typeof raw.role !== 'string') throw refuse('role must be a string');
  if (raw.exp !== undefined && (typeof raw.exp !== 'number' || !Number.isFinite(raw.exp))) throw refuse('exp must be a number');
  const scopes = ((raw.scope as string | undefined) ?? '').split(' ').filter(Boolean);
  const knownScopes = scopes.filter((scope): scope is Scope => (Object.values(Scope) as string[]).includes(scope));
  if (raw.account_id !== undefined || raw.role !== undefined) {
    if (typeof raw.account_id !== 'string' || !raw.account_id) throw refuse('a user token needs account_id');
    if (!(Object.values(Role) as string[]).includes((raw.role as string | undefined) ?? '')) throw refuse('role must be OWNER, BILLING_ADMIN or VIEWER');
    return { subject: raw.sub, accountId: raw.account_id, role: raw.role as Role, scopes: knownScopes };
  }
  if (knownScopes.length === 0) throw refuse('it names neither an account and role nor a scope');
  return { subject: raw.sub, accountId: null, role: null, scopes: knownScopes };
}

/** Signs an HS256 token; used by `npm run token`, the demo start-up and the tests. */
export async function signToken(
  secret: string,
  claims: { sub: string; accountId?: string; role?: Role; scopes?: Scope[] },
  expiresIn = '12h',
  audience: { issuer?: string | null; audience?: string | null } = {},
): Promise<string> {
  const payload: CreditsClaims = {};
  if (claims.accountId) payload.account_id = claims.accountId;
  if (claims.role) payload.role = claims.role;
  if (claims.scopes?.length) payload.scope = claims.scopes.join(' ');
  const token = new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setSubject(claims.sub).setIssuedAt().setExpirationTime(expiresIn);
  if (audience.issuer) token.setIssuer(audience.issuer);
  if (audience.audience) token.setAudience(audience.audience);
  return token.sign(new TextEncoder().encode(secret));
}
