import { checkVariablesShape, MAX_VARIABLES_NESTING } from '../../src/server/limits/operation-input';

describe('the variables’ shape (list lengths and nesting, before parsing)', () => {
  it('accepts lists up to the limit, wherever they are', () => {
    const rows = Array.from({ length: 10 }, (_, index) => ({ customerAccountId: String(index), amount: '1' }));
    expect(checkVariablesShape({ input: { rows }, ids: ['a', 'b'] }, 10)).toBeNull();
    expect(checkVariablesShape(undefined, 10)).toBeNull();
    expect(checkVariablesShape(null, 10)).toBeNull();
    expect(checkVariablesShape({}, 10)).toBeNull();
  });

  it('refuses a longer list with BAD_USER_INPUT, naming where it is and the limit', () => {
    const refusal = checkVariablesShape({ id: 'x', input: { idempotencyKey: 'k', rows: Array.from({ length: 11 }, () => ({ amount: '1' })) } }, 10);
    expect(refusal?.message).toBe('The list $input.rows holds 11 items; at most 10 are accepted.');
    expect(refusal?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.rows', maxListLength: 10 });
  });

  it('finds a long list inside a list', () => {
    const refusal = checkVariablesShape({ events: [{ tags: [] }, { tags: Array.from({ length: 4 }, () => 'x') }] }, 3);
    expect(refusal?.extensions).toMatchObject({ field: 'events[1].tags', maxListLength: 3 });
  });

  it('refuses nesting deeper than the limit without recursing', () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < 100_000; level++) deep = [deep];
    const refusal = checkVariablesShape({ deep }, 1000);
    expect(refusal?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', maxNesting: MAX_VARIABLES_NESTING });
    expect(refusal?.extensions.field).toMatch(/^deep(\[0\])+$/);
    let fine: unknown = 'leaf';
    for (let level = 0; level < MAX_VARIABLES_NESTING - 1; level++) fine = { next: fine };
    expect(checkVariablesShape({ fine }, 1000)).toBeNull();
  });
});
