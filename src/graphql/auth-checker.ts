import type { AuthCheckerFn } from 'type-graphql';
import { AccessPolicy } from '../auth/access-policy';
import { API_KEY_SCOPE_OF_ROOT_FIELD, requireApiKeyScope } from '../auth/api-key-scopes';
import type { AccessRule, ResolverCall } from './access';
import type { GraphQLContext } from './context';

/** A subscription's decision, made when it starts; its context lives as long as the subscription. */
const subscriptionDecisions = new WeakMap<object, Promise<void>>();

/**
 * The one auth checker (buildSchema's `authChecker`): every `@Authorized(...)` field needs a
 * principal, then every rule it lists, each of which asks the AccessPolicy. A refusal throws the
 * policy's error (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND for the admin), so the codes are the
 * policy's, not type-graphql's generic ones.
 *
 * type-graphql also runs the checker before each event of a subscription; the decision made when it
 * started stands (an event is filtered by `authorisedEvents`: the token's expiry and the key), so
 * events cost no lookups.
 */
export const authChecker: AuthCheckerFn<GraphQLContext, AccessRule> = async (call, rules) => {
  if (call.info.parentType === call.info.schema.getSubscriptionType()) {
    let decision = subscriptionDecisions.get(call.context);
    if (!decision) {
      decision = decide(call, rules);
      subscriptionDecisions.set(call.context, decision);
    }
    await decision;
    return true;
  }
  await decide(call, rules);
  return true;
};

async function decide(call: ResolverCall, rules: AccessRule[]): Promise<void> {
  const principal = AccessPolicy.requireAuthenticated(call.context.principal);
  // An API key passes a root field only with the scope mapped to it; nested fields follow from
  // the root field the key was allowed (their own rules still apply).
  const { parentType, fieldName, schema } = call.info;
  if (principal.apiKey && (parentType === schema.getQueryType() || parentType === schema.getMutationType() || parentType === schema.getSubscriptionType())) {
    const operation = `${parentType.name}.${fieldName}`;
    requireApiKeyScope(principal, operation, API_KEY_SCOPE_OF_ROOT_FIELD[operation]);
  }
  for (const rule of rules) await rule(call, principal);
}
