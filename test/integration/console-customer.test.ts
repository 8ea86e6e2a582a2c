// The reference console's direct-customer screens (the FPT "Top-up credits" help page), clicked
// through in a real headless Chromium against the real server with the demo data and the payment
// stand-ins. Runs in the SQLite jest project only (jest.config.js): the pages do not depend on the
// database kind, and the API behind each screen has its own tests on both databases.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchChromium, TestBrowser } from '../support/chromium';
import { buildConsole, CONSOLE_VIEWPORT, consoleUrl, expectEventually, openScreen, recordOffOrigin, screenshot, signInAs } from '../support/console';
import { grant } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';
import { RECORD_USAGE } from '../support/partners';

describe('the console, as the demo direct customer (headless Chromium)', () => {
  let server: TestServer;
  let browser: TestBrowser;
  let page: Page;
  let offOrigin: string[] = [];

  beforeAll(async () => {
    buildConsole();
    server = await startTestServer({ seedDemoData: true });
    browser = await launchChromium({ viewport: CONSOLE_VIEWPORT, locale: 'en-US' });
    page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    offOrigin = recordOffOrigin(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('offers the demo accounts on the sign-in page, and any path under /console is the app', async () => {
    const response = await page.goto(consoleUrl(server, '/some/deep/link'));
    expect(response?.status()).toBe(200);
    await page.getByRole('button', { name: 'Direct customer (OWNER)', exact: true }).waitFor();
    await screenshot(page, 'sign-in');
  });

  it('refuses a pasted token that is not one, and signs in with one that is', async () => {
    await page.getByLabel('Access token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'This token was refused' }).waitFor();
    await page.getByLabel('Access token').fill(`Bearer ${await server.userToken('demo-customer')}`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('navigation', { name: 'Console' }).waitFor();
    expect(await page.getByTestId('account-name').innerText()).toMatch(/\S/);
  });

  it('shows the balances, and updates them live when credits arrive', async () => {
    await signInAs(page, server, 'Direct customer (OWNER)');
    await openScreen(page, 'Balances');
    const total = page.getByTestId('total-balance');
    await total.waitFor();
    const before = await balanceOf(page);
    // graphql-ws has no "subscribed" acknowledgement: grant until the page shows a change.
    await expectEventually(async () => {
      await grant(server, 'demo-customer', '5');
      return (await balanceOf(page)) > before;
    });
    expect(await page.locator('.next-expiry').innerText()).toMatch(/credits expire on|No promotional credits expire/);
    await screenshot(page, 'balances');
  });

  it('switches to Vietnamese, with amounts grouped the Vietnamese way', async () => {
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByRole('heading', { name: 'Số dư' }).waitFor();
    expect(await page.getByTestId('total-balance').innerText()).toMatch(/^[\d.]+(,\d+)?$/);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Balances' }).waitFor();
  });

  it('opens the billing information pop-up for an account without it, shows the API validation message beside its field, then offers the card', async () => {
    await signInAs(page, server, 'US customer without billing info (OWNER)');
    await openScreen(page, 'Add credit');
    const dialog = page.getByRole('dialog', { name: 'Billing information' });
    await dialog.waitFor();
    await expect(page.getByTestId('blockers').innerText()).resolves.toMatch(/BILLING_INFO_REQUIRED/);
    await dialog.getByLabel('Billing as').selectOption('COMPANY');
    await dialog.getByLabel('Legal name', { exact: true }).fill('Acme Robotics Inc.');
    await dialog.getByLabel('Address', { exact: true }).fill('1 Market Street');
    await dialog.getByLabel('City').fill('San Francisco');
    await dialog.getByLabel('Country (2 letters)').fill('US');
    await dialog.getByLabel('Invoice email').fill('billing@acme.example');
    await dialog.getByRole('button', { name: 'Save billing information' }).click();
    await dialog.locator('.field-error').filter({ hasText: 'A company needs its taxCode.' }).waitFor();
    expect(await dialog.getByLabel('Tax code').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'billing-information');
    await dialog.getByLabel('Tax code').fill('94-1234567');
    await dialog.getByRole('button', { name: 'Save billing information' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The blockers are gone and the one method open to a US account is offered, priced in USD.
    await page.getByRole('radio', { name: /Card \(Stripe\)/ }).waitFor();
    expect(await page.getByRole('radio').count()).toBe(1);
  });

  it('pays by card through the Stripe page with 3-D Secure (a wrong code first, then the right one) and shows the success pop-up on return', async () => {
    await page.getByLabel('Or enter the amount of credits').fill('3');
    await page
      .locator('.field-error')
      .filter({ hasText: /The minimum is/ })
      .waitFor();
    await page.getByLabel('Or enter the amount of credits').fill('30');
    const pay = page.getByRole('button', { name: /^Pay \$/ });
    await pay.waitFor();
    expect(await page.locator('.methods').innerText()).toMatch(/You pay \$\d+\.\d{2}/);
    await screenshot(page, 'add-credit');
    await pay.click();
    await page.waitForURL(/\/_stand-in\/checkout\//);
    await page.getByRole('button', { name: 'Pay with 3-D Secure (OTP)' }).click();
    await page.locator('input[name="otp"]').fill('000000');
    await page.getByRole('button', { name: 'Confirm' }).click();
    // Stripe returns the payment to requires_payment_method: the same purchase may be tried again.
    await page.getByRole('button', { name: 'Pay with 3-D Secure (OTP)' }).click();
    await page.locator('input[name="otp"]').fill('123456');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('link', { name: 'Back to the console' }).click();
    await page.waitForURL(/\/console\/top-ups\/return\?/);
    const success = page.getByRole('dialog', { name: 'Payment successful' });
    await success.waitFor();
    expect(await success.innerText()).toMatch(/30 credits were added/);
    expect(await success.getByTestId('success-total-balance').innerText()).toBe('30');
    await screenshot(page, 'payment-success');
    await success.getByRole('button', { name: 'OK' }).click();
    await page.getByRole('heading', { name: 'Balances' }).waitFor();
    expect(await page.getByTestId('top-up-balance').innerText()).toBe('30');
  });

  it('pays with VNPay through its checkout page, in dong, and the balance grows by the amount bought', async () => {
    await signInAs(page, server, 'Direct customer (OWNER)');
    const before = await balanceOf(page);
    await openScreen(page, 'Add credit');
    const suggested = page.locator('.choices button').first();
    await suggested.click();
    const amount = Number((await suggested.innerText()).replace(/,/g, ''));
    await page.getByRole('radio', { name: /VNPay/ }).check();
    const pay = page.getByRole('button', { name: /^Pay ₫[\d,]+$/ });
    await pay.waitFor();
    await pay.click();
    await page.waitForURL(/\/paymentv2\/vpcpay\.html/);
    expect(await page.locator('body').innerText()).toMatch(/VND/);
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    await page.waitForURL(/\/console\/top-ups\/return\?/);
    const success = page.getByRole('dialog', { name: 'Payment successful' });
    await success.waitFor();
    expect(Number((await success.getByTestId('success-total-balance').innerText()).replace(/,/g, ''))).toBe(before + amount);
    await success.getByRole('button', { name: 'OK' }).click();
  });

  it('pays with PayPal through its approval page, and a PayPal payment canceled there shows as canceled', async () => {
    await openScreen(page, 'Add credit');
    await page.getByLabel('Or enter the amount of credits').fill('25');
    await page.getByRole('radio', { name: /PayPal/ }).check();
    await page.getByRole('button', { name: /^Pay \$/ }).click();
    await page.waitForURL(/\/checkoutnow\?token=/);
    await page.getByRole('button', { name: 'Pay Now' }).click();
    await page.waitForURL(/\/console\/top-ups\/return\?/);
    await page.getByRole('dialog', { name: 'Payment successful' }).waitFor();
    await page.getByRole('button', { name: 'OK' }).click();

    await openScreen(page, 'Add credit');
    await page.getByLabel('Or enter the amount of credits').fill('26');
    await page.getByRole('radio', { name: /PayPal/ }).check();
    await page.getByRole('button', { name: /^Pay \$/ }).click();
    await page.waitForURL(/\/checkoutnow\?token=/);
    await page.getByRole('button', { name: 'Cancel and return' }).click();
    await page.waitForURL(/\/console\/top-ups\/return\?/);
    await page.getByText('The payment was canceled.').waitFor();
    expect(await page.getByTestId('top-up-status').innerText()).toMatch(/^Canceled/);
  });

  it("lists the credit history with each payment's details, filters it by type, pages through it and downloads it as CSV", async () => {
    await openScreen(page, 'Credit history');
    const table = page.getByRole('table', { name: 'Credit history' });
    const firstRow = table.locator('tbody tr').first();
    await firstRow.filter({ hasText: /PayPal, paid \$\d+\.\d{2}/ }).waitFor();
    expect(await firstRow.innerText()).toMatch(/Top-up/);
    await screenshot(page, 'credit-history');

    await page.getByLabel('Type').selectOption('USAGE');
    await page.getByRole('button', { name: 'Apply' }).click();
    await table
      .locator('tbody tr')
      .first()
      .filter({ hasText: /Usage: / })
      .waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows.every((row) => /Usage/.test(row))).toBe(true);

    await page.getByLabel('Type').selectOption('');
    await page.getByRole('button', { name: 'Apply' }).click();
    const firstPage = await table.locator('tbody tr').first().innerText();
    await page.getByRole('button', { name: 'Next' }).click();
    await expectEventually(async () => (await table.locator('tbody tr').first().innerText()) !== firstPage);
    await page.getByRole('button', { name: 'Previous' }).click();
    await expectEventually(async () => (await table.locator('tbody tr').first().innerText()) === firstPage);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/chargeAmount/);
    expect(csv).toMatch(/PAYPAL/);
  });

  it('lists the purchases with their method, charge and status, filtered by status', async () => {
    await openScreen(page, 'Purchases');
    const table = page.getByRole('table', { name: 'Purchases' });
    await table.locator('tbody tr').filter({ hasText: 'Canceled' }).first().waitFor();
    expect(await table.innerText()).toMatch(/VNPay/);
    await screenshot(page, 'purchases');
    await page.getByLabel('Status').selectOption('SUCCEEDED');
    await expectEventually(async () => (await table.locator('tbody tr').allInnerTexts()).every((row) => /Succeeded/.test(row)));
  });

  it('lists the promotional grants with what remains and when they expire', async () => {
    await openScreen(page, 'Promotional credits');
    const table = page.getByRole('table', { name: 'Promotional credits' });
    await table.locator('tbody tr').filter({ hasText: 'Active' }).first().waitFor();
    await screenshot(page, 'promotional-credits');
  });

  it('saves a card on the Stripe page, sets auto-recharge with it, and shows the purchase the rule makes when usage crosses the threshold', async () => {
    await openScreen(page, 'Auto-recharge');
    await page.getByTestId('saved-cards').waitFor();
    const cardsBefore = await page.getByTestId('saved-cards').locator('li').count();
    await page.getByRole('button', { name: 'Save a card' }).click();
    await page.waitForURL(/\/_stand-in\/setup\//);
    await page.locator('select[name="card"]').selectOption('4000002500003155');
    await page.getByRole('button', { name: 'Save card' }).click();
    await page.locator('input[name="otp"]').fill('123456');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('link', { name: 'Back to the console' }).click();
    await page.waitForURL(/\/console\/auto-recharge$/);
    await expectEventually(async () => (await page.getByTestId('saved-cards').locator('li').count()) === cardsBefore + 1);

    const total = await balanceFromApi(server);
    await page.locator('select[name="paymentMethodId"]').selectOption({ index: 0 });
    await page.getByLabel('When the total balance falls below').fill(String(Math.floor(total) - 10));
    await page.getByLabel('Buy this many credits').fill('50');
    await page.getByLabel('At most, per month').fill('500');
    await page.getByRole('button', { name: 'Save auto-recharge' }).click();
    await page.getByTestId('auto-recharge-rule').filter({ hasText: 'Status: Active' }).waitFor();

    await spend(server, 20);
    await page
      .getByTestId('auto-recharge-purchases')
      .filter({ hasText: /Succeeded · 50/ })
      .waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('auto-recharge-rule').innerText()).toMatch(/Bought this month: 50 of 500 credits/);
    await screenshot(page, 'auto-recharge', { fullPage: true });
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByTestId('auto-recharge-rule').filter({ hasText: 'Status: Paused' }).waitFor();
  });

  it('sets low-balance alerts and shows one when the balance falls below it', async () => {
    await openScreen(page, 'Low-balance alerts');
    const total = await balanceFromApi(server);
    const threshold = Math.floor(total) - 1;
    await page.getByLabel('New threshold (credits)').fill(String(threshold));
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('button', { name: 'Save alerts' }).click();
    await page.getByRole('status').filter({ hasText: 'Alerts saved.' }).waitFor();
    expect(await page.getByTestId('thresholds').innerText()).toMatch(new RegExp(`^${threshold.toLocaleString('en-US')}\\b`));
    // graphql-ws has no "subscribed" acknowledgement: cross the threshold (spend 2, get 2 back) until the alert shows.
    await expectEventually(async () => {
      await spend(server, 2);
      await grant(server, 'demo-customer', '2');
      return page.getByRole('alert').filter({ hasText: /</ }).isVisible();
    });
    await screenshot(page, 'low-balance-alerts');
  });

  it('loaded nothing from outside the machine', () => {
    expect(offOrigin).toEqual([]);
  });
});

/** The demo customer's total balance, from the API. */
async function balanceFromApi(server: TestServer): Promise<number> {
  const { balances } = await server.ok(
    'query ($id: ID!) { balances(accountId: $id) { totalBalance } }',
    { id: 'demo-customer' },
    await server.userToken('demo-customer'),
  );
  return Number(balances.totalBalance);
}

/** The metering service records usage of the demo customer. */
async function spend(server: TestServer, credits: number): Promise<void> {
  const event = {
    accountId: 'demo-customer',
    amount: String(credits),
    eventId: `console-${Date.now()}-${Math.random()}`,
    occurredAt: new Date().toISOString(),
    service: 'compute',
  };
  await server.ok(RECORD_USAGE, { events: [event] }, await server.meteringToken());
  await server.settle();
}

/** The total balance the page shows, as a number of credits (English grouping). */
async function balanceOf(page: Page): Promise<number> {
  return Number((await page.getByTestId('total-balance').innerText()).replace(/,/g, ''));
}
