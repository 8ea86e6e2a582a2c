import { codes, startTestServer, TestServer } from '../support/harness';
import { createAccount, GRANT, newKey } from '../support/fixtures';
import { allMovements, balancesOf } from '../support/foundation';

/** The grant mutation with the amount written into the document instead of passed as a variable. */
const inlineGrant = (accountId: string, amountLiteral: string) => /* GraphQL */ `
  mutation InlineGrant {
    grantPromotionalCredits(input: { accountId: "${accountId}", amount: ${amountLiteral}, reason: "edge case", idempotencyKey: "${newKey()}" }) {
      balances { totalBalance }
    }
  }
`;

describe('credit amounts at the API edge', () => {
  let server: TestServer;
  let admin: string;
  let accountId: string;
  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.adminToken();
    accountId = await createAccount(server);
  });
  afterAll(async () => { await server.stop(); });

  const grantVariable = (amount: unknown) => server.call(GRANT, { input: { accountId, amount, reason: 'edge case', idempotencyKey: newKey() } }, admin);

  /** After every refusal: balances, history and the ledger as they were. */
  async function expectUnchanged(expectedTotal: string, expectedMovements: number) {
    expect((await balancesOf(server, accountId)).totalBalance).toBe(expectedTotal);
    expect(await allMovements(server, accountId)).toHaveLength(expectedMovements);
    expect(await server.audit()).toEqual([]);
  }

  it('accepts the smallest amount, one micro-credit, as a variable and inline', async () => {
    expect((await grantVariable('0.000001')).data.grantPromotionalCredits.grant.amount).toBe('0.000001');
    expect((await server.ok(inlineGrant(accountId, '"0.000001"'), {}, admin)).grantPromotionalCredits.balances.totalBalance).toBe('0.000002');
    await expectUnchanged('0.000002', 2);
  });

  it('accepts a whole JSON number of credits and the largest amount', async () => {
    const before = BigInt((await balancesOf(server, accountId)).totalBalance.replace('.', ''));
    expect((await grantVariable(5)).data.grantPromotionalCredits.grant.amount).toBe('5.000000');
    expect((await grantVariable('1000000000')).data.grantPromotionalCredits.grant.amount).toBe('1000000000.000000');
    const after = BigInt((await balancesOf(server, accountId)).totalBalance.replace('.', ''));
    expect(after - before).toBe(1_000_000_005_000_000n);
  });

  describe('refusals', () => {
    let total: string;
    let movements: number;
    beforeAll(async () => {
      total = (await balancesOf(server, accountId)).totalBalance;
      movements = (await allMovements(server, accountId)).length;
    });

    it.each([
      ['more than six decimals', '0.0000001'],
      ['a negative amount', '-1'],
      ['zero', '0'],
      ['an exponent', '1e3'],
      ['NaN', 'NaN'],
      ['Infinity', 'Infinity'],
      ['an absurd magnitude', '99999999999999999999'],
      ['one micro-credit over the maximum', '1000000000.000001'],
      ['an empty string', ''],
      ['a comma decimal', '1,5'],
    ])('refuses %s (%p) as a variable with BAD_USER_INPUT', async (_label, amount) => {
      expect(codes(await grantVariable(amount))).toEqual(['BAD_USER_INPUT']);
      await expectUnchanged(total, movements);
    });

    it.each([
      ['a fractional JSON number', 0.5],
      ['a negative JSON number', -1],
      // eslint-disable-next-line no-loss-of-precision -- a number JSON.parse cannot hold exactly is the case under test
      ['an unsafe JSON number', 99999999999999999999],
      ['a boolean', true],
      ['an object', { micros: 1 }],
    ])('refuses %s as a variable with BAD_USER_INPUT', async (_label, amount) => {
      expect(codes(await grantVariable(amount))).toEqual(['BAD_USER_INPUT']);
      await expectUnchanged(total, movements);
    });

    it.each([
      ['a string with more than six decimals', '"0.0000001"'],
      ['a negative string', '"-1"'],
      ['an exponent string', '"1e3"'],
      ['a NaN string', '"NaN"'],
      ['an absurd string', '"99999999999999999999"'],
      ['a float literal with more than six decimals', '0.0000001'],
      ['a negative integer literal', '-1'],
      ['an exponent literal', '1e3'],
      ['a NaN enum literal', 'NaN'],
      ['an absurd integer literal', '99999999999999999999'],
      ['a zero literal', '0'],
    ])('refuses %s inline with BAD_USER_INPUT', async (_label, literal) => {
      expect(codes(await server.call(inlineGrant(accountId, literal), {}, admin))).toEqual(['BAD_USER_INPUT']);
      await expectUnchanged(total, movements);
    });
  });
});
