// The reference console's partner reports and webhooks screens (the GreenNode partner help page),
// clicked through in a real headless Chromium against the real server with the demo data. Every
// figure the page shows is compared with what the API answers for the same period (never a
// number written here). Runs in the SQLite jest project only (jest.config.js): the pages do not
// depend on the database kind, and the reports and webhooks have their own tests on both databases.
import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { launchChromium, TestBrowser } from '../support/chromium';
import { buildConsole, CONSOLE_VIEWPORT, expectEventually, openScreen, recordOffOrigin, screenshot, signInAs } from '../support/console';
import { newKey } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';
import { parseCsv } from '../support/ledger-activity';
import { TRANSFER } from '../support/partners';

const PARTNER = 'demo-partner';
const TIME_ZONE = 'Asia/Ho_Chi_Minh';
const DAY_MS = 24 * 3600 * 1000;
/** Today in Vietnam (no daylight saving: +07:00 all year), and the first day of a period that holds the whole demo (seeded over the last four weeks). */
const LAST_DAY = new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
const FIRST_DAY = addDays(LAST_DAY, -39);
const PERIOD = { from: `${FIRST_DAY}T00:00:00+07:00`, to: `${addDays(LAST_DAY, 1)}T00:00:00+07:00`, timeZone: TIME_ZONE };

const USAGE_REPORT = /* GraphQL */ `
  query ($period: ReportPeriodInput!, $customerAccountId: ID) {
    creditUsageReport(period: $period, customerAccountId: $customerAccountId) {
      totalUsage
      eventCount
      customers {
        customerId
        amount
      }
      rows {
        customerId
        date
        service
        amount
        eventCount
      }
    }
  }
`;
const TOP_UP_REPORT = /* GraphQL */ `
  query ($period: ReportPeriodInput!) {
    creditTopUpReport(period: $period) {
      totalTransferred
      totalReclaimed
      partnerTopUps
      customers {
        customerId
        amount
      }
      rows {
        occurredAt
        kind
        accountId
        amount
        actor
      }
    }
  }
`;
const SUMMARY_REPORT = /* GraphQL */ `
  query ($period: ReportPeriodInput!) {
    creditSummaryReport(period: $period) {
      customerTotals {
        openingBalance
        creditsIn
        usage
        creditsOut
        closingBalance
      }
      lines {
        accountId
        accountKind
        closingBalance
        usage
      }
    }
  }
`;
const DELIVERIES = /* GraphQL */ `
  query ($endpointId: ID!) {
    webhookDeliveries(endpointId: $endpointId, first: 20) {
      edges {
        node {
          id
          eventId
          eventType
          status
          attempts
        }
      }
    }
  }
`;
const ENDPOINTS = /* GraphQL */ `
  query ($accountId: ID!) {
    webhookEndpoints(accountId: $accountId) {
      id
      url
      status
      events
      previousSecretExpiresAt
    }
  }
`;

