import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { DocumentNode, FragmentDefinitionNode, GraphQLError, Kind, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { bearerToken } from '../auth/bearer';
import type { TokenVerifier, VerifiedToken } from '../auth/jwt';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { GraphQLContext } from '../graphql/context';
import { clientRateLimitKey, principalRateLimitKey, RateLimitDecision, RateLimits } from './rate-limits';
import { graphQLRefusal } from '../common/graphql-refusal';
import type { FairAdmission, Sender } from './fair-admission';

/** Mutation fields that call a payment provider; each one in an operation takes a point of the `payment` bucket. */
const PAYMENT_MUTATION_FIELDS = new Set(['createTopUp', 'capturePayPalTopUp']);

/** What the guard learnt of a request's token, so the GraphQL context need not verify it again. */
const verifiedByGuard = new WeakMap<Request, VerifiedToken | null>();

/**
 * For /graphql and the CSV routes, before the body is read. The credential is verified first (the
 * verified-token cache makes that a map lookup; the token's size is bounded), then:
 * - no credential: the address's `ip` bucket, so unauthenticated floods are refused per address;
 * - a refused credential: the address's `failedAuthentication` bucket, refused while it is empty;
 * - a verified credential: its principal's bucket and the generous per-address `authenticatedIp`
 *   ceiling, never the failed-authentication bucket, so a neighbour behind the same address who
 *   sends forged tokens cannot lock a valid client out.
 * A refused token still goes on to the route (while the bucket has points), which answers 401.
 */
export function requestRateLimitGuard(limits: RateLimits, tokens: TokenVerifier, admission?: FairAdmission): RequestHandler {
  return async (request: Request, response: Response, next: NextFunction) => {
    const ip = clientRateLimitKey(request.ip);
    const header = request.headers.authorization;
    const byAddress: Sender = { address: `ip:${ip}`, principal: null };
    // Counts this request's answer for its sender (a refusal from here on included) and returns what
    // lets it in once the rate limits pass (src/server/fair-admission.ts): at once, or after its
    // address's earlier requests when that address keeps being refused.
    const admitted = (sender: Sender) => {
      admission?.watch(sender, response);
      return admission ? () => admission.admit(sender, response, next, () => refuse(response, 1, FULL_LINE)) : next;
    };
    if (!header) {
      verifiedByGuard.set(request, null);
      answer(await limits.consume('ip', ip), response, admitted(byAddress), 'Too many requests from your address.');
      return;
    }
    const verified = await verifyBearer(tokens, header);
    if (verified === 'refused') {
      const waitSeconds = limits.failedAuthenticationWaitSeconds(ip);
      const admit = admitted(byAddress);
      if (waitSeconds > 0) refuse(response, waitSeconds, 'Too many failed authentications from your address.');
      else answer(await limits.recordFailedAuthentication(ip), response, admit, 'Too many failed authentications from your address.');
      return;
    }
    if (!verified) {
      // Verification itself broke (e.g. the JWKS unreachable): the route answers; the address pays as unauthenticated.
      answer(await limits.consume('ip', ip), response, admitted(byAddress), 'Too many requests from your address.');
      return;
    }
    verifiedByGuard.set(request, verified);
    const principalKey = principalRateLimitKey(verified.principal);
    const admit = admitted({ ...byAddress, principal: `principal:${principalKey}` });
    const principal = await limits.consume('principal', principalKey);
    if (!principal.allowed) {
      refuse(response, principal.retryAfterSeconds, 'Too many requests for this token.');
      return;
    }
    answer(await limits.consume('authenticatedIp', ip), response, admit, 'Too many authenticated requests from your address.');
  };
}

const FULL_LINE = 'Too many of your requests are waiting: your requests keep being refused, so only a few are served at a time.';

/** The token the guard verified for this request (null: none sent), or undefined when it did not decide. */
export function tokenVerifiedByGuard(request: Request): VerifiedToken | null | undefined {
  return verifiedByGuard.get(request);
}

/** The close code of a WebSocket whose IP must wait after too many failed authentications (4429: "429" in graphql-ws's 4xxx range). */
export const WEBSOCKET_RATE_LIMITED_CLOSE_CODE = 4429;

/**
 * graphql-ws's connection_init: the token is verified first, as on HTTP; a refused one pays into
 * the same failed-authentication bucket, and once that is empty the socket is closed with 4429.
 * A valid token is never refused for its address's failed authentications. Resolves to the
 * verified token, or null when the connection is refused.
 */
export async function guardWebSocketAuthentication<Verified>(
  limits: RateLimits,
  connection: { socket: { close(code: number, reason: string): void }; request: IncomingMessage },
  authenticate: () => Promise<Verified | null>,
): Promise<Verified | null> {
  const ip = clientRateLimitKey(connection.request.socket.remoteAddress);
  const closeRateLimited = (seconds: number) =>
    connection.socket.close(WEBSOCKET_RATE_LIMITED_CLOSE_CODE, `Too many failed authentications; retry in ${seconds} s`);
  try {
    return await authenticate();
  } catch (error) {
    if (error instanceof DomainError && error.code === ErrorCode.UNAUTHENTICATED) {
      const waitSeconds = limits.failedAuthenticationWaitSeconds(ip);
      if (waitSeconds > 0) {
        closeRateLimited(waitSeconds);
        return null;
      }
      const decision = await limits.recordFailedAuthentication(ip);
      if (!decision.allowed) closeRateLimited(decision.retryAfterSeconds);
    }
    return null;
  }
}

/** Provider callbacks (the routes a module declares with `rateLimit: 'callback'`): per client IP and route. */
export function webhookRateLimitGuard(limits: RateLimits): RequestHandler {
  return async (request: Request, response: Response, next: NextFunction) => {
    const key = `${request.baseUrl}|${clientRateLimitKey(request.ip)}`;
    answer(await limits.consume('webhook', key), response, next, 'Too many callbacks from your address.');
  };
}

/**
 * Refuses an operation before execution when its provider-calling mutation fields would exceed
 * the principal's `payment` bucket, so a burst never reaches the provider. Aliases count once each.
 */
export function paymentRateLimitPlugin(limits: RateLimits): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, contextValue }) {
          const principal = contextValue.principal;
          if (!principal || operation?.operation !== 'mutation') return;
          const fields = countPaymentFields(operation, document);
          if (fields === 0) return;
          const decision = await limits.consume('payment', principalRateLimitKey(principal), fields);
          if (!decision.allowed) throw rateLimitedGraphQLError(decision.retryAfterSeconds, 'Too many payment requests; wait before starting another top-up.');
        },
      };
    },
  };
}

