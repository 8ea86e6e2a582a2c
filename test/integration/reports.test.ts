import { In } from 'typeorm';
import { Role } from '../../src/auth/principal';
import { formatMicros, parseCreditsToMicros } from '../../src/common/money';
import { AccountMovementEntity } from '../../src/balances/history/entities/account-movement.entity';
import { WalletEntity } from '../../src/ledger/entities/wallet.entity';
import { CreditMovementType } from '../../src/ledger/ledger.enums';
import { createAccount } from '../support/fixtures';
import { codes, startTestServer, TestServer } from '../support/harness';
import { isInsufficientCredits, LedgerActivity, parseCsv, seededRandom } from '../support/ledger-activity';

const AMOUNTS =
  'openingBalance transfersIn topUps grants reclaimsIn disputesWon adjustmentsIn creditsIn usage expiry transfersOut reversals refunds reclaimsOut adjustmentsOut voids creditsOut closingBalance';
const SUMMARY = /* GraphQL */ `
  query Summary($period: ReportPeriodInput!) {
    creditSummaryReport(period: $period) {
      period { from to timeZone }
      lines { accountId accountName accountKind ${AMOUNTS} owedAtClose }
      customerTotals { ${AMOUNTS} }
    }
  }
`;
const USAGE = /* GraphQL */ `
  query Usage($period: ReportPeriodInput!) {
    creditUsageReport(period: $period) {
      rows {
        customerId
        customerName
        date
        service
        amount
        eventCount
      }
      customers {
        customerId
        customerName
        amount
        eventCount
      }
      totalUsage
      eventCount
    }
  }
`;
const TOP_UPS = /* GraphQL */ `
  query TopUps($period: ReportPeriodInput!) {
    creditTopUpReport(period: $period) {
      rows {
        occurredAt
        kind
        accountId
        accountName
        amount
        reference
        actor
        actorRole
        actorName
      }
      customers {
        customerId
        customerName
        amount
        transferCount
        reclaimed
        reclaimCount
      }
      totalTransferred
      totalReclaimed
      partnerTopUps
    }
  }
`;

// The partner's October 1st and 2nd in Asia/Ho_Chi_Minh (UTC+7): 2026-09-30T17:00Z to 2026-10-02T17:00Z.
const PERIOD = { from: '2026-10-01T00:00:00+07:00', to: '2026-10-03T00:00:00+07:00' };
const FROM = new Date(PERIOD.from);
const TO = new Date(PERIOD.to);
const HOUR = 3_600_000;
const SUMMARY_FIELDS = AMOUNTS.split(' ');

