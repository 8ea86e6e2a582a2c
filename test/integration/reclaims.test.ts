import { Role } from '../../src/auth/principal';
import { formatMicros, parseCreditsToMicros } from '../../src/common/money';
import { BALANCES, balancesOf, CREDIT_HISTORY, SET_STATUS } from '../support/foundation';
import { createAccount, grant, newKey } from '../support/fixtures';
import { codes, startTestServer, TestServer } from '../support/harness';
import { parseCsv } from '../support/ledger-activity';
import { credits, fundTopUp, partnerWithCustomer, RECLAIM, RECORD_USAGE, TRANSFER, usageEvent } from '../support/partners';

const SUMMARY_AMOUNTS =
  'openingBalance transfersIn topUps grants reclaimsIn creditsIn usage expiry transfersOut reversals reclaimsOut creditsOut closingBalance';
const SUMMARY = `query Summary($period: ReportPeriodInput!) {
  creditSummaryReport(period: $period) { lines { accountId accountKind ${SUMMARY_AMOUNTS} } customerTotals { ${SUMMARY_AMOUNTS} } }
}`;
const TOP_UPS = `query TopUps($period: ReportPeriodInput!) {
  creditTopUpReport(period: $period) {
    rows { occurredAt kind accountId accountName amount reference actor actorRole actorName }
    customers { customerId amount transferCount reclaimed reclaimCount }
    totalTransferred totalReclaimed partnerTopUps
  }
}`;
const SOURCES = `query Sources($accountId: ID!) {
  creditHistory(accountId: $accountId, first: 1) {
    edges { node { type amount source { __typename ... on ReclaimSource { reclaimId note amount partner { accountId } customer { accountId } actor { userId role } } } } }
  }
}`;

