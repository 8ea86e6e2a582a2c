import type { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, getOperationAST, getVariableValues, GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { graphQLRefusal } from '../../common/graphql-refusal';

/** The largest request body (HTTP) or subscribe payload (graphql-ws) accepted, in bytes. */
export const MAX_REQUEST_BYTES = 256 * 1024;

/**
 * The largest graphql-ws message read at all (ws's `maxPayload`; its default is 100 MiB). Larger
 * than MAX_REQUEST_BYTES, so a subscribe payload a little over the request limit is still read and
 * answered BAD_REQUEST as HTTP answers it; anything beyond closes the socket with 1009.
 */
export const MAX_WEBSOCKET_MESSAGE_BYTES = 4 * MAX_REQUEST_BYTES;

/** The message body-parser gives an HTTP body over the limit, so both transports say the same. */
const TOO_LARGE = 'request entity too large';

/**
 * The deepest nesting of lists and objects in an operation's variables. The schema's input types
 * nest four levels at most (a batch input, its rows, a row's fields); deeper JSON is no valid input.
 */
export const MAX_VARIABLES_NESTING = 16;

export interface OperationInput {
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/**
 * The checks of an operation's input that HTTP (Apollo) and graphql-ws must answer alike, in one
 * place: the payload's size (BAD_REQUEST), which operation of the document runs
 * (OPERATION_RESOLUTION_FAILURE), and its variables against their declared types
 * (BAD_USER_INPUT). Without them graphql-ws would let graphql-js fail later with errors that carry
 * no code, and the client would see INTERNAL_SERVER_ERROR for its own mistake.
 */
export function checkOperationInput(
  schema: GraphQLSchema,
  document: DocumentNode,
  input: OperationInput,
): { operation: OperationDefinitionNode; variables: Record<string, unknown> } | GraphQLError[] {
  if (Buffer.byteLength(JSON.stringify(input.variables ?? {})) > MAX_REQUEST_BYTES) {
    return [graphQLRefusal(TOO_LARGE, { extensions: { code: 'BAD_REQUEST', http: { status: 413 } } })];
  }
  const operation = getOperationAST(document, input.operationName ?? undefined);
  if (!operation) {
    const message = input.operationName
      ? `Unknown operation named "${input.operationName}".`
      : 'Must provide operation name if query contains multiple operations.';
    return [graphQLRefusal(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } })];
  }
  const variableErrors = checkVariables(schema, operation, input.variables);
  return variableErrors.length > 0 ? variableErrors : { operation, variables: input.variables ?? {} };
}

/**
 * The shape of an operation's variables, before the document is parsed or looked up: no list
 * longer than `maxListLength` and nothing nested deeper than MAX_VARIABLES_NESTING, so a request
 * body of a few hundred kilobytes cannot turn into a long coercion or a deep recursion later.
 * One iterative walk over what JSON.parse built (its size is bounded by the body or message
 * limit), stopping at the first refusal: BAD_USER_INPUT naming the variable's path in
 * `extensions.field` and the limit in `extensions.maxListLength` or `extensions.maxNesting`.
 */
export function checkVariablesShape(variables: unknown, maxListLength: number): GraphQLError | null {
  if (variables === null || typeof variables !== 'object') return null;
  const pending: { value: object; path: string; depth: number }[] = [{ value: variables, path: '', depth: 0 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (depth > MAX_VARIABLES_NESTING) {
      return shapeError(`Variables nest deeper than ${MAX_VARIABLES_NESTING} levels at $${path}.`, path, { maxNesting: MAX_VARIABLES_NESTING });
    }
    if (Array.isArray(value)) {
      if (value.length > maxListLength) {
        return shapeError(`The list $${path} holds ${value.length} items; at most ${maxListLength} are accepted.`, path, { maxListLength });
      }
      for (let index = 0; index < value.length; index++) {
        const item: unknown = value[index];
        if (item !== null && typeof item === 'object') pending.push({ value: item, path: `${path}[${index}]`, depth: depth + 1 });
      }
    } else {
      for (const key of Object.keys(value)) {
        const item: unknown = (value as Record<string, unknown>)[key];
        if (item !== null && typeof item === 'object') pending.push({ value: item, path: path ? `${path}.${key}` : key, depth: depth + 1 });
      }
    }
  }
  return null;
}

/** A DomainError inside, so the one error formatter keeps `field` and the limit on the WebSocket too. */
function shapeError(message: string, field: string, limit: Record<string, number>): GraphQLError {
  const details = { field, ...limit };
  return graphQLRefusal(message, {
    originalError: new DomainError(ErrorCode.BAD_USER_INPUT, message, details),
    extensions: { code: ErrorCode.BAD_USER_INPUT, ...details, http: { status: 400 } },
  });
}

/** The operation's variables coerced to their declared types: BAD_USER_INPUT errors for the missing and the wrongly typed. */
export function checkVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
): GraphQLError[] {
  const values = variables !== null && typeof variables === 'object' && !Array.isArray(variables) ? variables : {};
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], values, { maxErrors: 10 });
  if (!coerced.errors) return [];
  return coerced.errors.map((error) =>
    graphQLRefusal(error.message, {
      nodes: error.nodes,
      originalError: error.originalError,
      extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
    }),
  );
}

/**
 * HTTP: the same variable check as graphql-ws, once Apollo has resolved the operation (Apollo
 * itself resolves the operation and bounds the body with MAX_REQUEST_BYTES through express.json).
 */
export function operationInputPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, operation, request }) {
          if (!operation) return;
          const errors = checkVariables(schema, operation, request.variables);
          if (errors.length > 0) throw errors[0];
        },
      };
    },
  };
}
