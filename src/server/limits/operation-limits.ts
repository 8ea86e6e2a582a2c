import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import {
  DocumentNode,
  GraphQLError,
  GraphQLSchema,
  Kind,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  ValidationRule,
  visit,
} from 'graphql';
import type { ExposureConfig, RequestLimitsConfig } from '../../config';
import { checkOperationInput, checkVariablesShape } from './operation-input';
import { checkOperationCost, PAGE_SIZE_ARGUMENTS } from './query-cost';
import { graphQLRefusal } from '../../common/graphql-refusal';

/**
 * graphql-armor reports "Syntax Error: Query depth limit of 10 exceeded, found 12."; the document
 * parsed fine, so the client gets GraphQL's validation code and the limit without the prefix.
 */
const reportAsValidationFailure: GraphQLArmorRejectCallback = (context, error) => {
  context?.reportError(graphQLRefusal(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
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

/** Variable values (as JSON) remembered per document as within the limits; more and the document's list starts over. */
const PASSED_VARIABLE_SETS_PER_DOCUMENT = 100;
/** Longer pricing variables are checked every time rather than kept. */
const MAX_REMEMBERED_VARIABLES_LENGTH = 1024;

/**
 * Apollo (HTTP): the page-size and cost limits need the variables, so they run once the
 * operation is resolved, still before execution. A refusal is a 400 with the limit named.
 *
 * The verdict depends only on the document (Apollo hands the same parsed document object for the
 * same query text, from its document cache), the operation name, and the variables that can change
 * a price: those given to a page-size argument (`first`, `last`, `limit`) or to a directive
 * (`@include(if: $x)` decides whether a selection counts). So a passing combination of those is
 * remembered per document object and the document is not walked again: a `transferCredits` with a
 * fresh idempotency key, or a `balances($id)` with any id, costs a map lookup. Refusals are always
 * recomputed.
 */
export function operationCostPlugin(limits: RequestLimitsConfig): ApolloServerPlugin {
  const passed = new WeakMap<DocumentNode, Set<string>>();
  const pricingVariables = new WeakMap<DocumentNode, string[]>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          let names = pricingVariables.get(document);
          if (!names) pricingVariables.set(document, (names = variablesThatPrice(document)));
          const values = JSON.stringify(names.map((name) => request.variables?.[name] ?? null));
          const key = values.length <= MAX_REMEMBERED_VARIABLES_LENGTH ? `${operationName ?? ''}\u0000${values}` : null;
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

/** The variables a document passes to a page-size argument or to a directive, in a stable order. */
export function variablesThatPrice(document: DocumentNode): string[] {
  const names = new Set<string>();
  let insideDirective = 0;
  let insidePricingArgument = 0;
  visit(document, {
    Directive: { enter: () => void insideDirective++, leave: () => void insideDirective-- },
    Argument: {
      enter: (node) => void (insidePricingArgument += (PAGE_SIZE_ARGUMENTS as readonly string[]).includes(node.name.value) ? 1 : 0),
      leave: (node) => void (insidePricingArgument -= (PAGE_SIZE_ARGUMENTS as readonly string[]).includes(node.name.value) ? 1 : 0),
    },
    Variable: (node, _key, parent) => {
      // A variable's own declaration is not a use.
      if (parent && !Array.isArray(parent) && (parent as { kind?: string }).kind === Kind.VARIABLE_DEFINITION) return;
      if (insideDirective > 0 || insidePricingArgument > 0) names.add(node.name.value);
    },
  });
  return [...names].sort();
}

export interface CheckedOperation {
  document: DocumentNode;
  /** The variables, checked against their declared types (src/server/limits/operation-input.ts). */
  variables: Record<string, unknown>;
}

/** Query texts whose parsed and validated document a WebSocket checker keeps (the oldest goes first). */
const WEBSOCKET_DOCUMENTS_KEPT = 1000;

/**
 * graphql-ws (WebSocket) parses and validates on its own; this does both with the same limits
 * as HTTP (the variables' shape before anything else, tokens while parsing, the validation rules, introspection when it is off, the
 * operation's input as src/server/limits/operation-input.ts checks it for both, then page sizes
 * and cost). Returns the parsed document, or the refusals to send back.
 *
 * As Apollo does for HTTP, a query text that parsed and validated is kept with its document (up to
 * `WEBSOCKET_DOCUMENTS_KEPT` texts), so a console resubscribing, or a thousand sockets sending the
 * same subscription, parse and validate it once; the input, page sizes and cost depend on the
 * variables and are checked every time. Refused texts are not kept: each refusal is made afresh.
 */
export function webSocketOperationChecker(options: { schema: GraphQLSchema; limits: RequestLimitsConfig; exposure: ExposureConfig }) {
  const rules = [...specifiedRules, ...limitValidationRules(options.limits)];
  if (!options.exposure.introspection) rules.push(NoSchemaIntrospectionCustomRule);
  const validated = new Map<string, DocumentNode>();
  const documentOf = (query: string): DocumentNode | GraphQLError[] => {
    const known = validated.get(query);
    if (known) return known;
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: options.limits.maxTokens });
    } catch (error) {
      if (error instanceof GraphQLError) return [withCode(error, 'GRAPHQL_PARSE_FAILED')];
      throw error;
    }
    const validationErrors = validate(options.schema, document, rules);
    if (validationErrors.length > 0) return validationErrors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
    if (validated.size >= WEBSOCKET_DOCUMENTS_KEPT) validated.delete(validated.keys().next().value!);
    validated.set(query, document);
    return document;
  };
  return (payload: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null }): CheckedOperation | GraphQLError[] => {
    const shape = checkVariablesShape(payload.variables, options.limits.maxListLength);
    if (shape) return [shape];
    const document = documentOf(payload.query);
    if (Array.isArray(document)) return document;
    const input = checkOperationInput(options.schema, document, payload);
    if (Array.isArray(input)) return input;
    const refusals = checkOperationCost(options.limits, {
      schema: options.schema,
      document,
      variables: payload.variables ?? undefined,
      operationName: payload.operationName ?? undefined,
    });
    return refusals.length > 0 ? refusals : { document, variables: input.variables };
  };
}

/** GraphQL's own errors carry no code; the error mapper passes these protocol codes through. */
function withCode(error: GraphQLError, code: string): GraphQLError {
  if (typeof error.extensions.code === 'string') return error;
  return graphQLRefusal(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });
}