describe('partner reports', () => {
  let server: TestServer;
  let activity: LedgerActivity;
  let partnerId: string;
  let customerIds: string[];
  let partnerToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    activity = new LedgerActivity(server);
    partnerId = await createAccount(server, { kind: 'PARTNER', name: 'Reseller One' });
    customerIds = [
      await createAccount(server, { partnerId, name: 'Acme, "Cloud" Ltd' }),
      await createAccount(server, { partnerId, name: 'Beta Co' }),
      await createAccount(server, { partnerId, name: 'Gamma Co' }),
      await createAccount(server, { partnerId, name: 'Zeta (no activity)' }),
    ];
    partnerToken = await server.userToken(partnerId, Role.VIEWER);
    await generateRandomActivity(activity, { partnerId, customerIds: customerIds.slice(0, 3), seed: 20261001 });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reconciles every customer across the period and day boundaries, matching the ledger', async () => {
    const { creditSummaryReport: report } = await server.ok(SUMMARY, { period: PERIOD }, partnerToken);
    expect(report.period).toEqual({ from: FROM.toISOString(), to: TO.toISOString(), timeZone: 'Asia/Ho_Chi_Minh' });
    expect(report.lines.map((line: { accountId: string }) => line.accountId)).toEqual([...customerIds, partnerId]);
    expect(report.lines.at(-1).accountKind).toBe('PARTNER');

    const expected = await expectedSummary(server, [...customerIds, partnerId], { from: FROM, to: TO });
    for (const line of report.lines) {
      const micros = Object.fromEntries(SUMMARY_FIELDS.map((field) => [field, parseCreditsToMicros(line[field])]));
      expect(micros.openingBalance + micros.creditsIn - micros.creditsOut).toBe(micros.closingBalance);
      expect(line).toMatchObject(expected.get(line.accountId)!);
    }
    for (const field of SUMMARY_FIELDS) {
      const customerSum = report.lines.slice(0, -1).reduce((sum: bigint, line: Record<string, string>) => sum + parseCreditsToMicros(line[field]), 0n);
      expect(report.customerTotals[field]).toBe(formatMicros(customerSum));
    }
    // Activity did cross the boundaries: something happened before the period and inside it.
    expect(report.lines.some((line: { openingBalance: string }) => line.openingBalance !== '0.000000')).toBe(true);
    expect(report.customerTotals.usage).not.toBe('0.000000');
    expect(report.customerTotals.reclaimsOut).not.toBe('0.000000');
    expect(report.lines.at(-1).reclaimsIn).toBe(report.customerTotals.reclaimsOut);
    expect(report.lines.some((line: Record<string, string>) => line.adjustmentsIn !== '0.000000' || line.adjustmentsOut !== '0.000000')).toBe(true);
    expect(await server.audit()).toEqual([]);
  });

  // Sums come from whole UTC days in the daily tier and the edge hours in the hourly one: periods
  // that start and end at and around UTC midnight, and local days of zones east and west of UTC
  // (DST included), must all match the ledger to the micro-credit.
  it.each([
    ['one whole UTC day', { from: '2026-10-01T00:00:00Z', to: '2026-10-02T00:00:00Z', timeZone: 'UTC' }],
    ['UTC days with edge hours on both sides', { from: '2026-09-30T21:00:00Z', to: '2026-10-02T03:00:00Z', timeZone: 'UTC' }],
    ['a whole day and one hour after it', { from: '2026-10-01T00:00:00Z', to: '2026-10-02T01:00:00Z', timeZone: 'UTC' }],
    ['one hour before a whole day', { from: '2026-09-30T23:00:00Z', to: '2026-10-02T00:00:00Z', timeZone: 'UTC' }],
    ['less than a day across UTC midnight', { from: '2026-09-30T20:00:00Z', to: '2026-10-01T05:00:00Z', timeZone: 'UTC' }],
    ['a single hour', { from: '2026-10-01T17:00:00Z', to: '2026-10-01T18:00:00Z', timeZone: 'UTC' }],
    ['local days in Ho Chi Minh City (UTC+7)', { from: '2026-09-30T00:00:00+07:00', to: '2026-10-04T00:00:00+07:00' }],
    ['local days in New York (UTC-4)', { from: '2026-09-30T00:00:00-04:00', to: '2026-10-03T00:00:00-04:00', timeZone: 'America/New_York' }],
    ['local days in Kiritimati (UTC+14)', { from: '2026-10-01T00:00:00+14:00', to: '2026-10-03T00:00:00+14:00', timeZone: 'Pacific/Kiritimati' }],
    ['local days in Berlin across the end of summer time', { from: '2026-09-30T00:00:00+02:00', to: '2026-10-27T00:00:00+01:00', timeZone: 'Europe/Berlin' }],
  ])('reconciles %s with the ledger', async (_name, period) => {
    const { creditSummaryReport: report } = await server.ok(SUMMARY, { period }, partnerToken);
    const expected = await expectedSummary(server, [...customerIds, partnerId], { from: new Date(period.from), to: new Date(period.to) });
    for (const line of report.lines) expect(line).toMatchObject(expected.get(line.accountId)!);
    const { creditUsageReport: usage } = await server.ok(USAGE, { period }, partnerToken);
    expect(usage.totalUsage).toBe(report.customerTotals.usage);
  });

  it('keeps every day of the daily tier equal to the sum of its hours', async () => {
    const [hours, days] = await server.services.runner.read((manager) =>
      Promise.all([
        manager.query('SELECT accountId, movementType, bucketHour, service, amountMicros, movementCount FROM account_activity_hour'),
        manager.query('SELECT accountId, movementType, bucketDay, service, amountMicros, movementCount FROM account_activity_day'),
      ]),
    );
    const summed = new Map<string, [bigint, number]>();
    for (const row of hours) {
      const key = [row.accountId, row.movementType, Math.floor(Number(row.bucketHour) / 24), row.service].join('|');
      const [amount, count] = summed.get(key) ?? [0n, 0];
      summed.set(key, [amount + BigInt(String(row.amountMicros)), count + Number(row.movementCount)]);
    }
    const stored = new Map<string, [bigint, number]>(
      days.map((row: Record<string, unknown>) => [
        [row.accountId, row.movementType, Number(row.bucketDay), row.service].join('|'),
        [BigInt(String(row.amountMicros)), Number(row.movementCount)],
      ]),
    );
    expect(stored.size).toBeGreaterThan(0);
    expect(stored).toEqual(summed);
  });

  it('closes a period that ends after all activity at the balances in the wallets', async () => {
    const period = { from: PERIOD.from, to: '2026-10-10T00:00:00+07:00' };
    const { creditSummaryReport: report } = await server.ok(SUMMARY, { period }, partnerToken);
    const wallets = await server.services.runner.read((manager) => manager.find(WalletEntity, { where: { accountId: In([...customerIds, partnerId]) } }));
    for (const line of report.lines) {
      const total = wallets.filter((wallet) => wallet.accountId === line.accountId).reduce((sum, wallet) => sum + wallet.balanceMicros, 0n);
      expect(line.closingBalance).toBe(formatMicros(total));
    }
  });

  it("counts usage days in the partner's time zone: 23:30 and 00:30 local are different days", async () => {
    const partner = await createAccount(server, { kind: 'PARTNER' });
    const customer = await createAccount(server, { partnerId: partner, name: 'Night Owl' });
    await activity.usage(customer, 1_000_000n, new Date('2026-10-05T16:30:00Z'), 'compute'); // 23:30 on Oct 5th in Ho Chi Minh City
    await activity.usage(customer, 2_000_000n, new Date('2026-10-05T17:30:00Z'), 'compute'); // 00:30 on Oct 6th
    await activity.usage(customer, 500_000n, new Date('2026-10-05T18:00:00Z')); // no service named
    const token = await server.userToken(partner);

    const local = await server.ok(USAGE, { period: { from: '2026-10-05T00:00:00+07:00', to: '2026-10-07T00:00:00+07:00' } }, token);
    expect(local.creditUsageReport.rows).toEqual([
      { customerId: customer, customerName: 'Night Owl', date: '2026-10-05', service: 'compute', amount: '1.000000', eventCount: 1 },
      { customerId: customer, customerName: 'Night Owl', date: '2026-10-06', service: 'compute', amount: '2.000000', eventCount: 1 },
      { customerId: customer, customerName: 'Night Owl', date: '2026-10-06', service: 'unknown', amount: '0.500000', eventCount: 1 },
    ]);
    expect(local.creditUsageReport.totalUsage).toBe('3.500000');

    const utc = await server.ok(USAGE, { period: { from: '2026-10-05T00:00:00Z', to: '2026-10-07T00:00:00Z', timeZone: 'UTC' } }, token);
    expect(utc.creditUsageReport.rows.map((row: { date: string; service: string; amount: string }) => [row.date, row.service, row.amount])).toEqual([
      ['2026-10-05', 'compute', '3.000000'],
      ['2026-10-05', 'unknown', '0.500000'],
    ]);
  });

  it('breaks usage recorded through recordUsage down by its service', async () => {
    const partner = await createAccount(server, { kind: 'PARTNER' });
    const customer = await createAccount(server, { partnerId: partner, name: 'Metered' });
    await activity.topUp(partner, 10_000_000n, new Date());
    await activity.transfer(partner, customer, 10_000_000n, new Date());
    const events = [
      { accountId: customer, amount: '1.25', service: 'compute', eventId: `report-${customer}-1`, occurredAt: new Date().toISOString() },
      { accountId: customer, amount: '0.75', service: 'object-storage', eventId: `report-${customer}-2`, occurredAt: new Date().toISOString() },
      { accountId: customer, amount: '0.5', service: 'compute', eventId: `report-${customer}-3`, occurredAt: new Date().toISOString() },
    ];
    const recorded = await server.ok(
      `mutation($events: [UsageEventInput!]!) { recordUsage(events: $events) { appliedCount } }`,
      { events },
      await server.meteringToken(),
    );
    expect(recorded.recordUsage.appliedCount).toBe(3);

    const { creditUsageReport } = await server.ok(USAGE, { period: aroundNow() }, await server.userToken(partner));
    const byService = Object.fromEntries(
      creditUsageReport.rows.map((row: { service: string; amount: string; eventCount: number }) => [row.service, [row.amount, row.eventCount]]),
    );
    // Usage is dated when the ledger records it; an event recorded around midnight may fall on either day.
    expect(byService).toEqual({ compute: ['1.750000', 2], 'object-storage': ['0.750000', 1] });
  });

  it('keeps the rollup exact while postings race', async () => {
    const partner = await createAccount(server, { kind: 'PARTNER' });
    const customers = [await createAccount(server, { partnerId: partner }), await createAccount(server, { partnerId: partner })];
    const ids = [...customers, partner];
    await activity.topUp(partner, 1_000_000_000n, undefined);
    // Racing postings take the ledger's own clock (stamped after its locks): an instant chosen before
    // the race could put an account's movements out of their commit order.
    await Promise.all(
      Array.from({ length: 40 }, (_, index) => {
        const customer = customers[index % 2];
        if (index % 4 === 0) return activity.topUp(partner, 1_000_000n + BigInt(index), undefined);
        if (index % 4 === 1) return activity.transfer(partner, customer, 2_000_000n + BigInt(index), undefined);
        return activity.usage(customer, 300_000n + BigInt(index), undefined, index % 3 === 0 ? 'compute' : 'storage');
      }),
    );
    const period = aroundNow();
    const { creditSummaryReport: report } = await server.ok(SUMMARY, { period }, await server.userToken(partner));
    const expected = await expectedSummary(server, ids, { from: new Date(period.from), to: new Date(period.to) });
    for (const line of report.lines) expect(line).toMatchObject(expected.get(line.accountId)!);
    expect(await server.audit()).toEqual([]);
  });

  it("lists each transfer to and reclaim from a customer and the partner's own top-ups", async () => {
    const partner = await createAccount(server, { kind: 'PARTNER', name: 'Lister' });
    const customer = await createAccount(server, { partnerId: partner, name: 'Receiver' });
    await activity.topUp(partner, 100_000_000n, new Date('2026-10-01T01:00:00Z'), 'topup-1');
    await activity.transfer(partner, customer, 30_000_000n, new Date('2026-10-01T02:00:00Z'), 'transfer-1');
    await activity.reverseTopUp(partner, 5_000_000n, new Date('2026-10-01T03:00:00Z'));
    await activity.disputeWon(partner, 5_000_000n, new Date('2026-10-01T03:30:00Z'), 'topup-1');
    await activity.transfer(partner, customer, 12_345_678n, new Date('2026-10-01T04:00:00Z'), 'transfer-2');
    await activity.reclaim(partner, customer, 2_000_000n, new Date('2026-10-01T05:00:00Z'), 'reclaim-1');
    await activity.transfer(partner, customer, 1_000_000n, new Date('2026-10-02T04:00:00Z'), 'after the period');

    const result = await server.ok(
      TOP_UPS,
      { period: { from: '2026-10-01T07:00:00+07:00', to: '2026-10-02T07:00:00+07:00' } },
      await server.userToken(partner),
    );
    const report = result.creditTopUpReport;
    expect(report.rows.map((row: Record<string, string>) => [row.kind, row.accountId, row.amount, row.reference])).toEqual([
      ['TOP_UP', partner, '100.000000', 'topup-1'],
      ['TRANSFER', customer, '30.000000', 'transfer-1'],
      ['TOP_UP_REVERSAL', partner, '-5.000000', expect.any(String)],
      ['DISPUTE_WON', partner, '5.000000', 'topup-1'],
      ['TRANSFER', customer, '12.345678', 'transfer-2'],
      ['RECLAIM', customer, '-2.000000', 'reclaim-1'],
    ]);
    expect(report.rows[1]).toMatchObject({ occurredAt: '2026-10-01T02:00:00.000Z', accountName: 'Receiver' });
    expect(report.customers).toEqual([
      { customerId: customer, customerName: 'Receiver', amount: '42.345678', transferCount: 2, reclaimed: '2.000000', reclaimCount: 1 },
    ]);
    expect(report.totalTransferred).toBe('42.345678');
    expect(report.totalReclaimed).toBe('2.000000');
    expect(report.partnerTopUps).toBe('100.000000');
  });

  it('serves each report as CSV with exactly the GraphQL rows', async () => {
    const query = new URLSearchParams(PERIOD).toString();
    const usage = await server.ok(USAGE, { period: PERIOD }, partnerToken);
    const topUps = await server.ok(TOP_UPS, { period: PERIOD }, partnerToken);
    const summary = await server.ok(SUMMARY, { period: PERIOD }, partnerToken);
    const reports: [string, Record<string, unknown>[]][] = [
      ['usage', usage.creditUsageReport.rows],
      ['top-ups', topUps.creditTopUpReport.rows],
      ['summary', summary.creditSummaryReport.lines],
    ];
    for (const [name, rows] of reports) {
      expect(rows.length).toBeGreaterThan(0);
      const response = await fetch(`${server.url}/reports/${name}.csv?${query}`, { headers: { authorization: `Bearer ${partnerToken}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      const body = await response.text();
      expect(body.split('\r\n')[0]).toBe(Object.keys(rows[0]).join(','));
      expect(parseCsv(body)).toEqual(
        rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value === null ? '' : String(value)]))),
      );
    }
    // The customer name with a comma and quotes is quoted and its quotes doubled.
    const csv = await (await fetch(`${server.url}/reports/summary.csv?${query}`, { headers: { authorization: `Bearer ${partnerToken}` } })).text();
    expect(csv).toContain('"Acme, ""Cloud"" Ltd"');
  });

  it('streams a top-up list of several pages, times shared across page boundaries, in order and complete', async () => {
    const partner = await createAccount(server, { kind: 'PARTNER' });
    const customer = await createAccount(server, { partnerId: partner, name: 'Many Transfers' });
    await activity.topUp(partner, 100_000_000n, new Date('2026-10-01T00:00:00Z'));
    const base = new Date('2026-10-01T01:00:00Z').getTime();
    // Seven transfers share each millisecond, so pages of 500 end in the middle of a shared time.
    const transfers = Array.from({ length: 1100 }, (_, index) => ({
      amountMicros: 1_000n + BigInt(index),
      at: new Date(base + Math.floor(index / 7)),
      reference: `t-${index}`,
    }));
    for (let start = 0; start < transfers.length; start += 275) await activity.transferBatch(partner, customer, transfers.slice(start, start + 275));
    const token = await server.userToken(partner);
    const period = { from: '2026-10-01T01:00:00Z', to: '2026-10-01T02:00:00Z' };

    const { creditTopUpReport } = await server.ok(TOP_UPS, { period }, token);
    expect(creditTopUpReport.rows.map((row: { reference: string }) => row.reference)).toEqual(transfers.map((transfer) => transfer.reference));
    expect(creditTopUpReport.customers[0]).toMatchObject({ transferCount: 1100 });
    const response = await fetch(`${server.url}/reports/top-ups.csv?${new URLSearchParams(period)}`, { headers: { authorization: `Bearer ${token}` } });
    const csv = parseCsv(await response.text());
    expect(csv.map((row) => row.reference)).toEqual(transfers.map((transfer) => transfer.reference));
    expect(csv[1099]).toEqual({
      occurredAt: new Date(base + 157).toISOString(),
      kind: 'TRANSFER',
      accountId: customer,
      accountName: 'Many Transfers',
      amount: formatMicros(2_099n),
      reference: 't-1099',
      actor: '',
      actorRole: '',
      actorName: '',
    });
  }, 180_000);

  it('neutralises customer names a spreadsheet would run as formulas, ASCII and full-width alike', async () => {
    const partner = await createAccount(server, { kind: 'PARTNER', name: 'Formula Partner' });
    const names = ['=HYPERLINK("http://x","y")', '＝1+1', '＋1', '－2', '＠SUM(A1)', '@cmd'];
    for (const name of names) await createAccount(server, { partnerId: partner, name });
    const response = await fetch(`${server.url}/reports/summary.csv?${new URLSearchParams(PERIOD)}`, {
      headers: { authorization: `Bearer ${await server.userToken(partner)}` },
    });
    expect(response.status).toBe(200);
    const csvNames = parseCsv(await response.text()).map((row) => row.accountName);
    expect(csvNames.sort()).toEqual([...names.map((name) => `'${name}`), 'Formula Partner'].sort());
  });

  it('refuses CSV downloads without a token, with a customer token, and with a bad period', async () => {
    const query = new URLSearchParams(PERIOD).toString();
    const anonymous = await fetch(`${server.url}/reports/usage.csv?${query}`);
    expect(anonymous.status).toBe(401);
    expect(await errorCode(anonymous)).toBe('UNAUTHENTICATED');

    const badToken = await fetch(`${server.url}/reports/summary.csv?${query}`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(badToken.status).toBe(401);

    const customerToken = await server.userToken(customerIds[0]);
    const customer = await fetch(`${server.url}/reports/top-ups.csv?${query}`, { headers: { authorization: `Bearer ${customerToken}` } });
    expect(customer.status).toBe(403);
    expect(await errorCode(customer)).toBe('FORBIDDEN');

    const reversed = new URLSearchParams({ from: PERIOD.to, to: PERIOD.from }).toString();
    const badPeriod = await fetch(`${server.url}/reports/summary.csv?${reversed}`, { headers: { authorization: `Bearer ${partnerToken}` } });
    expect(badPeriod.status).toBe(400);
    expect(await errorCode(badPeriod)).toBe('BAD_USER_INPUT');

    const missing = await fetch(`${server.url}/reports/summary.csv?from=${encodeURIComponent(PERIOD.from)}`, {
      headers: { authorization: `Bearer ${partnerToken}` },
    });
    expect(missing.status).toBe(400);
  });

  it('gives the reports to partner users only', async () => {
    const period = { period: PERIOD };
    expect(codes(await server.call(SUMMARY, period))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await server.call(SUMMARY, period, await server.userToken(customerIds[0])))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(USAGE, period, await server.adminToken()))).toEqual(['FORBIDDEN']);
    expect(codes(await server.call(TOP_UPS, period, await server.meteringToken()))).toEqual(['FORBIDDEN']);

    const otherPartner = await createAccount(server, { kind: 'PARTNER' });
    const otherCustomer = await createAccount(server, { partnerId: otherPartner });
    const { creditSummaryReport } = await server.ok(SUMMARY, period, partnerToken);
    expect(creditSummaryReport.lines.map((line: { accountId: string }) => line.accountId)).not.toContain(otherCustomer);
  });

  it.each([
    ['from after to', { from: PERIOD.to, to: PERIOD.from }],
    ['an empty period', { from: PERIOD.from, to: PERIOD.from }],
    ['more than 366 days', { from: '2025-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z' }],
    ['an unknown time zone', { ...PERIOD, timeZone: 'Mars/Olympus_Mons' }],
    ['a zone with a half-hour offset', { from: '2026-10-01T00:00:00+05:30', to: '2026-10-02T00:00:00+05:30', timeZone: 'Asia/Kolkata' }],
    ['bounds off the hour', { from: '2026-10-01T00:30:00+07:00', to: PERIOD.to }],
  ])('refuses %s with BAD_USER_INPUT', async (_name, period) => {
    expect(codes(await server.call(USAGE, { period }, partnerToken))).toEqual(['BAD_USER_INPUT']);
  });
});

/** The whole hours around the present: from the start of the previous hour to two hours ahead. */
function aroundNow() {
  const hour = Math.floor(Date.now() / HOUR) * HOUR;
  return { from: new Date(hour - HOUR).toISOString(), to: new Date(hour + 2 * HOUR).toISOString() };
}

/**
 * Random activity from well before the period to after it, in time order, with events pinned one
 * millisecond either side of the period's start and end and of the local midnight inside it.
 */
async function generateRandomActivity(activity: LedgerActivity, options: { partnerId: string; customerIds: string[]; seed: number }) {
  const random = seededRandom(options.seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const amount = (maxCredits: number) => BigInt(1 + Math.floor(random() * maxCredits * 1_000_000));
  const localMidnight = new Date('2026-10-02T00:00:00+07:00').getTime();
  const pinned = [FROM.getTime(), TO.getTime(), localMidnight].flatMap((instant) => [instant - 1, instant]);
  const start = FROM.getTime() - 20 * HOUR;
  const end = TO.getTime() + 10 * HOUR;
  const instants = [...pinned, ...Array.from({ length: 140 }, () => start + Math.floor(random() * (end - start)))].sort((a, b) => a - b);

  await activity.topUp(options.partnerId, 500_000_000n, new Date(start - HOUR));
  for (const instant of instants) {
    const at = new Date(instant);
    const customer = pick(options.customerIds);
    const roll = random();
    try {
      if (roll < 0.1) await activity.topUp(options.partnerId, amount(100), at);
      else if (roll < 0.15) await activity.reverseTopUp(options.partnerId, amount(20), at);
      else if (roll < 0.17) await activity.disputeWon(options.partnerId, amount(20), at);
      else if (roll < 0.4) await activity.transfer(options.partnerId, customer, amount(40), at);
      else if (roll < 0.8) await activity.usage(customer, amount(10), at, pick(['compute', 'storage', 'network', undefined]));
      else if (roll < 0.85) await activity.grant(customer, amount(20), at);
      else if (roll < 0.9) await activity.reclaim(options.partnerId, customer, amount(15), at);
      else if (roll < 0.95) await activity.expire(customer, amount(5), at);
      else await activity.adjustTopUp(pick([customer, options.partnerId]), random() < 0.5 ? amount(5) : -amount(5), at);
    } catch (error) {
      if (!isInsufficientCredits(error)) throw error;
    }
  }
}

/** The summary recomputed from every movement row: sums before `from`, before `to`, and per type in between. */
const positive = (micros: bigint) => (micros > 0n ? micros : 0n);

async function expectedSummary(server: TestServer, accountIds: string[], period: { from: Date; to: Date }) {
  const movements = await server.services.runner.read((manager) =>
    manager.find(AccountMovementEntity, { where: { accountId: In(accountIds) }, order: { id: 'ASC' } }),
  );
  const expected = new Map<string, Record<string, string>>();
  for (const accountId of accountIds) {
    const mine = movements.filter((movement) => movement.accountId === accountId);
    const sumWhere = (keep: (movement: AccountMovementEntity) => boolean) => mine.filter(keep).reduce((sum, movement) => sum + movement.amountMicros, 0n);
    const inPeriod = (type: CreditMovementType) => (movement: AccountMovementEntity) =>
      movement.type === type && movement.occurredAt >= period.from && movement.occurredAt < period.to;
    const lastBefore = (instant: Date) => mine.filter((movement) => movement.occurredAt < instant).at(-1);
    const opening = sumWhere((movement) => movement.occurredAt < period.from);
    const closing = sumWhere((movement) => movement.occurredAt < period.to);
    const values = {
      openingBalance: opening,
      transfersIn: sumWhere(inPeriod(CreditMovementType.TRANSFER_IN)),
      topUps: sumWhere(inPeriod(CreditMovementType.TOP_UP)),
      grants: sumWhere(inPeriod(CreditMovementType.PROMOTIONAL_GRANT)),
      reclaimsIn: sumWhere(inPeriod(CreditMovementType.RECLAIM_IN)),
      disputesWon: sumWhere(inPeriod(CreditMovementType.DISPUTE_WON)),
      usage: -sumWhere(inPeriod(CreditMovementType.USAGE)),
      expiry: -sumWhere(inPeriod(CreditMovementType.PROMOTIONAL_EXPIRY)),
      transfersOut: -sumWhere(inPeriod(CreditMovementType.TRANSFER_OUT)),
      reversals: -sumWhere(inPeriod(CreditMovementType.TOP_UP_REVERSAL)),
      refunds: -sumWhere(inPeriod(CreditMovementType.REFUND)),
      reclaimsOut: -sumWhere(inPeriod(CreditMovementType.RECLAIM_OUT)),
      // The period's adjustments show as their net, on its side (ADR 0194).
      adjustmentsIn: positive(sumWhere(inPeriod(CreditMovementType.ADJUSTMENT))),
      adjustmentsOut: positive(-sumWhere(inPeriod(CreditMovementType.ADJUSTMENT))),
      voids: -sumWhere(inPeriod(CreditMovementType.PROMOTIONAL_VOID)),
      closingBalance: closing,
      owedAtClose: positive(-(lastBefore(period.to)?.topUpBalanceAfterMicros ?? 0n)),
    };
    // The balance-after columns of the last movement before each bound tell the same story.
    const balanceAfter = (movement: AccountMovementEntity | undefined) =>
      movement ? movement.topUpBalanceAfterMicros + movement.promotionalBalanceAfterMicros : 0n;
    expect(balanceAfter(lastBefore(period.from))).toBe(opening);
    expect(balanceAfter(lastBefore(period.to))).toBe(closing);
    expected.set(accountId, Object.fromEntries(Object.entries(values).map(([key, micros]) => [key, formatMicros(micros)])));
  }
  return expected;
}

async function errorCode(response: Response): Promise<string> {
  const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
  return body.errors[0].extensions.code;
}
