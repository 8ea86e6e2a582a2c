// The offline explorer, driven in a real headless Chromium (Debian's /usr/bin/chromium via
// playwright-core). Runs in the SQLite jest project only (jest.config.js): the page and its bundle
// do not depend on the database kind, and a browser per project would double the slowest test.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Page } from 'playwright-core';
import { launchChromium, TestBrowser } from '../support/chromium';
import { grant } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';

const BALANCE_CHANGED = 'subscription Balance { balanceChanged(accountId: "demo-customer") { accountId movementType amount } }';

describe('the offline GraphQL explorer (GraphiQL in headless Chromium)', () => {
  let server: TestServer;
  let browser: TestBrowser;
  let page: Page;
  const requested: string[] = [];

  beforeAll(async () => {
    // The same build `npm run build` and postinstall use.
    execFileSync(process.execPath, [path.join(__dirname, '../../explorer/build.mjs')], { stdio: 'pipe' });
    server = await startTestServer({ seedDemoData: true });
    // A new, empty profile (--user-data-dir) for every run.
    browser = await launchChromium();
    browser.context.on('request', (request) => requested.push(request.url()));
    page = await browser.context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('serves GraphiQL from the server itself, with the demo customer token in the header editor', async () => {
    const response = await page.goto(server.graphqlUrl);
    expect(response?.status()).toBe(200);
    await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
    await waitForText(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden)', /"Authorization": "Bearer eyJ/);

    const offOrigin = requested.filter((url) => !url.startsWith(server.url) && !url.startsWith('blob:') && !url.startsWith('data:'));
    expect(offOrigin).toEqual([]);
    expect(requested).toContain(`${server.url}/explorer/explorer.js`);
  });

  it('runs the default query through the UI and shows the demo customer', async () => {
    await page.locator('.graphiql-execute-button').click();
    const shown = await waitForText(page, '.result-window', /"id": "demo-customer"/);
    expect(shown).toMatch(/"role": "OWNER"/);
  });

  it('runs a subscription over graphql-ws and shows the event a grant causes', async () => {
    await replaceQuery(page, BALANCE_CHANGED);
    await page.locator('.graphiql-execute-button').click();
    // graphql-ws has no "subscribed" acknowledgement: grant until the first event shows up.
    const deadline = Date.now() + 20_000;
    let shown = '';
    while (!/PROMOTIONAL_GRANT/.test(shown)) {
      if (Date.now() > deadline) throw new Error(`no subscription event in the result pane; it shows: ${shown}`);
      await grant(server, 'demo-customer', '1.5');
      await page.waitForTimeout(400);
      shown = await editorText(page, '.result-window');
    }
    expect(shown).toMatch(/"accountId": "demo-customer"/);
    expect(shown).toMatch(/"amount": "1.500000"/);
  });
});

/** The visible text of a Monaco editor under the selector (Monaco renders a space as U+00A0). */
async function editorText(page: Page, selector: string): Promise<string> {
  const text = await page.locator(`${selector} .view-lines`).first().innerText();
  return text.replace(/\u00a0/g, ' ');
}

/** Selects everything in the operation editor and types the new operation in one insertion. */
async function replaceQuery(page: Page, operation: string): Promise<void> {
  await page.locator('.graphiql-query-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(operation);
  await waitForText(page, '.graphiql-query-editor', /balanceChanged\(accountId: "demo-customer"\)/);
}

/** Waits until the editor under the selector shows text matching the pattern; fails with what it shows. */
async function waitForText(page: Page, selector: string, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let shown = '';
  while (!pattern.test(shown)) {
    if (Date.now() > deadline) throw new Error(`${selector} never showed ${pattern}; it shows: ${shown}`);
    await page.waitForTimeout(200);
    shown = await editorText(page, selector).catch(() => '');
  }
  return shown;
}