/** A RATE_LIMITED error for a whole GraphQL request: HTTP 429 with Retry-After, and the wait in the extensions. */
function rateLimitedGraphQLError(retryAfterSeconds: number, message: string): GraphQLError {
  return graphQLRefusal(message, {
    originalError: new DomainError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds }),
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      retryAfterSeconds,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
}

function answer(decision: RateLimitDecision, response: Response, next: NextFunction, message: string): void {
  if (decision.allowed) next();
  else refuse(response, decision.retryAfterSeconds, message);
}

function refuse(response: Response, retryAfterSeconds: number, message: string): void {
  response
    .status(429)
    .setHeader('retry-after', String(retryAfterSeconds))
    .json({ errors: [{ message: `${message} Retry in ${retryAfterSeconds} s.`, extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds } }] });
}

/** The verified token; 'refused' for a malformed header or a token that fails verification; null when verification itself broke. */
async function verifyBearer(tokens: TokenVerifier, header: string): Promise<VerifiedToken | 'refused' | null> {
  try {
    return await tokens.verify(bearerToken(header)!);
  } catch (error) {
    // Anything but a refusal is left to the route's own handling (and error log).
    return error instanceof DomainError && error.code === ErrorCode.UNAUTHENTICATED ? 'refused' : null;
  }
}

function countPaymentFields(operation: OperationDefinitionNode, document: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const visited = new Set<string>();
  const count = (selectionSet: SelectionSetNode): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) total += PAYMENT_MUTATION_FIELDS.has(selection.name.value) ? 1 : 0;
      else if (selection.kind === Kind.INLINE_FRAGMENT) total += count(selection.selectionSet);
      else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) total += count(fragment.selectionSet);
      }
    }
    return total;
  };
  return count(operation.selectionSet);
}
