import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { graphQLRefusal } from './graphql-refusal';
import { formatMicros, MoneyFormatError, parseCreditsToMicros } from './money';

const refuse = (message: string) => graphQLRefusal(message, { extensions: { code: 'BAD_USER_INPUT' } });

function parseInput(value: unknown): bigint {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw refuse('Credits are a decimal string such as "12.5"; a fractional JSON number is not exact.');
    return BigInt(value) * 1_000_000n;
  }
  if (typeof value !== 'string') throw refuse('Credits are a decimal string such as "12.5".');
  try {
    return parseCreditsToMicros(value);
  } catch (error) {
    if (error instanceof MoneyFormatError) throw refuse(`Invalid credits amount: ${error.message}.`);
    throw error;
  }
}

/**
 * Credits as an exact decimal string with up to six places ("0.000001"). Outgoing values always
 * show all six places. Internally the value is a `bigint` of micro-credits.
 */
export const CreditsScalar = new GraphQLScalarType<bigint, string>({
  name: 'Credits',
  description: 'An exact amount of credits as a decimal string with at most 6 decimal places, e.g. "100.5" or "0.000001".',
  serialize(value) {
    if (typeof value !== 'bigint') throw new GraphQLError('Credits must be produced from micro-credits (bigint).');
    return formatMicros(value);
  },
  parseValue: parseInput,
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING) return parseInput(ast.value);
    if (ast.kind === Kind.INT) return parseInput(Number.isSafeInteger(Number(ast.value)) ? Number(ast.value) : ast.value);
    throw refuse('Credits are a decimal string such as "12.5".');
  },
});
