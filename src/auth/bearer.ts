import { DomainError, ErrorCode } from '../common/domain-error';
import { AccessPolicy } from './access-policy';
import type { TokenVerifier, VerifiedToken } from './jwt';
import type { Principal } from './principal';

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * The token of an `Authorization: Bearer <token>` header, for every entry point (GraphQL over HTTP
 * and WebSocket, the CSV routes, the rate-limit guard): null when no header was sent, UNAUTHENTICATED
 * for a header of another shape.
 */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = BEARER.exec(header);
  if (!match) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The Authorization header must be "Bearer <token>".');
  return match[1];
}

/** The verified token of an Authorization header, or null when none was sent; a bad one is refused (UNAUTHENTICATED). */
export async function authenticateBearer(tokens: TokenVerifier, header: string | undefined): Promise<VerifiedToken | null> {
  const token = bearerToken(header);
  return token === null ? null : tokens.verify(token);
}

/** The caller of a download route (CSV reports, history, receipt PDFs): a bearer token is required (UNAUTHENTICATED without one). */
export async function authenticate(tokens: TokenVerifier, header: string | undefined): Promise<Principal> {
  const verified = await authenticateBearer(tokens, header);
  return AccessPolicy.requireAuthenticated(verified?.principal ?? null);
}
