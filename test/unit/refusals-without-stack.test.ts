import { CreditsScalar } from '../../src/common/credits.scalar';
import { DomainError, ErrorCode, withoutStackTrace } from '../../src/common/domain-error';
import { graphQLRefusal } from '../../src/common/graphql-refusal';
import { MoneyFormatError } from '../../src/common/money';

/** The frames of an error's stack: the lines after its first ("Name: message"). */
const frames = (error: Error) => (error.stack ?? '').split('\n').slice(1);

describe('refusals carry no stack trace', () => {
  it('a DomainError has none; an error of our own making keeps its frames', () => {
    const refusal = new DomainError(ErrorCode.BAD_USER_INPUT, 'no such amount', { field: 'amount' });
    expect(frames(refusal)).toEqual([]);
    expect(refusal.stack).toBe('DomainError: no such amount');
    expect(refusal).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, message: 'no such amount', details: { field: 'amount' } });
    expect(frames(new MoneyFormatError('not a decimal number of credits'))).toEqual([]);
    expect(frames(new Error('a bug')).length).toBeGreaterThan(0);
  });

  it('a GraphQL refusal has none, and a scalar refusing its input makes none', () => {
    expect(frames(graphQLRefusal('too deep', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }))).toEqual([]);
    let thrown: unknown;
    try {
      CreditsScalar.parseValue('12.5.5');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(frames(thrown as Error)).toEqual([]);
  });

  it('puts the stack trace limit back, also when making the error throws', () => {
    const before = Error.stackTraceLimit;
    expect(() =>
      withoutStackTrace(() => {
        throw new Error('failed while making');
      }),
    ).toThrow('failed while making');
    expect(Error.stackTraceLimit).toBe(before);
    new DomainError(ErrorCode.FORBIDDEN, 'no');
    expect(Error.stackTraceLimit).toBe(before);
  });
});
