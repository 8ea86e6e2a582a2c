// Helpers of the console's browser tests (test/integration/console-*.test.ts): build the console
// as `npm run build` does, sign in as a demo principal from the sign-in page, and write each
// screen's picture to docs/images/console-<name>.png (the console guide shows them).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, type TestBrowser } from './chromium';
import { startTestServer, type TestServer } from './harness';
import { RECORD_USAGE } from './partners';

const ROOT = path.join(__dirname, '../..');

/** The same Vite build `npm run build` runs (about a second). */
export function buildConsole(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'console/build.mjs')], { stdio: 'pipe' });
}

/** A screen size that fits the pictures in the docs. */
export const CONSOLE_VIEWPORT = { width: 1280, height: 800 };

export const consoleUrl = (server: TestServer, to = ''): string => `${server.url}/console${to}`;

/** Opens the sign-in page (signing out first, if a session is open) and clicks the demo principal with this label. */
export async function signInAs(page: Page, server: TestServer, label: string): Promise<void> {
  await page.goto(consoleUrl(server));
  await page.evaluate('sessionStorage.clear()');
  await page.goto(consoleUrl(server));
  await page.getByRole('button', { name: label, exact: true }).click();
  await page.getByRole('navigation', { name: 'Console' }).waitFor();
}

/** Writes the page as it is to docs/images/console-<name>.png (`fullPage`: the whole screen, not only what fits the window). */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: path.join(ROOT, 'docs/images', `console-${name}.png`), fullPage: options.fullPage ?? false });
}

/** Opens a screen from the side navigation (its name in the language shown). */
export async function openScreen(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true }).click();
}

/** Polls the page until `check` holds (a live update, a poll), or fails after `timeoutMs`. */
export async function expectEventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the page never showed the change');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Records every request the page makes to anywhere but this machine (the console must load nothing from outside it). */
export function recordOffOrigin(page: Page): string[] {
  const offOrigin: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('http://127.0.0.1') && !url.startsWith('ws://127.0.0.1') && !url.startsWith('blob:') && !url.startsWith('data:')) offOrigin.push(url);
  });
  return offOrigin;
}

/** A console test's world: the console built, a server with the demo data, one page, and every request that left the machine. */
export interface ConsoleSession {
  server: TestServer;
  page: Page;
  /** URLs the page asked for that are not the server's own (the test expects none). */
  offOrigin: string[];
  close(): Promise<void>;
}

/** Builds the console, starts a server with the demo data (and `env`), and opens one page in a fresh headless Chromium. */
export async function startConsoleSession(options: { env?: Record<string, string> } = {}): Promise<ConsoleSession> {
  buildConsole();
  const server = await startTestServer({ seedDemoData: true, env: options.env });
  let browser: TestBrowser | undefined;
  try {
    browser = await launchChromium({ viewport: CONSOLE_VIEWPORT, locale: 'en-US' });
    const page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    const offOrigin = recordOffOrigin(page);
    const opened = browser;
    return {
      server,
      page,
      offOrigin,
      async close() {
        await opened.close();
        await server.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.stop();
    throw error;
  }
}

/** The metering service records usage of an account, and the server settles what follows (thresholds, rules). */
export async function spend(server: TestServer, accountId: string, credits: number): Promise<void> {
  const event = {
    accountId,
    amount: String(credits),
    eventId: `console-${Date.now()}-${Math.random()}`,
    occurredAt: new Date().toISOString(),
    service: 'compute',
  };
  await server.ok(RECORD_USAGE, { events: [event] }, await server.meteringToken());
  await server.settle();
}