describe('reclaimCredits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const reclaim = (token: string, input: Record<string, unknown>) => server.call(RECLAIM, { input: { idempotencyKey: newKey(), ...input } }, token);

  /** A partner whose customer received `received` credits from it by transfer (the partner keeps `kept`). */
  async function customerWithCredits(received: string, kept = 0) {
    const fixture = await partnerWithCustomer(server, credits(Number(received) + kept));
    await server.ok(TRANSFER, { input: { customerAccountId: fixture.customerId, amount: received, idempotencyKey: newKey() } }, fixture.ownerToken);
    return fixture;
  }

  it('moves top-up credits from the customer back to the partner, with its own movement type on both histories', async () => {
    const { partnerId, customerId, ownerToken } = await customerWithCredits('30');
    const result = await server.ok(RECLAIM, { input: { customerAccountId: customerId, amount: '12.5', idempotencyKey: newKey(), note: 'unused' } }, ownerToken);
    expect(result.reclaimCredits).toMatchObject({
      dryRun: false,
      reclaim: { partnerAccountId: partnerId, customerAccountId: customerId, amount: '12.500000', note: 'unused' },
      partnerBalances: { accountId: partnerId, topUpBalance: '12.500000' },
      customerBalances: { accountId: customerId, topUpBalance: '17.500000', totalBalance: '17.500000' },
    });

    const latest = async (accountId: string) =>
      (await server.ok(CREDIT_HISTORY, { accountId, first: 1 }, await server.userToken(accountId))).creditHistory.edges[0].node;
    expect(await latest(partnerId)).toMatchObject({ type: 'RECLAIM_IN', amount: '12.500000', description: 'unused', counterparty: { accountId: customerId } });
    expect(await latest(customerId)).toMatchObject({
      type: 'RECLAIM_OUT',
      amount: '-12.500000',
      topUpBalanceAfter: '17.500000',
      counterparty: { accountId: partnerId },
    });

    // The typed source names both sides on both rows; the partner's staff only on the partner's row.
    const source = async (accountId: string) => (await server.ok(SOURCES, { accountId }, await server.userToken(accountId))).creditHistory.edges[0].node.source;
    const reclaimId = result.reclaimCredits.reclaim.id;
    expect(await source(partnerId)).toMatchObject({
      __typename: 'ReclaimSource',
      reclaimId,
      note: 'unused',
      amount: '12.500000',
      partner: { accountId: partnerId },
      customer: { accountId: customerId },
      actor: { role: 'OWNER' },
    });
    expect(await source(customerId)).toMatchObject({ __typename: 'ReclaimSource', reclaimId, actor: null });

    // The history CSV of each side carries the row as GraphQL does.
    for (const [accountId, type, amount] of [
      [customerId, 'RECLAIM_OUT', '-12.500000'],
      [partnerId, 'RECLAIM_IN', '12.500000'],
    ]) {
      const response = await fetch(`${server.url}/history.csv?accountId=${accountId}&types=${type}`, {
        headers: { authorization: `Bearer ${await server.userToken(accountId)}` },
      });
      expect(response.status).toBe(200);
      expect(parseCsv(await response.text())).toEqual([expect.objectContaining({ type, amount, description: 'unused' })]);
    }
    expect(await server.audit()).toEqual([]);
  });

  it("reclaims at most the customer's top-up balance, never its promotional credits, and exactly all of it", async () => {
    const { partnerId, customerId, ownerToken } = await customerWithCredits('5');
    await grant(server, customerId, '10');
    expect(codes(await reclaim(ownerToken, { customerAccountId: customerId, amount: '5.000001' }))).toEqual(['INSUFFICIENT_CREDITS']);
    expect(codes(await reclaim(ownerToken, { customerAccountId: customerId, amount: '15' }))).toEqual(['INSUFFICIENT_CREDITS']);
    expect(await balancesOf(server, customerId)).toMatchObject({ topUpBalance: '5.000000', promotionalBalance: '10.000000' });

    const all = await server.ok(RECLAIM, { input: { customerAccountId: customerId, amount: '5', idempotencyKey: newKey() } }, ownerToken);
    expect(all.reclaimCredits.customerBalances).toMatchObject({ topUpBalance: '0.000000', promotionalBalance: '10.000000', totalBalance: '10.000000' });
    expect(all.reclaimCredits.partnerBalances).toMatchObject({ topUpBalance: '5.000000' });
    expect(codes(await reclaim(ownerToken, { customerAccountId: customerId, amount: '0.000001' }))).toEqual(['INSUFFICIENT_CREDITS']);
    expect((await balancesOf(server, partnerId)).topUpBalance).toBe('5.000000');
    expect(await server.audit()).toEqual([]);
  });

  it('refuses anything from a customer whose usage took its top-up balance below zero', async () => {
    const { customerId, ownerToken } = await customerWithCredits('1');
    await server.ok(RECORD_USAGE, { events: [usageEvent(customerId, '3')] }, await server.meteringToken());
    expect((await balancesOf(server, customerId)).topUpBalance).toBe('-2.000000');
    expect(codes(await reclaim(ownerToken, { customerAccountId: customerId, amount: '1' }))).toEqual(['INSUFFICIENT_CREDITS']);
    expect(codes(await reclaim(ownerToken, { customerAccountId: customerId, amount: '1', dryRun: true }))).toEqual(['INSUFFICIENT_CREDITS']);
  });

  it.each(['ACTIVE', 'SUSPENDED', 'CLOSED'])('reclaims from a %s customer', async (status) => {
    const { partnerId, customerId, ownerToken } = await customerWithCredits('4');
    await server.ok(SET_STATUS, { accountId: customerId, status }, await server.adminToken());
    const dryRun = await server.ok(RECLAIM, { input: { customerAccountId: customerId, amount: '4', idempotencyKey: newKey(), dryRun: true } }, ownerToken);
    expect(dryRun.reclaimCredits.customerBalances.topUpBalance).toBe('0.000000');
    const result = await server.ok(RECLAIM, { input: { customerAccountId: customerId, amount: '4', idempotencyKey: newKey() } }, ownerToken);
    expect(result.reclaimCredits.customerBalances.topUpBalance).toBe('0.000000');
    expect((await balancesOf(server, partnerId)).topUpBalance).toBe('4.000000');
  });

  it('refuses a PENDING customer and a partner that is not ACTIVE, changing nothing', async () => {
    const { partnerId, customerId, ownerToken } = await customerWithCredits('4');
    const pending = await createAccount(server, { partnerId, status: 'PENDING' });
    expect(codes(await reclaim(ownerToken, { customerAccountId: pending, amount: '1' }))).toEqual(['ACCOUNT_NOT_ACTIVE']);
    await server.ok(SET_STATUS, { accountId: partnerId, status: 'SUSPENDED' }, await server.adminToken());
    expect(codes(await reclaim(ownerToken, { customerAccountId: customerId, amount: '1' }))).toEqual(['ACCOUNT_NOT_ACTIVE']);
    expect(codes(await reclaim(ownerToken, { customerAccountId: customerId, amount: '1', dryRun: true }))).toEqual(['ACCOUNT_NOT_ACTIVE']);
    expect((await balancesOf(server, customerId)).topUpBalance).toBe('4.000000');
  });

  it("refuses another partner's customer, a direct customer, an unknown id and itself alike", async () => {
    const { partnerId, ownerToken } = await customerWithCredits('1');
    const other = await customerWithCredits('3');
    const direct = await createAccount(server);
    await fundTopUp(server, direct, credits(3));
    const messages = new Set<string>();
    for (const customerAccountId of [other.customerId, direct, 'no-such-account', other.partnerId]) {
      for (const dryRun of [false, true]) {
        const result = await reclaim(ownerToken, { customerAccountId, amount: '1', dryRun });
        expect(codes(result)).toEqual(['FORBIDDEN']);
        messages.add(result.errors[0].message);
      }
    }
    // A foreign customer and an id that does not exist get the same answer: nothing to enumerate.
    expect(messages.size).toBe(1);
    expect(codes(await reclaim(ownerToken, { customerAccountId: partnerId, amount: '1' }))).toEqual(['FORBIDDEN']);
    expect((await balancesOf(server, other.customerId)).topUpBalance).toBe('3.000000');
    expect((await balancesOf(server, direct)).topUpBalance).toBe('3.000000');
  });

  it("lets a partner's OWNER and BILLING_ADMIN reclaim, and refuses its VIEWER, the customer's users and the metering service", async () => {
    const { partnerId, customerId } = await customerWithCredits('5');
    const input = { customerAccountId: customerId, amount: '1' };
    expect(codes(await reclaim(await server.userToken(partnerId, Role.VIEWER), input))).toEqual(['FORBIDDEN']);
    expect(codes(await reclaim(await server.userToken(customerId, Role.OWNER), input))).toEqual(['FORBIDDEN']);
    expect(codes(await reclaim(await server.meteringToken(), input))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(RECLAIM, { input: { ...input, idempotencyKey: newKey() } }))).toEqual(['UNAUTHENTICATED']);
    expect((await balancesOf(server, customerId)).topUpBalance).toBe('5.000000');
    expect(codes(await reclaim(await server.userToken(partnerId, Role.BILLING_ADMIN), input))).toEqual([]);
    expect((await balancesOf(server, customerId)).topUpBalance).toBe('4.000000');
  });

  it("tells a partner's customer that only a partner reclaims credits, also when it names its own account", async () => {
    const { partnerId, customerId } = await customerWithCredits('5');
    const customerOwner = await server.userToken(customerId, Role.OWNER);
    for (const customerAccountId of [customerId, partnerId]) {
      for (const dryRun of [false, true]) {
        const result = await reclaim(customerOwner, { customerAccountId, amount: '1', dryRun });
        expect({ codes: codes(result), message: result.errors[0].message }).toEqual({
          codes: ['FORBIDDEN'],
          message: 'Only a partner account can reclaim credits from customers.',
        });
      }
    }
    // A partner naming itself is told that.
    const other = await customerWithCredits('1');
    const own = await reclaim(other.ownerToken, { customerAccountId: other.partnerId, amount: '1' });
    expect(own.errors[0].message).toBe('A partner cannot reclaim credits from itself.');
    expect((await balancesOf(server, customerId)).topUpBalance).toBe('5.000000');
  });

  it('refuses bad input before any work', async () => {
    const { customerId, ownerToken } = await customerWithCredits('5');
    for (const amount of ['0', '-1', '1.0000001', 'ten', '1000000001']) {
      expect(codes(await reclaim(ownerToken, { customerAccountId: customerId, amount }))).toEqual(['BAD_USER_INPUT']);
    }
    expect(codes(await reclaim(ownerToken, { customerAccountId: customerId, amount: '1', idempotencyKey: 'short' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await reclaim(ownerToken, { customerAccountId: customerId, amount: '1', note: 'x'.repeat(256) }))).toEqual(['BAD_USER_INPUT']);
    expect((await balancesOf(server, customerId)).topUpBalance).toBe('5.000000');
  });

  it('previews a dry run without moving anything or consuming the key', async () => {
    const { partnerId, customerId, ownerToken } = await customerWithCredits('10', 2);
    const idempotencyKey = newKey();
    const preview = await server.ok(RECLAIM, { input: { customerAccountId: customerId, amount: '4', idempotencyKey, dryRun: true } }, ownerToken);
    expect(preview.reclaimCredits).toEqual({
      dryRun: true,
      reclaim: null,
      partnerBalances: { accountId: partnerId, totalBalance: '6.000000', topUpBalance: '6.000000', promotionalBalance: '0.000000' },
      customerBalances: { accountId: customerId, totalBalance: '6.000000', topUpBalance: '6.000000', promotionalBalance: '0.000000' },
    });
    expect((await balancesOf(server, partnerId)).topUpBalance).toBe('2.000000');
    expect((await balancesOf(server, customerId)).topUpBalance).toBe('10.000000');
    expect(codes(await reclaim(ownerToken, { customerAccountId: customerId, amount: '10.000001', dryRun: true }))).toEqual(['INSUFFICIENT_CREDITS']);
    const history = await server.ok(CREDIT_HISTORY, { accountId: customerId, first: 5 }, await server.userToken(customerId));
    expect(history.creditHistory.edges.map((edge: any) => edge.node.type)).toEqual(['TRANSFER_IN']);
    // The same key still makes a real reclaim, with other arguments than the dry run.
    const real = await server.ok(RECLAIM, { input: { customerAccountId: customerId, amount: '3', idempotencyKey } }, ownerToken);
    expect(real.reclaimCredits.customerBalances.topUpBalance).toBe('7.000000');
  });

  it('returns the first result on replay and refuses the key for a different reclaim', async () => {
    const { partnerId, customerId, ownerToken } = await customerWithCredits('10');
    const input = { customerAccountId: customerId, amount: '2', idempotencyKey: newKey(), note: 'once' };
    const first = await server.ok(RECLAIM, { input }, ownerToken);
    // A later movement changes the balances; the replay still answers with those right after the reclaim.
    await server.ok(RECLAIM, { input: { customerAccountId: customerId, amount: '1', idempotencyKey: newKey() } }, ownerToken);
    expect(await server.ok(RECLAIM, { input }, ownerToken)).toEqual(first);
    expect(codes(await server.call(RECLAIM, { input: { ...input, amount: '3' } }, ownerToken))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(codes(await server.call(RECLAIM, { input: { ...input, note: 'twice' } }, ownerToken))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    const secondCustomer = await createAccount(server, { partnerId });
    expect(codes(await server.call(RECLAIM, { input: { ...input, customerAccountId: secondCustomer } }, ownerToken))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    // A replay after the customer's balance fell below the amount is still the first answer, not a refusal.
    await server.ok(RECLAIM, { input: { customerAccountId: customerId, amount: '7', idempotencyKey: newKey() } }, ownerToken);
    expect(await server.ok(RECLAIM, { input }, ownerToken)).toEqual(first);
    expect((await balancesOf(server, customerId)).topUpBalance).toBe('0.000000');
    expect((await balancesOf(server, partnerId)).topUpBalance).toBe('10.000000');
  });

  it('makes one reclaim of concurrent replays of one key', async () => {
    const { customerId, ownerToken } = await customerWithCredits('10');
    const input = { customerAccountId: customerId, amount: '1', idempotencyKey: newKey() };
    const results = await Promise.all(Array.from({ length: 20 }, () => server.call(RECLAIM, { input }, ownerToken)));
    expect(results.flatMap(codes)).toEqual([]);
    expect(new Set(results.map((result) => result.data.reclaimCredits.reclaim.id)).size).toBe(1);
    expect((await balancesOf(server, customerId)).topUpBalance).toBe('9.000000');
    expect(await server.audit()).toEqual([]);
  });

  it('never takes the top-up wallet below zero while reclaims race with usage and transfers', async () => {
    const { partnerId, customerId, ownerToken } = await customerWithCredits('60', 20);
    const metering = await server.meteringToken();
    const operations = Array.from({ length: 120 }, (_, index) => {
      if (index % 6 === 0) return server.call(TRANSFER, { input: { customerAccountId: customerId, amount: '1', idempotencyKey: newKey() } }, ownerToken);
      if (index % 6 === 1) return server.call(RECORD_USAGE, { events: [usageEvent(customerId, '1')] }, metering);
      return reclaim(ownerToken, { customerAccountId: customerId, amount: '1' });
    });
    const results = await Promise.all(operations);
    const reclaims = results.filter((_, index) => index % 6 > 1);
    const succeeded = reclaims.filter((result) => result.errors.length === 0);
    expect(
      reclaims
        .filter((result) => result.errors.length > 0)
        .flatMap(codes)
        .every((code) => code === 'INSUFFICIENT_CREDITS'),
    ).toBe(true);
    for (const result of succeeded) expect(parseCreditsToMicros(result.data.reclaimCredits.customerBalances.topUpBalance)).toBeGreaterThanOrEqual(0n);
    expect(results.filter((_, index) => index % 6 < 2).flatMap(codes)).toEqual([]);
    // Demand (80 reclaims + 20 usage) exceeds supply (60 + 20 transferred), so some reclaims were refused.
    expect(succeeded.length).toBeLessThan(80);
    expect(succeeded.length).toBeGreaterThan(0);

    // Every reclaim row of the history left the top-up balance at zero or above.
    const rows = await server.services.runner.read((manager) =>
      manager.query('SELECT topUpBalanceAfterMicros AS after FROM account_movement WHERE accountId = ? AND type = ?', [customerId, 'RECLAIM_OUT']),
    );
    expect(rows).toHaveLength(succeeded.length);
    for (const row of rows) expect(BigInt(String(row.after))).toBeGreaterThanOrEqual(0n);
    const expected = credits(60 + 20 - 20 - succeeded.length);
    expect(parseCreditsToMicros((await balancesOf(server, customerId)).topUpBalance)).toBe(expected);
    expect((await balancesOf(server, partnerId)).topUpBalance).toBe(formatMicros(credits(succeeded.length)));
    expect(await server.audit()).toEqual([]);
  }, 120_000);

  it('shows reclaims in the top-up and summary reports, GraphQL and CSV, which still reconcile', async () => {
    const { partnerId, customerId, ownerToken } = await customerWithCredits('20', 5);
    const quiet = await createAccount(server, { partnerId });
    await grant(server, customerId, '3');
    await server.ok(RECLAIM, { input: { customerAccountId: customerId, amount: '6', idempotencyKey: 'reclaim-report-1', note: 'one' } }, ownerToken);
    await server.ok(RECORD_USAGE, { events: [usageEvent(customerId, '4')] }, await server.meteringToken());
    await server.ok(RECLAIM, { input: { customerAccountId: customerId, amount: '2.5', idempotencyKey: 'reclaim-report-2' } }, ownerToken);
    const hour = 3_600_000;
    const now = Math.floor(Date.now() / hour) * hour;
    const period = { from: new Date(now - hour).toISOString(), to: new Date(now + 2 * hour).toISOString() };
    const viewer = await server.userToken(partnerId, Role.VIEWER);

    const { creditSummaryReport: summary } = await server.ok(SUMMARY, { period }, viewer);
    const line = (accountId: string) => summary.lines.find((candidate: { accountId: string }) => candidate.accountId === accountId);
    for (const each of summary.lines) {
      const micros = (field: string) => parseCreditsToMicros(each[field]);
      expect(micros('openingBalance') + micros('creditsIn') - micros('creditsOut')).toBe(micros('closingBalance'));
    }
    // Usage took the 3 promotional credits first, then 1 top-up credit: 20 - 6 - 1 - 2.5 = 10.5 left.
    expect(line(customerId)).toMatchObject({
      transfersIn: '20.000000',
      grants: '3.000000',
      reclaimsOut: '8.500000',
      usage: '4.000000',
      closingBalance: '10.500000',
    });
    expect(line(partnerId)).toMatchObject({ transfersOut: '20.000000', reclaimsIn: '8.500000', closingBalance: '13.500000' });
    expect(line(quiet)).toMatchObject({ reclaimsOut: '0.000000', closingBalance: '0.000000' });
    expect(summary.customerTotals).toMatchObject({ reclaimsIn: '0.000000', reclaimsOut: '8.500000' });
    const balances = await server.ok(BALANCES, { accountId: customerId }, ownerToken);
    expect(line(customerId).closingBalance).toBe(balances.balances.totalBalance);

    const { creditTopUpReport: topUps } = await server.ok(TOP_UPS, { period }, viewer);
    const reclaimRows = topUps.rows.filter((row: { kind: string }) => row.kind === 'RECLAIM');
    expect(reclaimRows).toEqual([
      expect.objectContaining({
        accountId: customerId,
        amount: '-6.000000',
        reference: 'reclaim:reclaim-report-1',
        actor: expect.any(String),
        actorRole: 'OWNER',
      }),
      expect.objectContaining({ accountId: customerId, amount: '-2.500000', reference: 'reclaim:reclaim-report-2', actorRole: 'OWNER' }),
    ]);
    expect(topUps.customers.find((customer: { customerId: string }) => customer.customerId === customerId)).toEqual({
      customerId,
      amount: '20.000000',
      transferCount: 1,
      reclaimed: '8.500000',
      reclaimCount: 2,
    });
    expect(topUps.totalReclaimed).toBe('8.500000');

    // The CSV downloads hold exactly the GraphQL rows, reclaims and the new summary columns included.
    const query = new URLSearchParams(period).toString();
    const csv = async (name: string) => {
      const response = await fetch(`${server.url}/reports/${name}.csv?${query}`, { headers: { authorization: `Bearer ${viewer}` } });
      expect(response.status).toBe(200);
      return parseCsv(await response.text());
    };
    const asText = (rows: Record<string, unknown>[]) =>
      rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value === null ? '' : String(value)])));
    expect(await csv('top-ups')).toEqual(asText(topUps.rows));
    const summaryCsv = await csv('summary');
    expect(summaryCsv.map((row) => [row.accountId, row.reclaimsIn, row.reclaimsOut, row.closingBalance])).toEqual(
      summary.lines.map((each: Record<string, string>) => [each.accountId, each.reclaimsIn, each.reclaimsOut, each.closingBalance]),
    );

    // Narrowed to the customer, the top-up report still lists its reclaims.
    const narrowed = await server.ok(
      `query($period: ReportPeriodInput!, $customer: ID!) { creditTopUpReport(period: $period, customerAccountId: $customer) { rows { kind amount } totalReclaimed } }`,
      { period, customer: customerId },
      viewer,
    );
    expect(narrowed.creditTopUpReport.rows.map((row: { kind: string; amount: string }) => [row.kind, row.amount])).toEqual([
      ['TRANSFER', '20.000000'],
      ['RECLAIM', '-6.000000'],
      ['RECLAIM', '-2.500000'],
    ]);
    expect(narrowed.creditTopUpReport.totalReclaimed).toBe('8.500000');
    expect(await server.audit()).toEqual([]);
  });
});
