import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';

/**
 * Every GraphQL answer is `Cache-Control: no-store`, as Apollo's default cache-control plugin
 * answers a schema without cache hints, which this one is: an answer holds a caller's balances and
 * is never to be kept by a proxy or a browser.
 *
 * That default plugin is turned off because of what it costs: it runs a hook on every field of
 * every answer (a cache policy object and a closure per field), and once any plugin has such a
 * hook Apollo wraps every resolver of the schema, default resolvers included, so that hook can
 * run. Without it, graphql-js resolves fields directly (the `simpleResolvers` types stay simple).
 */
export function uncacheableAnswersPlugins<Context extends object>(): ApolloServerPlugin<Context>[] {
  return [
    ApolloServerPluginCacheControlDisabled(),
    {
      async requestDidStart() {
        return {
          async willSendResponse({ response }) {
            response.http.headers.set('cache-control', 'no-store');
          },
        };
      },
    },
  ];
}
