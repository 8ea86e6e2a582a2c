import { GraphQLError, GraphQLErrorOptions } from 'graphql';
import { withoutStackTrace } from './domain-error';

/** A GraphQL error refusing a client's request, made without a stack trace (see `withoutStackTrace`). */
export function graphQLRefusal(message: string, options?: GraphQLErrorOptions): GraphQLError {
  return withoutStackTrace(() => new GraphQLError(message, options));
}
