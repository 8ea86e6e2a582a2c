import { codes, startTestServer, TestServer } from '../support/harness';
import { createAccount, newKey } from '../support/fixtures';
import { adjust, AUDIT_OF, SET_CREDIT_LIMIT } from '../support/corrections';
import { credits, fundTopUp, partnerWithCustomer, RECLAIM, RECORD_USAGE, TRANSFER, TRANSFER_BATCH, usageEvent } from '../support/partners';
import { AccountEntity } from '../../src/accounts/entities/account.entity';

const BALANCES = /* GraphQL */ `
  query LimitBalances($accountId: ID!) {
    balances(accountId: $accountId) {
      accountId
      totalBalance
      topUpBalance
      creditLimit
      availableToTransfer
    }
  }
`;

describe('credit limits for partners', () => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.adminToken();
  });
  afterAll(async () => {
    await server.stop();
  });
  afterEach(async () => {
    expect(await server.audit()).toEqual([]);
  });

  const setLimit = (partnerAccountId: string, limit: string, reason = 'trusted reseller') =>
    server.call(SET_CREDIT_LIMIT, { input: { partnerAccountId, limit, reason } }, admin);
  const transfer = (customerAccountId: string, amount: string, token: string, extra: Record<string, unknown> = {}) =>
    server.call(TRANSFER, { input: { customerAccountId, amount, idempotencyKey: newKey(), ...extra } }, token);
  const balances = async (accountId: string, token?: string) =>
    (await server.ok(BALANCES, { accountId }, token ?? (await server.userToken(accountId)))).balances;
  const depleted = async (accountId: string) =>
    (await server.services.runner.read((manager) => manager.findOneByOrFail(AccountEntity, { id: accountId }))).depleted;

  it('lets a partner transfer down to minus its limit, shows the limit and what is available, and records the change', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(10));
    const { data } = await setLimit(partnerId, '50');
    expect(data.setCreditLimit).toEqual({
      accountId: partnerId,
      totalBalance: '10.000000',
      topUpBalance: '10.000000',
      creditLimit: '50.000000',
      availableToTransfer: '60.000000',
    });

    const { data: moved } = await transfer(customerId, '40', ownerToken);
    expect(moved.transferCredits.partnerBalances.topUpBalance).toBe('-30.000000');
    expect(await balances(partnerId, ownerToken)).toMatchObject({ topUpBalance: '-30.000000', creditLimit: '50.000000', availableToTransfer: '20.000000' });
    // Drawing on its credit is not depletion.
    expect(await depleted(partnerId)).toBe(false);
    // A customer has no limit and nothing to transfer.
    expect(await balances(customerId)).toMatchObject({ topUpBalance: '40.000000', creditLimit: null, availableToTransfer: null });

    // The dry run and the transfer refuse what is past the limit alike.
    expect(codes(await transfer(customerId, '20.000001', ownerToken, { dryRun: true }))).toEqual(['INSUFFICIENT_CREDITS']);
    expect(codes(await transfer(customerId, '20.000001', ownerToken))).toEqual(['INSUFFICIENT_CREDITS']);
    expect((await transfer(customerId, '20', ownerToken, { dryRun: true })).data.transferCredits.partnerBalances.topUpBalance).toBe('-50.000000');

    const [entry] = (await server.ok(AUDIT_OF, { accountId: partnerId, actions: ['CREDIT_LIMIT_SET'] }, admin)).auditLog.edges.map(
      (edge: { node: Record<string, unknown> }) => edge.node,
    );
    expect(entry).toMatchObject({ targetType: 'ACCOUNT', targetId: partnerId, reason: 'trusted reseller', actor: { kind: 'ADMIN' } });
    expect(JSON.parse(entry.before as string)).toEqual({ creditLimitMicros: '0' });
    expect(JSON.parse(entry.after as string)).toEqual({ creditLimitMicros: '50000000' });
  });

  it('serves bulk transfers within the limit, with the batch refusing the row past it', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, 0n);
    await setLimit(partnerId, '10');
    const rows = [
      { customerAccountId: customerId, amount: '6' },
      { customerAccountId: customerId, amount: '5' },
      { customerAccountId: customerId, amount: '4' },
    ];
    const { transferCreditsBatch } = await server.ok(TRANSFER_BATCH, { input: { idempotencyKey: newKey(), mode: 'EACH_ON_ITS_OWN', rows } }, ownerToken);
    expect(transferCreditsBatch.results.map((row: { status: string; code: string | null }) => [row.status, row.code])).toEqual([
      ['OK', null],
      ['REFUSED', 'INSUFFICIENT_CREDITS'],
      ['OK', null],
    ]);
    expect((await balances(partnerId, ownerToken)).topUpBalance).toBe('-10.000000');
  });

  it('never lets anything but transfers use the limit: a reclaim still stops at the customer’s zero, usage is recorded as always', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, 0n);
    await setLimit(partnerId, '10');
    expect(codes(await server.call(RECLAIM, { input: { customerAccountId: customerId, amount: '1', idempotencyKey: newKey() } }, ownerToken))).toEqual([
      'INSUFFICIENT_CREDITS',
    ]);
    await server.ok(RECORD_USAGE, { events: [usageEvent(partnerId, '3')] }, await server.meteringToken());
    // Usage is not a transfer: it overdraws as it always may, and the transfers left shrink by it.
    expect(await balances(partnerId, ownerToken)).toMatchObject({ topUpBalance: '-3.000000', availableToTransfer: '7.000000' });
    expect(codes(await transfer(customerId, '7.000001', ownerToken))).toEqual(['INSUFFICIENT_CREDITS']);
  });

  it('lowering the limit below what is owed refuses further transfers, takes nothing back and flags the partner until it is back within', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, 0n);
    await setLimit(partnerId, '50');
    await transfer(customerId, '30', ownerToken);
    const { data } = await setLimit(partnerId, '10', 'risk review');
    expect(data.setCreditLimit).toMatchObject({ topUpBalance: '-30.000000', creditLimit: '10.000000', availableToTransfer: '0.000000' });
    expect(await depleted(partnerId)).toBe(true);
    expect(codes(await transfer(customerId, '0.000001', ownerToken))).toEqual(['INSUFFICIENT_CREDITS']);
    expect((await balances(customerId)).topUpBalance).toBe('30.000000');

    // A payment of 25 brings it back within the lower limit (owing 5 of 10).
    await fundTopUp(server, partnerId, credits(25));
    expect(await depleted(partnerId)).toBe(false);
    expect((await transfer(customerId, '5', ownerToken)).errors).toEqual([]);
    expect((await balances(partnerId, ownerToken)).availableToTransfer).toBe('0.000000');
  });

  it('shows what the partner owes at the period’s end in the summary report and its CSV', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(5));
    await setLimit(partnerId, '100');
    await transfer(customerId, '42', ownerToken);
    const hour = 3_600_000;
    const now = Math.floor(Date.now() / hour) * hour;
    const period = { from: new Date(now - hour).toISOString(), to: new Date(now + 2 * hour).toISOString() };
    const { creditSummaryReport } = await server.ok(
      'query ($period: ReportPeriodInput!) { creditSummaryReport(period: $period) { lines { accountId closingBalance owedAtClose } } }',
      { period },
      ownerToken,
    );
    expect(creditSummaryReport.lines).toEqual([
      { accountId: customerId, closingBalance: '42.000000', owedAtClose: '0.000000' },
      { accountId: partnerId, closingBalance: '-37.000000', owedAtClose: '37.000000' },
    ]);
    const response = await fetch(`${server.url}/reports/summary.csv?${new URLSearchParams(period)}`, { headers: { authorization: `Bearer ${ownerToken}` } });
    const text = await response.text();
    expect(text.split('\r\n')[0].split(',').at(-1)).toBe('owedAtClose');
    expect(text).toContain(`,-37.000000,37.000000\r\n`);
  });

  it('keeps 120 racing transfers of a partner at zero within its limit of 100', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, 0n);
    const second = await createAccount(server, { partnerId });
    await setLimit(partnerId, '100');
    const answers = await Promise.all(Array.from({ length: 120 }, (_, index) => transfer(index % 2 ? customerId : second, '1', ownerToken)));
    const applied = answers.filter((answer) => answer.errors.length === 0).length;
    expect(applied).toBe(100);
    expect(answers.filter((answer) => answer.errors.length > 0).flatMap((answer) => codes(answer))).toEqual(Array(20).fill('INSUFFICIENT_CREDITS'));
    expect(await balances(partnerId, ownerToken)).toMatchObject({ topUpBalance: '-100.000000', availableToTransfer: '0.000000' });
    expect(await depleted(partnerId)).toBe(false);
  });

  it('records nothing when the limit is set to what it is, and refuses bad input, changing nothing', async () => {
    const { partnerId } = await partnerWithCustomer(server, 0n);
    await setLimit(partnerId, '5');
    expect((await setLimit(partnerId, '5')).errors).toEqual([]);
    const customer = await createAccount(server);
    expect(codes(await setLimit(partnerId, '-1'))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await setLimit(partnerId, '5', ' '))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await setLimit(customer, '5'))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await setLimit('no-such-account', '5'))).toEqual(['NOT_FOUND']);
    expect(codes(await setLimit('system', '5'))).toEqual(['NOT_FOUND']);
    const entries = (await server.ok(AUDIT_OF, { accountId: partnerId, actions: ['CREDIT_LIMIT_SET'] }, admin)).auditLog.edges;
    expect(entries).toHaveLength(1);
    expect((await balances(partnerId)).creditLimit).toBe('5.000000');
    expect((await adjust(server, customer, 'TOPUP', '1')).errors).toEqual([]);
  });
});
