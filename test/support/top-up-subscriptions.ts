import { collect, CollectedSubscription, connect } from './subscriptions';

export type CollectedEvents = CollectedSubscription<any>;

/** One subscription for a test, with the bearer token in connection_init (see ./subscriptions). */
export function collectEvents(websocketUrl: string, token: string, query: string, variables: Record<string, unknown>): CollectedEvents {
  return collect(connect(websocketUrl, token), query, variables);
}
