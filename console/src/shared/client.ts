import { createClient as createWebSocketClient } from 'graphql-ws';
import { cacheExchange, Client, fetchExchange, mapExchange, subscriptionExchange } from 'urql';

/**
 * One urql client per signed-in token: queries and mutations over HTTP POST (Apollo's CSRF
 * prevention refuses a GET without a preflight header), subscriptions over graphql-ws on the same
 * path, the token in the Authorization header and in connection_init. Signing out disposes both;
 * an UNAUTHENTICATED answer signs out.
 */
export function createConsoleClient(options: { graphqlPath: string; token: string; onUnauthenticated(message: string): void }): {
  client: Client;
  dispose(): void;
} {
  const { graphqlPath, token } = options;
  const authorization = `Bearer ${token}`;
  const websocketUrl = new URL(graphqlPath, window.location.href);
  websocketUrl.protocol = websocketUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const sockets = createWebSocketClient({ url: websocketUrl.toString(), connectionParams: { authorization }, lazy: true, retryAttempts: 5 });
  const client = new Client({
    url: graphqlPath,
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: { headers: { authorization } },
    exchanges: [
      // A token that expired or was revoked mid-session: back to the sign-in page, saying why.
      mapExchange({
        onError(error) {
          const refused = error.graphQLErrors.find((graphQLError) => graphQLError.extensions?.code === 'UNAUTHENTICATED');
          if (refused) options.onUnauthenticated(refused.message);
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const operation = { ...request, query: request.query ?? '' };
          return { subscribe: (sink) => ({ unsubscribe: sockets.subscribe(operation, sink) }) };
        },
      }),
    ],
  });
  return { client, dispose: () => void sockets.dispose() };
}
