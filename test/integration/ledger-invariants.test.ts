import { codes, GraphQLResult, startTestServer, TestServer } from '../support/harness';
import { seededRandom } from '../support/seeded-random';
import { createAccount, GRANT, newKey } from '../support/fixtures';
import { allMovements, balancesOf, isNewestFirst } from '../support/foundation';
import { formatMicros } from '../../src/common/money';
import { DomainError, ErrorCode } from '../../src/common/domain-error';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletKind } from '../../src/ledger/ledger.enums';

const TRANSFER = /* GraphQL */ `
  mutation Transfer($input: TransferCreditsInput!) {
    transferCredits(input: $input) {
      transfer {
        id
        amount
      }
    }
  }
`;

const RECLAIM = /* GraphQL */ `
  mutation Reclaim($input: ReclaimCreditsInput!) {
    reclaimCredits(input: $input) {
      reclaim {
        id
        amount
      }
    }
  }
`;

const RECORD_USAGE = /* GraphQL */ `
  mutation RecordUsage($events: [UsageEventInput!]!) {
    recordUsage(events: $events) {
      results {
        eventId
        status
        code
      }
    }
  }
`;

/** The shared seeded generator, plus amounts; a failing run can be replayed with LEDGER_SEED. */
function randomSource(seed: number) {
  const random = seededRandom(seed);
  /** 1 micro-credit to 1000 credits, often with awkward decimals. */
  return Object.assign(random, { micros: () => BigInt(1 + random.below(1_000_000_000)) });
}

const SEED = Number(process.env.LEDGER_SEED ?? Date.now() % 1_000_000);

