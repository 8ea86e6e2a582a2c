import { Role } from '../../src/auth/principal';
import { neutraliseFormula } from '../../src/reports/csv';
import { CREDIT_HISTORY } from '../support/foundation';
import { createAccount, GRANT, grant, newKey } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';
import { backdateGrantExpiry, credits, fundTopUp, RECORD_USAGE, TRANSFER, usageEvent } from '../support/partners';
import { parseCsvRecords } from '../support/ledger-activity';
import { createBuyer, createTopUp, waitForStatus } from '../support/top-ups';

/** Polls until the GraphQL history has `count` rows (a refund's webhook is applied after it is answered). */
async function eventuallyRows(read: () => Promise<string[][]>, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await read()).length < count) {
    if (Date.now() > deadline) throw new Error(`the history never reached ${count} rows`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The server streams in keyset pages of this size, so every export below spans several pages. */
const PAGE_SIZE = 7;

interface Answer {
  status: number;
  contentType: string | null;
  text: string;
}

async function download(server: TestServer, query: Record<string, string>, token?: string): Promise<Answer> {
  const response = await fetch(`${server.url}/history.csv?${new URLSearchParams(query)}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

/** RFC 4180: CRLF line ends, quoted fields with doubled quotes. */
/** The export's records, header first; every record, the last included, ends with CRLF. */
function parseCsv(text: string): string[][] {
  expect(text.endsWith('\r\n')).toBe(true);
  return parseCsvRecords(text);
}

const HEADER = [
  'id',
  'occurredAt',
  'type',
  'amount',
  'balanceAfter',
  'topUpBalanceAfter',
  'promotionalBalanceAfter',
  'counterpartyAccountId',
  'counterpartyName',
  'reference',
  'description',
  'paymentMethod',
  'chargeCurrency',
  'chargeAmountMinor',
  'chargeAmount',
];

/** The history as the CSV columns show it: CREDIT_HISTORY's fields and a purchase's method and charge. */
const HISTORY_WITH_PURCHASES = CREDIT_HISTORY.replace(
  'description',
  'description source { __typename ... on TopUpSource { method charge { currency amountMinor amount } } }',
);

describe('GET /history.csv', () => {
  let server: TestServer;
  let partnerId: string;
  let customerId: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { GRAPHQL_MAX_PAGE_SIZE: String(PAGE_SIZE), EXPIRY_JOB_INTERVAL_MS: '0', EXPIRY_CHECK_CACHE_MS: '0' } });
    // A partner whose name a spreadsheet would run as a formula, shown as the counterparty of transfers.
    partnerId = await createAccount(server, { kind: 'PARTNER', name: '=HYPERLINK("http://example.invalid","x")' });
    customerId = await createAccount(server, { partnerId, name: 'Customer, "quoted"' });
    await fundTopUp(server, partnerId, credits(1000));
    const partnerToken = await server.userToken(partnerId, Role.OWNER);
    const metering = await server.meteringToken();
    for (let index = 0; index < 10; index++) {
      await server.ok(
        TRANSFER,
        { input: { customerAccountId: customerId, amount: String(10 + index), idempotencyKey: newKey(), note: `transfer ${index}` } },
        partnerToken,
      );
      await server.ok(RECORD_USAGE, { events: [usageEvent(customerId, `${index + 1}.5`)] }, metering);
    }
    await server.ok(
      GRANT,
      { input: { accountId: customerId, amount: '3', reason: '+Tết bonus, "lucky" credits', idempotencyKey: newKey() } },
      await server.adminToken(),
    );
    const expiring = (await grant(server, customerId, '2', { expiresAt: new Date(Date.now() + 86_400_000).toISOString() })).grantPromotionalCredits.grant.id;
    await backdateGrantExpiry(server, expiring);
    await server.ok(RECORD_USAGE, { events: [usageEvent(customerId, '0.25')] }, metering);
  });
  afterAll(async () => {
    await server.stop();
  });

  /** The GraphQL pages for the same filter, as the CSV would write them. */
  async function graphqlRows(filter: Record<string, unknown> | null, token: string, accountId = customerId): Promise<string[][]> {
    const rows: string[][] = [];
    let after: string | null = null;
    for (;;) {
      const { creditHistory }: any = await server.ok(HISTORY_WITH_PURCHASES, { accountId, filter, first: 5, after }, token);
      for (const { node } of creditHistory.edges) {
        const values = [
          node.id,
          node.occurredAt,
          node.type,
          node.amount,
          node.balanceAfter,
          node.topUpBalanceAfter,
          node.promotionalBalanceAfter,
          node.counterparty.accountId,
          node.counterparty.name,
          node.reference,
          node.description,
          node.source?.method ?? null,
          node.source?.charge?.currency ?? null,
          node.source?.charge?.amountMinor ?? null,
          node.source?.charge?.amount ?? null,
        ];
        rows.push(values.map((value) => (value === null ? '' : neutraliseFormula(String(value)))));
      }
      if (!creditHistory.pageInfo.hasNextPage) return rows;
      after = creditHistory.pageInfo.endCursor;
    }
  }

  it('holds exactly the GraphQL pages, over several server pages, with formula-neutralised cells', async () => {
    const token = await server.userToken(customerId, Role.VIEWER);
    const answer = await download(server, { accountId: customerId }, token);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(answer.text);
    expect(header).toEqual(HEADER);
    const expected = await graphqlRows(null, token);
    expect(expected.length).toBeGreaterThan(3 * PAGE_SIZE);
    expect(rows).toEqual(expected);
    // Every kind of row is there, and the dangerous cells start with an apostrophe.
    expect(new Set(rows.map((row) => row[2]))).toEqual(new Set(['TRANSFER_IN', 'USAGE', 'PROMOTIONAL_GRANT', 'PROMOTIONAL_EXPIRY']));
    expect(rows.find((row) => row[2] === 'TRANSFER_IN')![8]).toBe(`'=HYPERLINK("http://example.invalid","x")`);
    expect(rows.find((row) => row[10].includes('Tết'))![10]).toBe(`'+Tết bonus, "lucky" credits`);
    expect(rows.find((row) => row[2] === 'USAGE')![3]).toMatch(/^-\d+\.\d{6}$/);
  });

  it('applies the same types and period filters as creditHistory', async () => {
    const token = await server.userToken(customerId);
    const all = await graphqlRows(null, token);
    const types = ['USAGE', 'PROMOTIONAL_GRANT'];
    const byType = parseCsv((await download(server, { accountId: customerId, types: types.join(',') }, token)).text).slice(1);
    expect(byType).toEqual(await graphqlRows({ types }, token));
    expect(byType.length).toBeGreaterThan(PAGE_SIZE);
    expect(byType.every((row) => types.includes(row[2]))).toBe(true);

    // A window of movements from the middle: from is inclusive, to exclusive.
    const from = all[all.length - 3][1];
    const to = all[2][1];
    const windowed = parseCsv((await download(server, { accountId: customerId, from, to }, token)).text).slice(1);
    expect(windowed).toEqual(await graphqlRows({ from, to }, token));
    expect(windowed.length).toBeGreaterThan(PAGE_SIZE);
    expect(windowed.length).toBeLessThan(all.length);

    const both = parseCsv((await download(server, { accountId: customerId, types: 'TRANSFER_IN', from, to }, token)).text).slice(1);
    expect(both).toEqual(await graphqlRows({ types: ['TRANSFER_IN'], from, to }, token));
  });

  it("carries each purchase's payment method and charge, as GraphQL's TopUpSource, on its top-up and reversal rows", async () => {
    const buyer = await createBuyer(server, { region: 'US' });
    const topUp = await createTopUp(server, buyer, { method: 'STRIPE', amount: '12.5' });
    await server.standIns.stripe.succeed(topUp.providerReference);
    await waitForStatus(server, buyer, topUp.id, 'SUCCEEDED');
    await server.standIns.stripe.refund(topUp.providerReference, { amountMinor: 250 });
    await eventuallyRows(() => graphqlRows(null, buyer.token, buyer.accountId), 2);

    const [header, ...rows] = parseCsv((await download(server, { accountId: buyer.accountId }, buyer.token)).text);
    expect(header).toEqual(HEADER);
    expect(rows).toEqual(await graphqlRows(null, buyer.token, buyer.accountId));
    const column = (name: string, row: string[]) => row[HEADER.indexOf(name)];
    const purchaseColumns = (row: string[]) =>
      ['type', 'paymentMethod', 'chargeCurrency', 'chargeAmountMinor', 'chargeAmount'].map((name) => column(name, row));
    expect(rows.map(purchaseColumns)).toEqual([
      ['TOP_UP_REVERSAL', 'STRIPE', 'USD', '1250', '12.50'],
      ['TOP_UP', 'STRIPE', 'USD', '1250', '12.50'],
    ]);
    // Rows that are not purchases leave the columns empty.
    const [transferRow] = parseCsv((await download(server, { accountId: customerId, types: 'TRANSFER_IN' }, await server.userToken(customerId))).text).slice(1);
    expect(purchaseColumns(transferRow)).toEqual(['TRANSFER_IN', '', '', '', '']);
    expect(await server.audit()).toEqual([]);
  });

  it('takes date-only bounds as whole days in timeZone (Asia/Ho_Chi_Minh by default), to included', async () => {
    const token = await server.userToken(customerId);
    const csv = async (query: Record<string, string>) => {
      const answer = await download(server, { accountId: customerId, ...query }, token);
      expect(answer.status).toBe(200);
      return parseCsv(answer.text).slice(1);
    };
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const all = await graphqlRows(null, token);

    expect(await csv({ from: yesterday, to: today })).toEqual(await csv({ from: `${yesterday}T00:00:00+07:00`, to: `${tomorrow}T00:00:00+07:00` }));
    expect(await csv({ from: yesterday, to: today })).toEqual(all);
    expect(await csv({ to: yesterday })).toEqual(await csv({ to: `${today}T00:00:00+07:00` }));
    expect(await csv({ from: today, timeZone: 'UTC' })).toEqual(await csv({ from: `${today}T00:00:00Z` }));
    expect(await csv({ from: tomorrow })).toEqual([]);
  });

  it('takes date-only bounds on the report downloads, in the report time zone', async () => {
    const token = await server.userToken(partnerId);
    const report = async (query: Record<string, string>) => {
      const response = await fetch(`${server.url}/reports/top-ups.csv?${new URLSearchParams(query)}`, { headers: { authorization: `Bearer ${token}` } });
      const text = await response.text();
      expect({ status: response.status, text }).toMatchObject({ status: 200 });
      return parseCsv(text);
    };
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const byDates = await report({ from: today, to: today });
    expect(byDates).toEqual(await report({ from: `${today}T00:00:00+07:00`, to: `${tomorrow}T00:00:00+07:00` }));
    expect(byDates.length).toBeGreaterThan(1);
    expect(await report({ from: today, to: today, timeZone: 'Asia/Tokyo' })).toEqual(
      await report({ from: `${today}T00:00:00+09:00`, to: `${tomorrow}T00:00:00+09:00`, timeZone: 'Asia/Tokyo' }),
    );
  });

  it('lets the account, its partner and the admin export it, and refuses everyone else with JSON errors', async () => {
    const expectRefusal = (answer: Answer, status: number, code: string) => {
      expect(answer.status).toBe(status);
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(JSON.parse(answer.text).errors[0].extensions.code).toBe(code);
    };
    const otherId = await createAccount(server);
    const otherPartner = await createAccount(server, { kind: 'PARTNER' });
    expect((await download(server, { accountId: customerId }, await server.userToken(partnerId, Role.VIEWER))).status).toBe(200);
    expect((await download(server, { accountId: customerId }, await server.adminToken())).status).toBe(200);
    expect((await download(server, { accountId: otherId }, await server.userToken(otherId))).status).toBe(200);
    expectRefusal(await download(server, { accountId: customerId }, await server.userToken(otherId)), 403, 'FORBIDDEN');
    expectRefusal(await download(server, { accountId: customerId }, await server.userToken(otherPartner)), 403, 'FORBIDDEN');
    expectRefusal(await download(server, { accountId: partnerId }, await server.userToken(customerId)), 403, 'FORBIDDEN');
    expectRefusal(await download(server, { accountId: customerId }, await server.meteringToken()), 403, 'FORBIDDEN');
    expectRefusal(await download(server, { accountId: customerId }), 401, 'UNAUTHENTICATED');
    expectRefusal(await download(server, { accountId: customerId }, 'not-a-token'), 401, 'UNAUTHENTICATED');
    expectRefusal(await download(server, { accountId: 'no-such-account' }, await server.adminToken()), 404, 'NOT_FOUND');
  });

  it('refuses bad filters with 400 BAD_USER_INPUT', async () => {
    const token = await server.userToken(customerId);
    const refused = async (query: Record<string, string>) => {
      const answer = await download(server, query, token);
      expect(answer.status).toBe(400);
      return JSON.parse(answer.text).errors[0].extensions;
    };
    expect(await refused({})).toMatchObject({ code: 'BAD_USER_INPUT', field: 'accountId' });
    expect(await refused({ accountId: customerId, types: 'USAGE,BOGUS' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'types' });
    expect(await refused({ accountId: customerId, from: 'yesterday' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    expect(await refused({ accountId: customerId, from: '2026-02-30' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    expect(await refused({ accountId: customerId, to: '2026-11-01', timeZone: 'Mars/Olympus' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'timeZone' });
    expect(await refused({ accountId: customerId, from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' })).toMatchObject({ code: 'BAD_USER_INPUT' });
    const twice = await fetch(`${server.url}/history.csv?accountId=${customerId}&accountId=${customerId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(twice.status).toBe(400);
  });

  it('is rate limited like the report downloads', async () => {
    const limited = await startTestServer({ env: { RATE_LIMIT_PRINCIPAL_POINTS: '3' } });
    try {
      const accountId = await createAccount(limited);
      const token = await limited.userToken(accountId);
      for (let index = 0; index < 3; index++) expect((await download(limited, { accountId }, token)).status).toBe(200);
      const refused = await download(limited, { accountId }, token);
      expect(refused.status).toBe(429);
      expect(JSON.parse(refused.text).errors[0].extensions.code).toBe('RATE_LIMITED');
    } finally {
      await limited.stop();
    }
  });
});
