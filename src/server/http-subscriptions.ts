import type { ApolloServerPlugin } from '@apollo/server';
import { graphQLRefusal } from '../common/graphql-refusal';

/**
 * Subscriptions are served over WebSocket (graphql-ws) only. Over HTTP, Apollo would execute a
 * subscription document like a query, whose subscription resolvers then fail as an internal
 * error; refuse it as the malformed request it is (BAD_REQUEST, HTTP 400), before any work.
 */
export function refuseSubscriptionsOverHttp<Context extends object>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === 'subscription') {
            throw graphQLRefusal('Subscriptions are served over WebSocket (graphql-ws protocol) on this URL, not over HTTP.', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
