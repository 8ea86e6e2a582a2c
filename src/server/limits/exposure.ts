import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError } from 'graphql';
import type { ExposureConfig } from '../../config';

type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** GraphQL's hints name fields, arguments, types and enum values of the schema. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/**
 * With field suggestions off, "Cannot query field "balancez" on type "Query". Did you mean
 * "balances"?" loses its second sentence, so the schema cannot be read out of error messages
 * when introspection is off. Wrapped around the one error formatter, it covers HTTP and WebSocket.
 */
export function withFieldSuggestions(exposure: ExposureConfig, format: ErrorFormatter): ErrorFormatter {
  if (exposure.fieldSuggestions) return format;
  return (formatted, error) => {
    const result = format(formatted, error);
    return { ...result, message: result.message.replace(SUGGESTION, '') };
  };
}

/** The landing page on GET /graphql (the bundled explorer), or none at all. */
export function landingPagePlugin(exposure: ExposureConfig, page: () => ApolloServerPlugin): ApolloServerPlugin {
  return exposure.landingPage ? page() : ApolloServerPluginLandingPageDisabled();
}

/**
 * Apollo looks a persisted query up only when `query` is absent; clients that send `query=` (an
 * empty GET parameter) or `"query": ""` next to the hash would be told the hash does not match.
 * An empty query next to a hash means "no query": an unknown hash then answers
 * PERSISTED_QUERY_NOT_FOUND, and the client sends the full query as the protocol expects.
 */
export function emptyQueryMeansPersistedQueryPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      if (request.extensions?.persistedQuery && typeof request.query === 'string' && request.query.trim() === '') {
        request.query = undefined;
      }
    },
  };
}
