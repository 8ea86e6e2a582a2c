import type { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, getOperationAST, getVariableValues, GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';

/** The largest request body (HTTP) or subscribe payload (graphql-ws) accepted, in bytes. */
export const MAX_REQUEST_BYTES = 256 * 1024;

/** The message body-parser gives an HTTP body over the limit, so both transports say the same. */
const TOO_LARGE = 'request entity too large';

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
    return [new GraphQLError(TOO_LARGE, { extensions: { code: 'BAD_REQUEST', http: { status: 413 } } })];
  }
  const operation = getOperationAST(document, input.operationName ?? undefined);
  if (!operation) {
    const message = input.operationName
      ? `Unknown operation named "${input.operationName}".`
      : 'Must provide operation name if query contains multiple operations.';
    return [new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } })];
  }
  const variableErrors = checkVariables(schema, operation, input.variables);
  return variableErrors.length > 0 ? variableErrors : { operation, variables: input.variables ?? {} };
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
  return coerced.errors.map(
    (error) =>
      new GraphQLError(error.message, {
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
