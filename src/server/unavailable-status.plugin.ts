import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../common/domain-error';

/**
 * A GraphQL request that failed entirely because the database is unreachable answers HTTP 503 (with
 * the usual GraphQL body), so load balancers, proxies and generic HTTP clients see an outage and
 * not a success. A partial answer (some fields resolved) keeps 200: it carries data.
 */
export function unavailableStatusPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (!errors || errors.length === 0) return;
          if (!errors.every((error) => error.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE)) return;
          const nothingResolved = data === null || data === undefined || Object.values(data).every((value) => value === null);
          if (nothingResolved) response.http.status = 503;
        },
      };
    },
  };
}
