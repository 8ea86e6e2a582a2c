import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { DomainError, ErrorCode, PROTOCOL_ERROR_CODES } from '../common/domain-error';
import type { DependencyOutages } from '../common/dependency-outages';
import type { Logger } from '../common/logger';
import { isConnectionFailure, serviceUnavailable } from '../database/database-errors';

/** Codes GraphQL and Apollo themselves give for malformed requests (BAD_USER_INPUT among them); stable, passed through. */
const PROTOCOL_CODES = new Set<string>([...PROTOCOL_ERROR_CODES, ErrorCode.BAD_USER_INPUT]);
const DOMAIN_CODES = new Set<string>(Object.values(ErrorCode));

/**
 * The one place where errors become what the client sees. A domain refusal keeps its code and
 * message; a malformed request keeps GraphQL's; anything else is a bug, logged in full and shown
 * as a generic message that leaks nothing.
 */
export function createErrorFormatter(logger: Logger, outages: DependencyOutages) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    let original = unwrapResolverError(error);
    // A refusal raised before execution (e.g. RATE_LIMITED, with an HTTP status) carries its DomainError as the cause.
    if (original instanceof GraphQLError && original.originalError instanceof DomainError) original = original.originalError;
    // A database outage met outside the transaction runner is still an outage, not a bug.
    if (!(original instanceof DomainError) && isConnectionFailure(original)) original = serviceUnavailable(original);
    if (original instanceof DomainError) {
      // Each request refused so is logged, unless the outage behind it already has its line.
      if (original.code === ErrorCode.SERVICE_UNAVAILABLE && !outages.explains(original))
        logger.warn({ err: (original as { cause?: unknown }).cause ?? original, path: formatted.path }, 'database unavailable');
      return { message: original.message, path: formatted.path, locations: formatted.locations, extensions: { code: original.code, ...original.details } };
    }
    const inputError = findBadUserInput(error);
    if (inputError) {
      return { message: formatted.message, path: formatted.path, locations: formatted.locations, extensions: { code: ErrorCode.BAD_USER_INPUT } };
    }
    const requestError = findRefusedRequest(error);
    if (requestError) {
      return { message: requestError.message, extensions: { code: 'BAD_REQUEST' } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && (PROTOCOL_CODES.has(code) || (DOMAIN_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR))) {
      return { message: formatted.message, path: formatted.path, locations: formatted.locations, extensions: { code } };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error in a GraphQL operation');
    return {
      message: 'Something went wrong on our side. It has been logged; please try again later.',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

/**
 * A scalar's parse error (e.g. a malformed Credits literal) reaches us wrapped in a validation
 * error; its cause carries BAD_USER_INPUT, and that is the code the client should see.
 */
function findBadUserInput(error: unknown): GraphQLError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof GraphQLError && current.extensions?.code === ErrorCode.BAD_USER_INPUT) return current;
    current = (current as { originalError?: unknown }).originalError;
  }
  return null;
}

/**
 * Apollo refuses some malformed requests (an unsupported persisted-query version, a hash that
 * does not match the query) with a code-less GraphQLError and an HTTP 4xx status: the client's
 * mistake, not a bug, so it is BAD_REQUEST with Apollo's message and no error log.
 */
function findRefusedRequest(error: unknown): GraphQLError | null {
  if (!(error instanceof GraphQLError) || error.extensions?.code !== undefined) return null;
  const status = (error.extensions?.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? error : null;
}
