import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import { DocumentNode, GraphQLError, GraphQLSchema, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate, ValidationRule } from 'graphql';
import type { ExposureConfig, RequestLimitsConfig } from '../../config';
import { checkOperationCost } from './query-cost';

/**
 * graphql-armor reports "Syntax Error: Query depth limit of 10 exceeded, found 12."; the document
 * parsed fine, so the client gets GraphQL's validation code and the limit without the prefix.
 */
const reportAsValidationFailure: GraphQLArmorRejectCallback = (context, error) => {
  context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
};

/**
 * Depth, aliases and directives: static limits on the document, as validation rules, so Apollo
 * (HTTP) and graphql-ws (WebSocket) run the very same ones. Introspection fields are not exempt
 * from aliases or directives, but `__schema` is from depth (its own query is deep by design).
 */
export function limitValidationRules(limits: RequestLimitsConfig): ValidationRule[] {
  const common = { exposeLimits: true, propagateOnRejection: false, onReject: [reportAsValidationFailure] };
  return [
    maxDepthRule({ ...common, n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true }),
    maxAliasesRule({ ...common, n: limits.maxAliases }),
    maxDirectivesRule({ ...common, n: limits.maxDirectives }),
  ];
}

/** Variables (as JSON) remembered per document as within the limits; more and the document's list starts over. */
const PASSED_VARIABLE_SETS_PER_DOCUMENT = 100;
/** Longer scalar variables are checked every time rather than kept. */
const MAX_REMEMBERED_VARIABLES_LENGTH = 1024;

/**
 * Apollo (HTTP): the page-size and cost limits need the variables, so they run once the
 * operation is resolved, still before execution. A refusal is a 400 with the limit named.
 *
 * The verdict depends only on the document (Apollo hands the same parsed document object for the
 * same query text, from its document cache), the operation name and the variables, so a passing
 * combination is remembered per document object and not walked again: `{ __typename }` or a
 * `balances($id)` read with an id seen before costs a map lookup. Only scalar variables are kept
 * (input objects and lists, such as a transfer's input with its fresh idempotency key or a usage
 * batch, are checked every time), and refusals are always recomputed.
 */
export function operationCostPlugin(limits: RequestLimitsConfig): ApolloServerPlugin {
  const passed = new WeakMap<DocumentNode, Set<string>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          const key = rememberKey(operationName, request.variables);
          const known = passed.get(document);
          if (key !== null && known?.has(key)) return;
          const refusals = checkOperationCost(limits, {
            schema,
            document,
            variables: request.variables,
            operationName: operationName ?? undefined,
          });
          if (refusals.length > 0) throw refusals[0];
          if (key === null) return;
          const set = known && known.size < PASSED_VARIABLE_SETS_PER_DOCUMENT ? known : new Set<string>();
          set.add(key);
          passed.set(document, set);
        },
      };
    },
  };
}

function rememberKey(operationName: string | null | undefined, variables: Record<string, unknown> | undefined): string | null {
  if (variables && Object.values(variables).some((value) => value !== null && typeof value === 'object')) return null;
  const text = variables ? JSON.stringify(variables) : '';
  return text.length <= MAX_REMEMBERED_VARIABLES_LENGTH ? `${operationName ?? ''}\u0000${text}` : null;
}

export interface CheckedOperation {
  document: DocumentNode;
}

/**
 * graphql-ws (WebSocket) parses and validates on its own; this does both with the same limits
 * as HTTP (tokens while parsing, the validation rules, introspection when it is off, then page
 * sizes and cost). Returns the parsed document, or the refusals to send back.
 */
export function checkWebSocketOperation(
  options: { schema: GraphQLSchema; limits: RequestLimitsConfig; exposure: ExposureConfig },
  payload: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null },
): CheckedOperation | GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(payload.query, { maxTokens: options.limits.maxTokens });
  } catch (error) {
    if (error instanceof GraphQLError) return [withCode(error, 'GRAPHQL_PARSE_FAILED')];
    throw error;
  }
  const rules = [...specifiedRules, ...limitValidationRules(options.limits)];
  if (!options.exposure.introspection) rules.push(NoSchemaIntrospectionCustomRule);
  const validationErrors = validate(options.schema, document, rules);
  if (validationErrors.length > 0) return validationErrors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
  const refusals = checkOperationCost(options.limits, {
    schema: options.schema,
    document,
    variables: payload.variables ?? undefined,
    operationName: payload.operationName ?? undefined,
  });
  return refusals.length > 0 ? refusals : { document };
}

/** GraphQL's own errors carry no code; the error mapper passes these protocol codes through. */
function withCode(error: GraphQLError, code: string): GraphQLError {
  if (typeof error.extensions.code === 'string') return error;
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });
}
