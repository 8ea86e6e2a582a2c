// Helpers of the console's browser tests (test/integration/console-*.test.ts): build the console
// as `npm run build` does, sign in as a demo principal from the sign-in page, and write each
// screen's picture to docs/images/console-<name>.png (the console guide shows them).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { TestServer } from './harness';

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