describe('the console, as the demo partner: reports and webhooks (headless Chromium)', () => {
  let server: TestServer;
  let browser: TestBrowser;
  let page: Page;
  let token: string;
  let offOrigin: string[] = [];
  const api = <T = any>(query: string, variables: Record<string, unknown>) => server.ok<T>(query, variables, token);

  beforeAll(async () => {
    buildConsole();
    server = await startTestServer({ seedDemoData: true, env: { WEBHOOK_POLL_INTERVAL_MS: '100' } });
    token = await server.userToken(PARTNER);
    browser = await launchChromium({ viewport: CONSOLE_VIEWPORT, locale: 'en-US' });
    page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    offOrigin = recordOffOrigin(page);
    await signInAs(page, server, 'Partner (OWNER)');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the usage report of a period: the totals, one bar per day and per customer with the API figures, and the CSV with the same rows', async () => {
    const { creditUsageReport: expected } = await api(USAGE_REPORT, { period: PERIOD });
    expect(micros(expected.totalUsage)).toBeGreaterThan(0n);
    await openScreen(page, 'Credit usage report');
    await choosePeriod(page);
    await expectText(page.getByTestId('usage-total'), credits(expected.totalUsage));
    expect(await page.getByTestId('usage-events').innerText()).toBe(String(expected.eventCount));

    // Per day: a bar for every day of the period (40), each the sum of that day's rows.
    const perDay = new Map<string, bigint>();
    for (const row of expected.rows) perDay.set(row.date, (perDay.get(row.date) ?? 0n) + micros(row.amount));
    const dayBars = await bars(page, 'usage-per-day');
    expect(dayBars.map((bar) => bar.key)).toEqual(Array.from({ length: 40 }, (_, index) => addDays(FIRST_DAY, index)));
    for (const bar of dayBars) expect([bar.key, micros(bar.value)]).toEqual([bar.key, perDay.get(bar.key) ?? 0n]);
    expect(dayBars.filter((bar) => micros(bar.value) > 0n)).toHaveLength(perDay.size);
    // Per customer: one bar per customer of the report, with its usage.
    const customerBars = await bars(page, 'usage-per-customer');
    expect(customerBars.map((bar) => [bar.key, micros(bar.value)])).toEqual(
      expected.customers.map((customer: any) => [customer.customerId, micros(customer.amount)]),
    );
    await screenshot(page, 'partner-usage-report', { fullPage: true });

    const csv = await downloaded(page);
    expect(csv.header).toBe('customerId,customerName,date,service,amount,eventCount');
    expect(csv.rows.map((row) => [row.customerId, row.date, row.service, micros(row.amount), Number(row.eventCount)])).toEqual(
      expected.rows.map((row: any) => [row.customerId, row.date, row.service, micros(row.amount), row.eventCount]),
    );

    // Narrowed to one customer: its figures only, in the page, the chart and the CSV.
    const customerId = expected.customers.find((customer: any) => micros(customer.amount) > 0n).customerId;
    const { creditUsageReport: narrowed } = await api(USAGE_REPORT, { period: PERIOD, customerAccountId: customerId });
    expect(narrowed.totalUsage).not.toBe(expected.totalUsage);
    await page.locator('select[name="customer"]').selectOption(customerId);
    await page.getByRole('button', { name: 'Show' }).click();
    await expectText(page.getByTestId('usage-total'), credits(narrowed.totalUsage));
    expect((await bars(page, 'usage-per-customer')).map((bar) => bar.key)).toEqual([customerId]);
    const narrowedCsv = await downloaded(page);
    expect(narrowedCsv.rows.map((row) => row.customerId)).toEqual(narrowed.rows.map((row: any) => row.customerId));
    await page.locator('select[name="customer"]').selectOption('');
    await page.getByRole('button', { name: 'Show' }).click();
    await expectText(page.getByTestId('usage-total'), credits(expected.totalUsage));
  });

  it('shows the top-up report: totals, a bar per customer with what it received, each entry with who made it, and the CSV', async () => {
    const { creditTopUpReport: expected } = await api(TOP_UP_REPORT, { period: PERIOD });
    expect(micros(expected.totalTransferred)).toBeGreaterThan(0n);
    // The period is kept from one report to the next.
    await openScreen(page, 'Credit top-up report');
    expect(await page.locator('input[name="from"]').inputValue()).toBe(FIRST_DAY);
    await expectText(page.getByTestId('top-up-transferred'), credits(expected.totalTransferred));
    expect(await page.getByTestId('top-up-reclaimed').innerText()).toBe(credits(expected.totalReclaimed));
    expect(await page.getByTestId('top-up-partner').innerText()).toBe(credits(expected.partnerTopUps));
    const customerBars = await bars(page, 'transferred-per-customer');
    expect(customerBars.map((bar) => [bar.key, micros(bar.value)])).toEqual(
      expected.customers.map((customer: any) => [customer.customerId, micros(customer.amount)]),
    );
    const entries = page.getByRole('table', { name: 'Transfers, reclaims and top-ups' }).locator('tbody tr');
    expect(await entries.count()).toBe(Math.min(25, expected.rows.length));
    expect(await entries.filter({ hasText: 'Transfer' }).first().innerText()).toMatch(/demo-partner-owner · OWNER/);
    await screenshot(page, 'partner-top-up-report', { fullPage: true });

    const csv = await downloaded(page);
    expect(csv.header).toBe('occurredAt,kind,accountId,accountName,amount,reference,actor,actorRole,actorName');
    expect(csv.rows.map((row) => [row.occurredAt, row.kind, row.accountId, micros(row.amount)])).toEqual(
      expected.rows.map((row: any) => [new Date(row.occurredAt).toISOString(), row.kind, row.accountId, micros(row.amount)]),
    );
  });

  it("shows the summary report: the customers' totals, each line, a bar per customer with its closing balance, and the CSV", async () => {
    const { creditSummaryReport: expected } = await api(SUMMARY_REPORT, { period: PERIOD });
    await openScreen(page, 'Credit summary report');
    await expectText(page.getByTestId('summary-closingBalance'), credits(expected.customerTotals.closingBalance));
    for (const figure of ['openingBalance', 'creditsIn', 'usage', 'creditsOut'])
      expect([figure, await page.getByTestId(`summary-${figure}`).innerText()]).toEqual([figure, credits(expected.customerTotals[figure])]);
    const lines = page.getByRole('table', { name: 'Balances over the period' }).locator('tbody tr');
    expect(await lines.evaluateAll((rows) => (rows as unknown as Attributed[]).map((row) => row.getAttribute('data-account-id')))).toEqual(
      expected.lines.map((line: any) => line.accountId),
    );
    expect(await lines.last().innerText()).toMatch(/\(partner\)/);
    const customers = expected.lines.filter((line: any) => line.accountKind === 'CUSTOMER');
    const closingBars = await bars(page, 'closing-per-customer');
    expect(closingBars.map((bar) => [bar.key, micros(bar.value)])).toEqual(customers.map((line: any) => [line.accountId, micros(line.closingBalance)]));
    await screenshot(page, 'partner-summary-report', { fullPage: true });

    const csv = await downloaded(page);
    expect(csv.header.split(',').slice(0, 4)).toEqual(['accountId', 'accountName', 'accountKind', 'openingBalance']);
    expect(csv.rows.map((row) => [row.accountId, micros(row.closingBalance), micros(row.usage)])).toEqual(
      expected.lines.map((line: any) => [line.accountId, micros(line.closingBalance), micros(line.usage)]),
    );
  });

  it('adds a webhook endpoint (its secret shown once), shows the delivery of a transfer made through the API, sends a test event, redelivers, rotates its secret, disables and deletes it', async () => {
    await openScreen(page, 'Webhooks');
    const url = `${server.url}/demo/webhook-receiver`;
    await page.getByLabel('URL', { exact: true }).fill(url);
    await page.getByLabel('Description', { exact: true }).fill('Our billing system');
    await page.getByRole('checkbox', { name: 'TRANSFER_OUT' }).check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secretDialog = page.getByRole('dialog', { name: 'Signing secret' });
    await secretDialog.waitFor();
    const firstSecret = await secretDialog.getByTestId('webhook-secret').innerText();
    expect(firstSecret).toMatch(/^\S{20,}$/);
    await screenshot(page, 'partner-webhook-secret');
    await secretDialog.getByRole('button', { name: 'I stored it' }).click();

    const endpoints = page.getByRole('table', { name: 'Endpoints' });
    const row = endpoints.locator('tbody tr').filter({ hasText: url });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/TRANSFER_OUT[\s\S]*Active/);
    const [endpoint] = (await api(ENDPOINTS, { accountId: PARTNER })).webhookEndpoints;
    expect(endpoint).toMatchObject({ url, status: 'ACTIVE', events: ['TRANSFER_OUT'] });

    await row.getByRole('button', { name: 'Deliveries' }).click();
    const log = page.getByTestId('webhook-deliveries');
    await log.getByText('Nothing to show.').waitFor();
    await api(TRANSFER, { input: { customerAccountId: 'demo-partner-customer-1', amount: '7', idempotencyKey: newKey() } });
    const transferRow = log.locator('tbody tr').filter({ hasText: 'TRANSFER_OUT' });
    await transferRow.filter({ hasText: 'Succeeded' }).waitFor({ timeout: 20_000 });
    const [delivery] = (await api(DELIVERIES, { endpointId: endpoint.id })).webhookDeliveries.edges.map((edge: any) => edge.node);
    expect(delivery).toMatchObject({ eventType: 'TRANSFER_OUT', status: 'SUCCEEDED', attempts: 1 });
    expect(await transferRow.innerText()).toContain(delivery.eventId);
    expect(await transferRow.innerText()).toMatch(/\b204\b/);

    await row.getByRole('button', { name: 'Send test event' }).click();
    await page.getByRole('status').filter({ hasText: 'A test event (PING) was queued.' }).waitFor();
    await log.locator('tbody tr').filter({ hasText: 'PING' }).filter({ hasText: 'Succeeded' }).waitFor({ timeout: 20_000 });

    await transferRow.getByRole('button', { name: 'Redeliver' }).click();
    await expectEventually(async () => {
      const nodes = (await api(DELIVERIES, { endpointId: endpoint.id })).webhookDeliveries.edges.map((edge: any) => edge.node);
      const again = nodes.find((node: any) => node.id === delivery.id);
      return again?.status === 'SUCCEEDED' && again.attempts === 2;
    });
    await transferRow.locator('td').nth(3).filter({ hasText: /^2$/ }).waitFor();
    await transferRow.getByText('Attempts and body').click();
    expect(await transferRow.locator('pre').innerText()).toContain(`"type":"TRANSFER_OUT"`);
    await screenshot(page, 'partner-webhooks', { fullPage: true });

    await row.getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = page.getByRole('dialog', { name: 'New signing secret' });
    const newSecret = await rotated.getByTestId('webhook-secret').innerText();
    expect(newSecret).toMatch(/^\S{20,}$/);
    expect(newSecret).not.toBe(firstSecret);
    await rotated.getByRole('button', { name: 'I stored it' }).click();
    await row.filter({ hasText: 'The previous secret also signs until' }).waitFor();
    expect((await api(ENDPOINTS, { accountId: PARTNER })).webhookEndpoints[0].previousSecretExpiresAt).not.toBeNull();

    await row.getByRole('button', { name: 'Disable' }).click();
    await row.filter({ hasText: 'Disabled' }).waitFor();
    expect((await api(ENDPOINTS, { accountId: PARTNER })).webhookEndpoints[0].status).toBe('DISABLED');
    await row.getByRole('button', { name: 'Enable' }).click();
    await row.filter({ hasText: 'Active' }).waitFor();

    await row.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete endpoint' });
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No endpoints yet.').waitFor();
    expect((await api(ENDPOINTS, { accountId: PARTNER })).webhookEndpoints).toEqual([]);
  });

  it("manages a customer's endpoints too: one added for the customer's account receives the customer's TRANSFER_IN", async () => {
    const customerId = 'demo-partner-customer-1';
    await page.locator('select[name="account"]').selectOption(customerId);
    await page.getByText('No endpoints yet.').waitFor();
    const url = `${server.url}/demo/webhook-receiver`;
    await page.getByLabel('URL', { exact: true }).fill(url);
    await page.getByRole('checkbox', { name: 'TRANSFER_IN' }).check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('dialog', { name: 'Signing secret' }).getByRole('button', { name: 'I stored it' }).click();
    const row = page.getByRole('table', { name: 'Endpoints' }).locator('tbody tr').filter({ hasText: url });
    await row.getByRole('button', { name: 'Deliveries' }).click();
    expect((await api(ENDPOINTS, { accountId: customerId })).webhookEndpoints).toEqual([expect.objectContaining({ url, events: ['TRANSFER_IN'] })]);
    expect((await api(ENDPOINTS, { accountId: PARTNER })).webhookEndpoints).toEqual([]);

    await api(TRANSFER, { input: { customerAccountId: customerId, amount: '3', idempotencyKey: newKey() } });
    await page
      .getByTestId('webhook-deliveries')
      .locator('tbody tr')
      .filter({ hasText: 'TRANSFER_IN' })
      .filter({ hasText: 'Succeeded' })
      .waitFor({ timeout: 20_000 });
  });

  it('switches a report to Vietnamese, with figures grouped the Vietnamese way, and a customer screen too', async () => {
    const { creditUsageReport: expected } = await api(USAGE_REPORT, { period: PERIOD });
    await openScreen(page, 'Credit usage report');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByRole('heading', { name: 'Báo cáo sử dụng tín dụng' }).waitFor();
    expect(await page.getByTestId('usage-total').innerText()).toBe(
      new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 6 }).format(expected.totalUsage as Intl.StringNumericLiteral),
    );
    await screenshot(page, 'partner-usage-report-vi', { fullPage: true });
    await openScreen(page, 'Webhook');
    await page.getByRole('heading', { name: 'Webhook' }).waitFor();

    await signInAs(page, server, 'Direct customer (OWNER)');
    await openScreen(page, 'Số dư');
    await page.getByRole('heading', { name: 'Số dư' }).waitFor();
    await page.getByTestId('total-balance').waitFor();
    await screenshot(page, 'balances-vi');
    await page.getByRole('button', { name: 'English' }).click();
  });

  it('loaded nothing from outside the machine', () => {
    expect(offOrigin).toEqual([]);
  });
});