describe(`ledger invariants (LEDGER_SEED=${SEED})`, () => {
  let server: TestServer;
  let admin: string;
  // A server per test: the audit is global, so one test's damage must not fail the next.
  beforeEach(async () => {
    server = await startTestServer();
    admin = await server.adminToken();
  });
  afterEach(async () => {
    await server.stop();
  });

  const grantVariables = (accountId: string, amountMicros: bigint, idempotencyKey: string) => ({
    input: { accountId, amount: formatMicros(amountMicros), reason: 'invariant test', idempotencyKey },
  });

  /** Top-up then usage straight through the ledger service: the postings with no mutation yet. */
  async function postDirect(type: 'TOP_UP' | 'USAGE', accountId: string, amountMicros: bigint): Promise<boolean> {
    const legs =
      type === 'TOP_UP'
        ? [
            { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PAYMENT_CLEARING, amountMicros: -amountMicros },
            { accountId, walletKind: WalletKind.TOPUP, amountMicros },
          ]
        : [
            { accountId, walletKind: WalletKind.TOPUP, amountMicros: -amountMicros },
            { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.USAGE_REVENUE, amountMicros },
          ];
    try {
      await server.services.runner.transaction((manager) =>
        server.services.ledger.post(manager, { type: LedgerTransactionType[type], idempotencyKey: `${type}:${newKey()}`, legs }),
      );
      return true;
    } catch (error) {
      // The top-up wallet has a floor of zero here: usage beyond it is refused, and must change nothing.
      if (error instanceof DomainError && error.code === ErrorCode.INSUFFICIENT_CREDITS) return false;
      throw error;
    }
  }

  it('keeps every invariant under 100 concurrent grants, racing replays and key reuse', async () => {
    const random = randomSource(SEED);
    const accounts = await Promise.all(Array.from({ length: 5 }, () => createAccount(server)));
    const expectedMicros = new Map(accounts.map((accountId) => [accountId, { promotional: 0n, topUp: 0n }]));

    // Fresh grants, grants replayed by several racing requests, and keys reused with other amounts.
    type Request = { key: string; accountId: string; amountMicros: bigint; group: string };
    const requests: Request[] = [];
    while (requests.length < 100) {
      const accountId = random.pick(accounts);
      const key = newKey();
      const amountMicros = random.micros();
      const shape = random.below(3);
      const copies = shape === 0 ? 1 : 2 + random.below(3);
      for (let copy = 0; copy < copies; copy++) {
        const reused = shape === 2 && copy > 0;
        requests.push({ key, accountId, amountMicros: reused ? amountMicros + BigInt(copy) : amountMicros, group: key });
      }
    }
    const shuffled = requests
      .map((request) => ({ request, order: random.below(1_000_000) }))
      .sort((a, b) => a.order - b.order)
      .map(({ request }) => request);

    const results = await Promise.all(
      shuffled.map(async (request) => ({
        request,
        result: await server.call(GRANT, grantVariables(request.accountId, request.amountMicros, request.key), admin),
      })),
    );

    for (const [key, outcomes] of groupBy(results, ({ request }) => request.group)) {
      const succeeded = outcomes.filter(({ result }) => result.errors.length === 0);
      const refused = outcomes.filter(({ result }) => result.errors.length > 0);
      expect({ key, refusals: refused.flatMap(({ result }) => codes(result)).filter((code) => code !== 'IDEMPOTENCY_KEY_REUSED') }).toEqual({
        key,
        refusals: [],
      });
      expect(succeeded.length).toBeGreaterThan(0);
      // Every success under one key is the same grant, with the amount of the request that won.
      const grantIds = new Set(succeeded.map(({ result }) => result.data.grantPromotionalCredits.grant.id));
      expect({ key, grants: grantIds.size }).toEqual({ key, grants: 1 });
      const winner = succeeded[0];
      for (const { request } of succeeded) expect(request.amountMicros).toBe(winner.request.amountMicros);
      expect(winner.result.data.grantPromotionalCredits.grant.amount).toBe(formatMicros(winner.request.amountMicros));
      expectedMicros.get(winner.request.accountId)!.promotional += winner.request.amountMicros;
    }

    // Top-ups and usage through the ledger, racing each other on the same accounts.
    const direct = Array.from({ length: 40 }, () => ({
      type: random.pick(['TOP_UP', 'USAGE'] as const),
      accountId: random.pick(accounts),
      amountMicros: random.micros(),
    }));
    const applied = await Promise.all(direct.map((posting) => postDirect(posting.type, posting.accountId, posting.amountMicros)));
    direct.forEach((posting, index) => {
      if (!applied[index]) return;
      expectedMicros.get(posting.accountId)!.topUp += posting.type === 'TOP_UP' ? posting.amountMicros : -posting.amountMicros;
    });

    expect(await server.audit()).toEqual([]);
    for (const accountId of accounts) {
      const expected = expectedMicros.get(accountId)!;
      expect(expected.topUp).toBeGreaterThanOrEqual(0n);
      expect(await balancesOf(server, accountId)).toEqual({
        accountId,
        totalBalance: formatMicros(expected.promotional + expected.topUp),
        topUpBalance: formatMicros(expected.topUp),
        promotionalBalance: formatMicros(expected.promotional),
      });
      const history = await allMovements(server, accountId, { first: 100 });
      expect(isNewestFirst(history)).toBe(true);
      // The history replays to the balance: each row's balance after is the previous one plus its amount.
      let running = 0n;
      for (const movement of [...history].reverse()) {
        running += micros(movement.amount);
        expect(micros(movement.balanceAfter)).toBe(running);
      }
      expect(running).toBe(expected.promotional + expected.topUp);
    }
  });

  it('keeps every invariant when grants, partner transfers, reclaims and usage race, replays included', async () => {
    const random = randomSource(SEED + 2);
    const partner = await createAccount(server, { kind: 'PARTNER' });
    const customers = await Promise.all(Array.from({ length: 4 }, () => createAccount(server, { partnerId: partner })));
    const partnerTopUpMicros = 500_000_000n;
    expect(await postDirect('TOP_UP', partner, partnerTopUpMicros)).toBe(true);
    const [partnerToken, meteringToken] = [await server.userToken(partner), await server.meteringToken()];

    type Operation = {
      group: string;
      kind: 'grant' | 'transfer' | 'reclaim' | 'usage';
      accountId: string;
      amountMicros: bigint;
      send: () => Promise<GraphQLResult>;
    };
    const operations: Operation[] = [];
    while (operations.length < 100) {
      const kind = random.pick(['grant', 'transfer', 'reclaim', 'usage'] as const);
      const accountId = kind === 'grant' ? random.pick([partner, ...customers]) : random.pick(customers);
      const amountMicros =
        kind === 'transfer'
          ? BigInt(1 + random.below(200)) * 1_000_000n + BigInt(random.below(1_000_000))
          : kind === 'reclaim'
            ? BigInt(1 + random.below(50)) * 1_000_000n + BigInt(random.below(1_000_000))
            : random.micros() / 20n + 1n;
      const key = newKey();
      const send =
        kind === 'grant'
          ? () => server.call(GRANT, grantVariables(accountId, amountMicros, key), admin)
          : kind === 'transfer' || kind === 'reclaim'
            ? () =>
                server.call(
                  kind === 'transfer' ? TRANSFER : RECLAIM,
                  { input: { customerAccountId: accountId, amount: formatMicros(amountMicros), idempotencyKey: key } },
                  partnerToken,
                )
            : () =>
                server.call(
                  RECORD_USAGE,
                  { events: [{ accountId, amount: formatMicros(amountMicros), eventId: key, service: 'compute', occurredAt: new Date().toISOString() }] },
                  meteringToken,
                );
      // A third of the operations are sent two or three times at once with the same key or event id.
      const copies = random.below(3) === 0 ? 2 + random.below(2) : 1;
      for (let copy = 0; copy < copies; copy++) operations.push({ group: key, kind, accountId, amountMicros, send });
    }
    const shuffled = operations.map((operation) => ({ operation, order: random.below(1_000_000) })).sort((a, b) => a.order - b.order);
    const outcomes = await Promise.all(shuffled.map(async ({ operation }) => ({ operation, result: await operation.send() })));

    const expectedTotal = new Map([partner, ...customers].map((accountId) => [accountId, 0n]));
    const add = (accountId: string, micros: bigint) => expectedTotal.set(accountId, expectedTotal.get(accountId)! + micros);
    add(partner, partnerTopUpMicros);
    for (const [group, copies] of groupBy(outcomes, ({ operation }) => operation.group)) {
      const { kind, accountId, amountMicros } = copies[0].operation;
      const refusals = copies.flatMap(({ result }) => codes(result));
      if (kind === 'grant') {
        expect({ group, refusals }).toEqual({ group, refusals: [] });
        expect(new Set(copies.map(({ result }) => result.data.grantPromotionalCredits.grant.id)).size).toBe(1);
        add(accountId, amountMicros);
      } else if (kind === 'transfer' || kind === 'reclaim') {
        // Racing transfers (reclaims) may find the partner's (customer's) top-up balance too low;
        // nothing else may go wrong.
        expect({ group, refusals: refusals.filter((code) => code !== 'INSUFFICIENT_CREDITS') }).toEqual({ group, refusals: [] });
        const idOf = (data: any): string => (kind === 'transfer' ? data.transferCredits.transfer.id : data.reclaimCredits.reclaim.id);
        const ids = new Set(copies.filter(({ result }) => result.errors.length === 0).map(({ result }) => idOf(result.data)));
        expect(ids.size).toBeLessThanOrEqual(1);
        const toCustomer = kind === 'transfer' ? amountMicros : -amountMicros;
        if (ids.size === 1) {
          add(accountId, toCustomer);
          add(partner, -toCustomer);
        }
      } else {
        expect({ group, refusals }).toEqual({ group, refusals: [] });
        const statuses = copies.map(({ result }) => result.data.recordUsage.results[0].status).sort();
        expect({ group, applied: statuses.filter((status) => status === 'APPLIED').length }).toEqual({ group, applied: 1 });
        add(accountId, -amountMicros);
      }
    }

    expect(await server.audit()).toEqual([]);
    for (const [accountId, totalMicros] of expectedTotal) {
      const balances = await balancesOf(server, accountId);
      expect({ accountId, total: balances.totalBalance }).toEqual({ accountId, total: formatMicros(totalMicros) });
    }
    expect(micros((await balancesOf(server, partner)).topUpBalance)).toBeGreaterThanOrEqual(0n);
  });

  it('keeps every invariant after each of a sequence of random operations, refusals included', async () => {
    const random = randomSource(SEED + 1);
    const accounts = await Promise.all(Array.from({ length: 3 }, () => createAccount(server)));
    const usedKeys: { accountId: string; key: string; amountMicros: bigint }[] = [];
    for (let step = 0; step < 40; step++) {
      const accountId = random.pick(accounts);
      const operation = random.pick(['grant', 'replay', 'reuse', 'topUp', 'usage', 'badAmount'] as const);
      if (operation === 'grant' || usedKeys.length === 0) {
        const entry = { accountId, key: newKey(), amountMicros: random.micros() };
        await server.ok(GRANT, grantVariables(entry.accountId, entry.amountMicros, entry.key), admin);
        usedKeys.push(entry);
      } else if (operation === 'replay') {
        const entry = random.pick(usedKeys);
        await server.ok(GRANT, grantVariables(entry.accountId, entry.amountMicros, entry.key), admin);
      } else if (operation === 'reuse') {
        const entry = random.pick(usedKeys);
        const result = await server.call(GRANT, grantVariables(entry.accountId, entry.amountMicros + 1n, entry.key), admin);
        expect(codes(result)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
      } else if (operation === 'badAmount') {
        const result = await server.call(
          GRANT,
          { input: { accountId, amount: random.pick(['0', '-1', '0.0000001', '1e3']), reason: 'bad', idempotencyKey: newKey() } },
          admin,
        );
        expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      } else {
        await postDirect(operation === 'topUp' ? 'TOP_UP' : 'USAGE', accountId, random.micros());
      }
      expect({ step, operation, problems: await server.audit() }).toEqual({ step, operation, problems: [] });
    }
  });
});

function micros(credits: string): bigint {
  const negative = credits.startsWith('-');
  const value = BigInt(credits.replace('-', '').replace('.', ''));
  return negative ? -value : value;
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

describe('the ledger audit itself', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.stop();
  });

  /** A healthy account with one grant, then one direct tampering with the stored rows. */
  async function auditAfter(tamper: (accountId: string) => string) {
    const accountId = await createAccount(server);
    await server.ok(GRANT, { input: { accountId, amount: '5', reason: 'audit', idempotencyKey: newKey() } }, await server.adminToken());
    expect(await server.audit()).toEqual([]);
    await server.services.dataSource.query(tamper(accountId));
    return server.audit();
  }

  it('notices a wallet balance that differs from its entries', async () => {
    const problems = await auditAfter((accountId) => `UPDATE wallet SET balanceMicros = balanceMicros + 1 WHERE accountId = '${accountId}' AND kind = 'TOPUP'`);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/balance 1 but entries sum to 0/), expect.stringMatching(/all wallets sum to 1/)]));
  });

  it('notices an unbalanced transaction', async () => {
    const problems = await auditAfter((accountId) => `UPDATE ledger_entry SET amountMicros = amountMicros + 1 WHERE accountId = '${accountId}'`);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^transaction \d+: 2 entries summing to 1$/)]));
  });

  it('notices promotional credits that no grant holds', async () => {
    const problems = await auditAfter((accountId) => `UPDATE promotional_grant SET remainingMicros = 0 WHERE accountId = '${accountId}'`);
    expect(problems).toEqual([expect.stringMatching(/promotional balance 5000000 but grants hold 0/)]);
  });

  it('notices a history row that disagrees with the ledger', async () => {
    const problems = await auditAfter((accountId) => `UPDATE account_movement SET amountMicros = 1 WHERE accountId = '${accountId}'`);
    expect(problems).toEqual([expect.stringMatching(/amount 1 but its ledger entries sum to 5000000/)]);
  });

  it('notices credits that moved without a history row', async () => {
    const problems = await auditAfter((accountId) => `DELETE FROM account_movement WHERE accountId = '${accountId}'`);
    expect(problems).toEqual([
      expect.stringMatching(/without a history row/),
      expect.stringMatching(/PROMOTIONAL wallet holds 5000000 but the account has no history/),
    ]);
  });
});
