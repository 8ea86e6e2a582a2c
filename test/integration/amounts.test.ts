import { codes, GraphQLResult, startTestServer, TestServer } from '../support/harness';
import { createAccount, GRANT, newKey } from '../support/fixtures';
import { allMovements, balancesOf } from '../support/foundation';
import { credits, partnerWithCustomer, RECORD_USAGE, TRANSFER, usageEvent } from '../support/partners';

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
  afterAll(async () => {
    await server.stop();
  });

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

/**
 * The Credits grammar has no room for whitespace or non-ASCII digits: an amount pasted with a
 * space or a non-breaking space around it is refused, not silently trimmed, in every operation
 * that moves money, as a variable and as a literal in the document.
 */
describe('amounts with whitespace or non-ASCII characters', () => {
  let server: TestServer;
  let admin: string;
  let metering: string;
  let partner: { partnerId: string; customerId: string; ownerToken: string };
  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.adminToken();
    metering = await server.meteringToken();
    partner = await partnerWithCustomer(server, credits(100));
  });
  afterAll(async () => {
    await server.stop();
  });

  const lookalikes: [string, string][] = [
    ['a leading space', ' 5'],
    ['a trailing space', '5 '],
    ['a leading non-breaking space', '\u00a05'],
    ['a trailing non-breaking space', '5\u00a0'],
    ['a tab', '\t5'],
    ['a trailing newline', '5\n'],
    ['an ideographic space', '\u30005'],
    ['a narrow no-break space inside', '1\u202f000'],
    ['a zero-width space', '\u200b5'],
    ['full-width digits', '\uff15'],
    ['Arabic-Indic digits', '\u0665'],
  ];

  /** Balances and history of every account involved, and the ledger audit, as one comparable snapshot. */
  async function snapshot() {
    const accounts = [partner.partnerId, partner.customerId];
    return {
      balances: await Promise.all(accounts.map((id) => balancesOf(server, id))),
      movements: await Promise.all(accounts.map(async (id) => (await allMovements(server, id)).length)),
      audit: await server.audit(),
    };
  }

  const operations: { name: string; asVariable: (amount: string) => Promise<GraphQLResult>; asLiteral: (literal: string) => Promise<GraphQLResult> }[] = [
    {
      name: 'a grant',
      asVariable: async (amount) =>
        server.call(GRANT, { input: { accountId: partner.customerId, amount, reason: 'edge case', idempotencyKey: newKey() } }, admin),
      asLiteral: async (literal) => server.call(inlineGrant(partner.customerId, literal), {}, admin),
    },
    {
      name: 'a transfer',
      asVariable: async (amount) =>
        server.call(TRANSFER, { input: { customerAccountId: partner.customerId, amount, idempotencyKey: newKey() } }, partner.ownerToken),
      asLiteral: async (literal) =>
        server.call(
          `mutation { transferCredits(input: { customerAccountId: "${partner.customerId}", amount: ${literal}, idempotencyKey: "${newKey()}" }) { dryRun } }`,
          {},
          partner.ownerToken,
        ),
    },
    {
      name: 'a usage event',
      asVariable: async (amount) => server.call(RECORD_USAGE, { events: [usageEvent(partner.customerId, amount)] }, metering),
      asLiteral: async (literal) =>
        server.call(
          `mutation { recordUsage(events: [{ eventId: "${newKey()}", accountId: "${partner.customerId}", service: "compute", amount: ${literal}, occurredAt: "${new Date().toISOString()}" }]) { appliedCount } }`,
          {},
          metering,
        ),
    },
  ];

  it('accepts the plain amount in each operation (so the refusals below are about the characters)', async () => {
    for (const operation of operations) {
      expect((await operation.asVariable('5')).errors).toEqual([]);
      expect((await operation.asLiteral('"5"')).errors).toEqual([]);
    }
    expect(await server.audit()).toEqual([]);
  });

  describe.each(operations.map((operation) => [operation.name, operation] as const))('in %s', (_name, operation) => {
    it.each(lookalikes)('refuses %s as a variable and as a literal with BAD_USER_INPUT, changing nothing', async (_label, amount) => {
      const before = await snapshot();
      expect(codes(await operation.asVariable(amount))).toEqual(['BAD_USER_INPUT']);
      // JSON.stringify writes a valid GraphQL string literal; GraphQL decodes \t and \n back to the characters.
      expect(codes(await operation.asLiteral(JSON.stringify(amount)))).toEqual(['BAD_USER_INPUT']);
      expect(await snapshot()).toEqual(before);
    });
  });
});