/** Sets the period form to the demo's forty days in Vietnam's time, for every customer, and shows the report. */
async function choosePeriod(page: Page): Promise<void> {
  await page.locator('input[name="from"]').fill(FIRST_DAY);
  await page.locator('input[name="to"]').fill(LAST_DAY);
  await page.locator('select[name="timeZone"]').selectOption(TIME_ZONE);
  await page.locator('select[name="customer"]').selectOption('');
  await page.getByRole('button', { name: 'Show' }).click();
}

/** An element as the page's script sees it (the tests are compiled without the DOM's types). */
interface Attributed {
  getAttribute(name: string): string | null;
}

/** The marks of a chart: each bar's key (a day, a customer) and its exact value. */
async function bars(page: Page, chart: string): Promise<{ key: string; value: string }[]> {
  return page
    .getByTestId(chart)
    .locator('rect.chart-bar')
    .evaluateAll((rects) =>
      (rects as unknown as Attributed[]).map((rect) => ({ key: rect.getAttribute('data-key') ?? '', value: rect.getAttribute('data-value') ?? '' })),
    );
}

/** Clicks the screen's Download CSV and reads the file the browser saved: its header line and its rows. */
async function downloaded(page: Page): Promise<{ header: string; rows: Record<string, string>[] }> {
  const [download]: [Download, void] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  const text = readFileSync((await download.path())!, 'utf8');
  return { header: text.split('\r\n')[0], rows: parseCsv(text) };
}

/** Waits until the element shows exactly this text (the report loads after Show). */
async function expectText(locator: ReturnType<Page['getByTestId']>, text: string): Promise<void> {
  await expectEventually(async () => (await locator.innerText().catch(() => '')) === text);
}

/** Credits as the page shows them in English. */
function credits(value: string): string {
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 }).format(value as Intl.StringNumericLiteral);
}

/** A Credits string in millionths, exactly: "12.5" and "12.500000" are the same amount. */
function micros(value: string): bigint {
  const negative = value.startsWith('-');
  const [whole, fraction = ''] = value.replace(/^-/, '').split('.');
  const amount = BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
  return negative ? -amount : amount;
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
