// The reference console's direct-customer screens (the FPT "Top-up credits" help page), clicked
// through in a real headless Chromium against the real server with the demo data and the payment
// stand-ins. Runs in the SQLite jest project only (jest.config.js): the pages do not depend on the
// database kind, and the API behind each screen has its own tests on both databases.
import type { Page } from 'playwright-core';
import { launchChromium, TestBrowser } from '../support/chromium';
import { buildConsole, CONSOLE_VIEWPORT, consoleUrl, screenshot, signInAs } from '../support/console';
import { grant } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';

describe('the console, as the demo direct customer (headless Chromium)', () => {
  let server: TestServer;
  let browser: TestBrowser;
  let page: Page;
  const offOrigin: string[] = [];

  beforeAll(async () => {
    buildConsole();
    server = await startTestServer({ seedDemoData: true });
    browser = await launchChromium({ viewport: CONSOLE_VIEWPORT, locale: 'en-US' });
    page = await browser.context.newPage();
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith('http://127.0.0.1') && !url.startsWith('ws://127.0.0.1') && !url.startsWith('blob:') && !url.startsWith('data:')) offOrigin.push(url);
    });
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
    await page.getByRole('link', { name: 'Balances' }).click();
    const total = page.getByTestId('total-balance');
    await total.waitFor();
    const before = await balanceOf(page);
    // graphql-ws has no "subscribed" acknowledgement: grant until the page shows a change.
    await expectEventually(async () => {
      await grant(server, 'demo-customer', '5');
      await page.waitForTimeout(300);
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

  it('loaded nothing from outside the machine', () => {
    expect(offOrigin).toEqual([]);
  });
});

/** The total balance the page shows, as a number of credits (English grouping). */
async function balanceOf(page: Page): Promise<number> {
  return Number((await page.getByTestId('total-balance').innerText()).replace(/,/g, ''));
}

async function expectEventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the page never showed the change');
  }
}
