import { buildSchema, GraphQLError } from 'graphql';
import { loadConfig } from '../../src/config';
import { CheckedOperation, webSocketOperationChecker } from '../../src/server/limits/operation-limits';

describe('the WebSocket operation checker', () => {
  const schema = buildSchema(`
    type Page { total: Int }
    type Query { page(first: Int): Page }
    type Subscription { ticks(first: Int): Page }
  `);
  const check = () => webSocketOperationChecker({ schema, limits: loadConfig({}).requestLimits, exposure: loadConfig({}).exposure });
  const TICKS = 'subscription ($first: Int) { ticks(first: $first) { total } }';

  it('parses and validates a query text once, and checks the variables every time', () => {
    const checker = check();
    const first = checker({ query: TICKS, variables: { first: 5 } });
    const again = checker({ query: TICKS, variables: { first: 10 } });
    expect(Array.isArray(first) || Array.isArray(again)).toBe(false);
    expect((again as CheckedOperation).document).toBe((first as CheckedOperation).document);
    expect((again as CheckedOperation).variables).toEqual({ first: 10 });
    const tooLarge = checker({ query: TICKS, variables: { first: 1_000_000 } });
    expect(Array.isArray(tooLarge) && tooLarge.map((error) => error.extensions.code)).toEqual(['BAD_USER_INPUT']);
    // Another checker (another process) parses for itself.
    expect((check()({ query: TICKS, variables: { first: 5 } }) as CheckedOperation).document).not.toBe((first as CheckedOperation).document);
  });

  it('keeps no refused text: each refusal is made afresh', () => {
    const checker = check();
    const unknownField = 'subscription { nothing { total } }';
    const [refused] = checker({ query: unknownField }) as GraphQLError[];
    const [refusedAgain] = checker({ query: unknownField }) as GraphQLError[];
    expect(refused.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(refusedAgain).not.toBe(refused);
    expect((checker({ query: 'subscription {' }) as GraphQLError[])[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('keeps at most a thousand texts, dropping the oldest', () => {
    const checker = check();
    const first = checker({ query: TICKS }) as CheckedOperation;
    for (let index = 0; index < 1000; index++) checker({ query: `subscription Other${index} { ticks { total } }` });
    expect((checker({ query: TICKS }) as CheckedOperation).document).not.toBe(first.document);
  });
});
