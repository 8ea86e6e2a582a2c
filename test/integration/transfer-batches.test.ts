import { Role } from '../../src/auth/principal';
import { parseCreditsToMicros as micros } from '../../src/common/money';
import { TransferBatchMode } from '../../src/partners/transfers/transfer-batch.enums';
import { TransferBatchesService } from '../../src/partners/transfers/transfer-batches.service';
import { TransfersService } from '../../src/partners/transfers/transfers.service';
import { balancesOf, SET_STATUS } from '../support/foundation';
import { createAccount, newKey } from '../support/fixtures';
import { codes, startTestServer, TestServer } from '../support/harness';
import { credits, fundTopUp, TRANSFER, TRANSFER_BATCH } from '../support/partners';

const HISTORY = 'query ($id: ID!) { creditHistory(accountId: $id, first: 10) { edges { node { type amount description } } } }';

type Mode = 'ALL_OR_NOTHING' | 'EACH_ON_ITS_OWN';
interface Row {
  customerAccountId: string;
  amount: string;
  note?: string | null;
}

describe('transferCreditsBatch', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { TRANSFER_BATCH_MAX_ROWS: '40' } });
  });
  afterAll(async () => {
    await server.stop();
  });

  /** A partner with `funds` credits, `count` ACTIVE customers and its OWNER's token. */
  async function partnerWithCustomers(funds: number, count: number) {
    const partnerId = await createAccount(server, { kind: 'PARTNER' });
    const customers: string[] = [];
    for (let index = 0; index < count; index++) customers.push(await createAccount(server, { partnerId }));
    if (funds > 0) await fundTopUp(server, partnerId, credits(funds));
    return { partnerId, customers, token: await server.userToken(partnerId, Role.OWNER) };
  }

  const batch = (token: string, input: { mode: Mode; rows: Row[]; idempotencyKey?: string; dryRun?: boolean }) =>
    server.call(TRANSFER_BATCH, { input: { idempotencyKey: newKey(), ...input } }, token);
  const okBatch = async (token: string, input: Parameters<typeof batch>[1]) => {
    const result = await batch(token, input);
    expect(result.errors).toEqual([]);
    return result.data.transferCreditsBatch;
  };
  const statuses = (payload: any) => payload.results.map((row: any) => (row.status === 'REFUSED' ? row.code : row.status));
  const topUpOf = async (accountId: string) => (await balancesOf(server, accountId)).topUpBalance;
  /** What a batch may leave behind, counted: ledger transactions, transfers, batch records. */
  const footprint = async () => {
    const count = async (table: string) => Number(((await server.services.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`)) as { n: unknown }[])[0].n);
    return { ledger: await count('ledger_transaction'), transfers: await count('credit_transfer'), batches: await count('transfer_batch') };
  };

  it('EACH_ON_ITS_OWN moves the rows that fit and refuses alone the one short of credits, with each row running the balance down', async () => {
    const { partnerId, customers, token } = await partnerWithCustomers(10, 3);
    const rows = [
      { customerAccountId: customers[0], amount: '4', note: 'June' },
      { customerAccountId: customers[1], amount: '5' },
      { customerAccountId: customers[2], amount: '3' },
      { customerAccountId: customers[0], amount: '0.5' },
    ];
    const payload = await okBatch(token, { mode: 'EACH_ON_ITS_OWN', rows });
    expect(payload.dryRun).toBe(false);
    expect(statuses(payload)).toEqual(['OK', 'OK', 'INSUFFICIENT_CREDITS', 'OK']);
    expect(payload.results.map((row: any) => row.index)).toEqual([0, 1, 2, 3]);
    expect(payload.results[0]).toMatchObject({
      customerAccountId: customers[0],
      amount: '4.000000',
      transfer: { customerAccountId: customers[0], amount: '4.000000', note: 'June' },
      partnerBalances: { topUpBalance: '6.000000' },
      customerBalances: { topUpBalance: '4.000000' },
    });
    expect(payload.results[2]).toMatchObject({ transfer: null, partnerBalances: null, message: 'The balance is too low for this amount.' });
    expect(payload.results[3]).toMatchObject({ partnerBalances: { topUpBalance: '0.500000' }, customerBalances: { topUpBalance: '4.500000' } });
    expect(payload.totals).toEqual({ rowCount: 4, okCount: 3, refusedCount: 1, notAppliedCount: 0, amount: '9.500000' });
    expect(await Promise.all([partnerId, ...customers].map(topUpOf))).toEqual(['0.500000', '4.500000', '5.000000', '0.000000']);
    // Each applied row is an ordinary transfer: a movement on both sides, with its note.
    const history = async (accountId: string) =>
      (await server.ok(HISTORY, { id: accountId }, await server.userToken(accountId))).creditHistory.edges.map((edge: any) => edge.node);
    expect(await history(partnerId)).toEqual([
      { type: 'TRANSFER_OUT', amount: '-0.500000', description: null },
      { type: 'TRANSFER_OUT', amount: '-5.000000', description: null },
      { type: 'TRANSFER_OUT', amount: '-4.000000', description: 'June' },
      { type: 'TOP_UP', amount: '10.000000', description: null },
    ]);
    expect(await history(customers[0])).toEqual([
      { type: 'TRANSFER_IN', amount: '0.500000', description: null },
      { type: 'TRANSFER_IN', amount: '4.000000', description: 'June' },
    ]);
    expect(await server.audit()).toEqual([]);
  });

  it('ALL_OR_NOTHING moves nothing when one row is short of credits, and says so on every row', async () => {
    const { partnerId, customers, token } = await partnerWithCustomers(10, 3);
    const before = await footprint();
    const rows = [
      { customerAccountId: customers[0], amount: '4' },
      { customerAccountId: customers[1], amount: '5' },
      { customerAccountId: customers[2], amount: '3' },
      { customerAccountId: customers[0], amount: '0.5' },
    ];
    const payload = await okBatch(token, { mode: 'ALL_OR_NOTHING', rows });
    expect(statuses(payload)).toEqual(['NOT_APPLIED', 'NOT_APPLIED', 'INSUFFICIENT_CREDITS', 'NOT_APPLIED']);
    for (const row of payload.results.filter((result: any) => result.status === 'NOT_APPLIED')) {
      expect(row).toMatchObject({ code: null, transfer: null, partnerBalances: null });
      expect(row.message).toMatch(/not applied/i);
    }
    expect(payload.totals).toEqual({ rowCount: 4, okCount: 0, refusedCount: 1, notAppliedCount: 3, amount: '0.000000' });
    expect(await Promise.all([partnerId, ...customers].map(topUpOf))).toEqual(['10.000000', '0.000000', '0.000000', '0.000000']);
    // Nothing moved; only the batch's record (its key and its refused row) was kept.
    expect(await footprint()).toEqual({ ...before, batches: before.batches + 1 });

    const fitting = await okBatch(token, { mode: 'ALL_OR_NOTHING', rows: rows.filter((_, index) => index !== 2) });
    expect(statuses(fitting)).toEqual(['OK', 'OK', 'OK']);
    expect(fitting.totals.amount).toBe('9.500000');
    expect(await Promise.all([partnerId, ...customers].map(topUpOf))).toEqual(['0.500000', '4.500000', '5.000000', '0.000000']);
    expect(await server.audit()).toEqual([]);
  });

  it('refuses each bad row with the code transferCredits gives, a foreign customer like an unknown one', async () => {
    const { partnerId, customers, token } = await partnerWithCustomers(100, 3);
    const otherPartner = await createAccount(server, { kind: 'PARTNER' });
    const foreign = await createAccount(server, { partnerId: otherPartner });
    await server.ok(SET_STATUS, { accountId: customers[1], status: 'SUSPENDED' }, await server.adminToken());
    const rows = [
      { customerAccountId: customers[0], amount: '1' },
      { customerAccountId: foreign, amount: '1' },
      { customerAccountId: 'no-such-account', amount: '1' },
      { customerAccountId: customers[1], amount: '1' },
      { customerAccountId: customers[2], amount: '0' },
      { customerAccountId: customers[2], amount: '-3' },
      { customerAccountId: partnerId, amount: '1' },
      { customerAccountId: customers[2], amount: '1', note: 'x'.repeat(256) },
      { customerAccountId: customers[2], amount: '2' },
    ];
    const payload = await okBatch(token, { mode: 'EACH_ON_ITS_OWN', rows });
    const expected = ['OK', 'FORBIDDEN', 'FORBIDDEN', 'ACCOUNT_NOT_ACTIVE', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'FORBIDDEN', 'BAD_USER_INPUT', 'OK'];
    expect(statuses(payload)).toEqual(expected);
    expect(payload.results[1].message).toBe(payload.results[2].message);
    // Each row names its customer when it is the partner's own; a foreign or unknown id names none.
    const named = await server.ok(
      'mutation ($input: TransferCreditsBatchInput!) { transferCreditsBatch(input: $input) { results { customer { id name status } } } }',
      { input: { idempotencyKey: newKey(), mode: 'EACH_ON_ITS_OWN', dryRun: true, rows: rows.slice(0, 4).concat(rows[6]) } },
      token,
    );
    expect(named.transferCreditsBatch.results.map((row: any) => row.customer)).toEqual([
      { id: customers[0], name: `Account ${customers[0]}`, status: 'ACTIVE' },
      null,
      null,
      { id: customers[1], name: `Account ${customers[1]}`, status: 'SUSPENDED' },
      null,
    ]);
    // Each code is the one a single transfer of that row answers.
    for (const [index, row] of rows.entries()) {
      if (expected[index] === 'OK') continue;
      const single = await server.call(TRANSFER, { input: { ...row, idempotencyKey: newKey(), dryRun: true } }, token);
      expect({ index, codes: codes(single) }).toEqual({ index, codes: [expected[index]] });
    }
    expect(await topUpOf(partnerId)).toBe('97.000000');
    expect(await server.audit()).toEqual([]);
  });

  it('ALL_OR_NOTHING with a refused customer still names every other row that would be refused, moving nothing', async () => {
    const { partnerId, customers, token } = await partnerWithCustomers(5, 2);
    await server.ok(SET_STATUS, { accountId: customers[1], status: 'SUSPENDED' }, await server.adminToken());
    const rows = [
      { customerAccountId: customers[0], amount: '3' },
      { customerAccountId: customers[1], amount: '1' },
      { customerAccountId: customers[0], amount: '3' },
    ];
    for (const dryRun of [true, false]) {
      const payload = await okBatch(token, { mode: 'ALL_OR_NOTHING', rows, dryRun });
      expect({ dryRun, statuses: statuses(payload) }).toEqual({ dryRun, statuses: ['NOT_APPLIED', 'ACCOUNT_NOT_ACTIVE', 'INSUFFICIENT_CREDITS'] });
    }
    expect(await Promise.all([partnerId, ...customers].map(topUpOf))).toEqual(['5.000000', '0.000000', '0.000000']);
    expect(await server.audit()).toEqual([]);
  });

  it('a dry run answers what the batch would, row for row, and changes nothing: balances, history, keys', async () => {
    const { partnerId, customers, token } = await partnerWithCustomers(10, 2);
    const rows = [
      { customerAccountId: customers[0], amount: '6' },
      { customerAccountId: customers[1], amount: '5' },
      { customerAccountId: customers[1], amount: '4' },
    ];
    const idempotencyKey = newKey();
    const before = await footprint();
    const dryRuns: Record<Mode, any> = {
      EACH_ON_ITS_OWN: await okBatch(token, { mode: 'EACH_ON_ITS_OWN', rows, idempotencyKey, dryRun: true }),
      ALL_OR_NOTHING: await okBatch(token, { mode: 'ALL_OR_NOTHING', rows, idempotencyKey, dryRun: true }),
    };
    expect(dryRuns.EACH_ON_ITS_OWN.dryRun).toBe(true);
    expect(statuses(dryRuns.EACH_ON_ITS_OWN)).toEqual(['OK', 'INSUFFICIENT_CREDITS', 'OK']);
    expect(dryRuns.EACH_ON_ITS_OWN.results[2]).toMatchObject({
      transfer: null,
      partnerBalances: { topUpBalance: '0.000000' },
      customerBalances: { topUpBalance: '4.000000' },
    });
    expect(statuses(dryRuns.ALL_OR_NOTHING)).toEqual(['NOT_APPLIED', 'INSUFFICIENT_CREDITS', 'NOT_APPLIED']);
    expect(await footprint()).toEqual(before);
    expect(await Promise.all([partnerId, ...customers].map(topUpOf))).toEqual(['10.000000', '0.000000', '0.000000']);
    const { creditHistory } = await server.ok(
      `query ($id: ID!) { creditHistory(accountId: $id, first: 5) { edges { node { type } } } }`,
      { id: partnerId },
      token,
    );
    expect(creditHistory.edges.map((edge: any) => edge.node.type)).toEqual(['TOP_UP']);

    // The key is still free: the real batch (same key, any rows) runs, and answers as its dry run did.
    const applied = await okBatch(token, { mode: 'EACH_ON_ITS_OWN', rows, idempotencyKey });
    expect(statuses(applied)).toEqual(statuses(dryRuns.EACH_ON_ITS_OWN));
    const strip = (payload: any) => payload.results.map((row: any) => ({ ...row, transfer: row.transfer && null }));
    expect(strip(applied)).toEqual(strip(dryRuns.EACH_ON_ITS_OWN));
    expect(await server.audit()).toEqual([]);
  });

  it('a replay answers the first results row for row, even after other transfers changed the balances; other rows under the key are refused', async () => {
    const { partnerId, customers, token } = await partnerWithCustomers(10, 2);
    const rows = [
      { customerAccountId: customers[0], amount: '4', note: 'first' },
      { customerAccountId: customers[1], amount: '7' },
      { customerAccountId: customers[1], amount: '2' },
    ];
    const idempotencyKey = newKey();
    const first = await okBatch(token, { mode: 'EACH_ON_ITS_OWN', rows, idempotencyKey });
    expect(statuses(first)).toEqual(['OK', 'INSUFFICIENT_CREDITS', 'OK']);
    await server.ok(TRANSFER, { input: { customerAccountId: customers[1], amount: '1', idempotencyKey: newKey() } }, token);
    await fundTopUp(server, partnerId, credits(50));
    const before = await footprint();

    const replay = await okBatch(token, { mode: 'EACH_ON_ITS_OWN', rows, idempotencyKey });
    expect(replay).toEqual(first);
    expect(await footprint()).toEqual(before);
    expect(await topUpOf(partnerId)).toBe('53.000000');

    const reused = [
      { mode: 'ALL_OR_NOTHING' as Mode, rows },
      { mode: 'EACH_ON_ITS_OWN' as Mode, rows: rows.slice(0, 2) },
      { mode: 'EACH_ON_ITS_OWN' as Mode, rows: [{ ...rows[0], amount: '4.000001' }, ...rows.slice(1)] },
      { mode: 'EACH_ON_ITS_OWN' as Mode, rows: [{ ...rows[0], note: 'other' }, ...rows.slice(1)] },
    ];
    for (const input of reused) expect(codes(await batch(token, { ...input, idempotencyKey }))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(await footprint()).toEqual(before);

    // An ALL_OR_NOTHING batch that moved nothing replays as refused too, after its partner was funded.
    const { partnerId: poorPartner, customers: poorCustomers, token: poorToken } = await partnerWithCustomers(1, 1);
    const allOrNothing = {
      mode: 'ALL_OR_NOTHING' as Mode,
      rows: [
        { customerAccountId: poorCustomers[0], amount: '1' },
        { customerAccountId: poorCustomers[0], amount: '1' },
      ],
      idempotencyKey: newKey(),
    };
    const refused = await okBatch(poorToken, allOrNothing);
    expect(statuses(refused)).toEqual(['NOT_APPLIED', 'INSUFFICIENT_CREDITS']);
    await fundTopUp(server, poorPartner, credits(10));
    expect(await okBatch(poorToken, allOrNothing)).toEqual(refused);
    expect(await topUpOf(poorPartner)).toBe('11.000000');
    expect(await server.audit()).toEqual([]);
  });

  it('refuses more rows than TRANSFER_BATCH_MAX_ROWS, and no rows, changing nothing', async () => {
    const { customers, token } = await partnerWithCustomers(100, 1);
    const before = await footprint();
    const rows = (count: number) => Array.from({ length: count }, () => ({ customerAccountId: customers[0], amount: '1' }));
    const tooMany = await batch(token, { mode: 'EACH_ON_ITS_OWN', rows: rows(41) });
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
    expect(tooMany.errors[0].extensions).toMatchObject({ field: 'rows', maxRows: 40 });
    expect(tooMany.errors[0].message).toMatch(/1 to 40 rows/);
    expect(codes(await batch(token, { mode: 'EACH_ON_ITS_OWN', rows: [] }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await batch(token, { mode: 'EACH_ON_ITS_OWN', rows: rows(1), idempotencyKey: 'short' }))).toEqual(['BAD_USER_INPUT']);
    expect(await footprint()).toEqual(before);
    expect(statuses(await okBatch(token, { mode: 'EACH_ON_ITS_OWN', rows: rows(40) }))).toEqual(Array(40).fill('OK'));
  });

  it('racing copies of one batch apply it once; every copy answers the same rows', async () => {
    const { partnerId, customers, token } = await partnerWithCustomers(10, 3);
    const input = {
      mode: 'EACH_ON_ITS_OWN' as Mode,
      idempotencyKey: newKey(),
      rows: customers.map((customerAccountId, index) => ({ customerAccountId, amount: String(index + 3) })),
    };
    const before = await footprint();
    const answers = await Promise.all(Array.from({ length: 6 }, () => okBatch(token, input)));
    expect(statuses(answers[0])).toEqual(['OK', 'OK', 'INSUFFICIENT_CREDITS']);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(await footprint()).toEqual({ ledger: before.ledger + 2, transfers: before.transfers + 2, batches: before.batches + 1 });
    expect(await topUpOf(partnerId)).toBe('3.000000');
    expect(await server.audit()).toEqual([]);
  });

  it('racing copies of one batch from two processes (two group-commit queues on one database) apply it once', async () => {
    const { partnerId, customers } = await partnerWithCustomers(10, 2);
    const { runner, ledger, balances, config } = server.services;
    // A second TransfersService is a second group-commit queue, as in another process: its
    // transactions overlap the first one's, so one of them meets the other's keys at insert.
    const secondProcess = new TransferBatchesService(runner, new TransfersService(runner, ledger, balances), config.transferBatchMaxRows);
    const command = {
      partnerAccountId: partnerId,
      idempotencyKey: newKey(),
      mode: TransferBatchMode.ALL_OR_NOTHING,
      rows: customers.map((customerAccountId) => ({ customerAccountId, amountMicros: credits(4) })),
    };
    const before = await footprint();
    const answers = await Promise.all([0, 1, 2, 3].map((copy) => (copy % 2 === 0 ? server.services.transferBatches : secondProcess).transferBatch(command)));
    for (const answer of answers) {
      expect(answer.rows.map((row) => row.outcome.status)).toEqual(['OK', 'OK']);
      expect(answer.rows.map((row) => row.outcome.status === 'OK' && row.outcome.result.record?.id)).toEqual(
        answers[0].rows.map((row) => row.outcome.status === 'OK' && row.outcome.result.record?.id),
      );
    }
    expect(await footprint()).toEqual({ ledger: before.ledger + 2, transfers: before.transfers + 2, batches: before.batches + 1 });
    expect(await topUpOf(partnerId)).toBe('2.000000');
    expect(await server.audit()).toEqual([]);
  });

  it('batches of both modes and single transfers racing from one partner never overdraw it, and the sums hold', async () => {
    const { partnerId, customers, token } = await partnerWithCustomers(100, 6);
    const amountOf = (seed: number) => `${1 + (seed % 5)}.25`;
    const batches = Array.from({ length: 8 }, (_, batchIndex) => ({
      mode: (batchIndex % 2 === 0 ? 'EACH_ON_ITS_OWN' : 'ALL_OR_NOTHING') as Mode,
      rows: Array.from({ length: 5 }, (_, row) => ({
        customerAccountId: customers[(batchIndex + row) % customers.length],
        amount: amountOf(batchIndex * 7 + row),
      })),
    }));
    const singles = Array.from({ length: 16 }, (_, index) => ({ customerAccountId: customers[index % customers.length], amount: amountOf(index) }));
    const [batchAnswers, singleAnswers] = await Promise.all([
      Promise.all(batches.map((input) => okBatch(token, input))),
      Promise.all(singles.map((input) => server.call(TRANSFER, { input: { ...input, idempotencyKey: newKey() } }, token))),
    ]);

    const received = new Map<string, bigint>();
    const add = (customerAccountId: string, amount: string) => received.set(customerAccountId, (received.get(customerAccountId) ?? 0n) + micros(amount));
    for (const [index, answer] of batchAnswers.entries()) {
      const okRows = answer.results.filter((row: any) => row.status === 'OK');
      if (batches[index].mode === 'ALL_OR_NOTHING') expect([0, batches[index].rows.length]).toContain(okRows.length);
      for (const row of answer.results) {
        expect(['OK', 'INSUFFICIENT_CREDITS', 'NOT_APPLIED']).toContain(row.status === 'REFUSED' ? row.code : row.status);
        if (row.status === 'OK') add(row.customerAccountId, row.amount);
      }
    }
    for (const [index, answer] of singleAnswers.entries()) {
      if (answer.errors.length === 0) add(singles[index].customerAccountId, singles[index].amount);
      else expect(codes(answer)).toEqual(['INSUFFICIENT_CREDITS']);
    }
    const moved = [...received.values()].reduce((sum, amount) => sum + amount, 0n);
    expect(moved).toBeGreaterThan(credits(90));
    const partner = micros(await topUpOf(partnerId));
    expect(partner).toBeGreaterThanOrEqual(0n);
    expect(partner).toBe(credits(100) - moved);
    for (const customer of customers) expect(micros(await topUpOf(customer))).toBe(received.get(customer) ?? 0n);
    expect(await server.audit()).toEqual([]);
  });

  it('is refused as a whole to users who may not transfer', async () => {
    const { partnerId, customers } = await partnerWithCustomers(10, 1);
    const rows = [{ customerAccountId: customers[0], amount: '1' }];
    expect(codes(await batch(await server.userToken(partnerId, Role.VIEWER), { mode: 'EACH_ON_ITS_OWN', rows }))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(TRANSFER_BATCH, { input: { idempotencyKey: newKey(), mode: 'EACH_ON_ITS_OWN', rows } }))).toEqual(['UNAUTHENTICATED']);
    expect(await topUpOf(partnerId)).toBe('10.000000');
  });
});
