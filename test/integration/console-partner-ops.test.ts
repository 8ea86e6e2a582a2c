// The reference console's partner screens for topping up customers (the GreenNode "Top up Credit
// for Customer" help page): the customer list, Top Up and Reclaim with their confirmation, Bulk Top
// Up and the auto top-up rules, clicked through in a real headless Chromium against the real server
// with the demo data, as the demo partner's OWNER. Runs in the SQLite jest project only
// (jest.config.js): the pages do not depend on the database kind, and the API behind each screen has
// its own tests on both databases.
import type { Locator, Page } from 'playwright-core';
import { Role } from '../../src/auth/principal';
import { type ConsoleSession, consoleUrl, expectEventually, openScreen, screenshot, signInAs, spend, startConsoleSession } from '../support/console';
import { CREATE_ACCOUNT } from '../support/fixtures';
import type { TestServer } from '../support/harness';

const PARTNER = 'demo-partner';
const PHO = 'demo-partner-customer-1';
const MEKONG = 'demo-partner-customer-2';
const HANOI = 'demo-partner-customer-3';

describe('the console, as the demo partner (headless Chromium)', () => {
  let session: ConsoleSession;
  let server: TestServer;
  let page: Page;

  beforeAll(async () => {
    session = await startConsoleSession();
    ({ server, page } = session);
    // Enough customers for a second page (the list shows ten a page), with ids of their own so the pictures do not change between runs.
    const admin = await server.adminToken();
    for (let index = 1; index <= 9; index++) {
      const input = { id: `tay-ninh-farms-${index}`, kind: 'CUSTOMER', name: `Tay Ninh Farms ${index}`, region: 'VN', status: 'ACTIVE', partnerId: PARTNER };
      await server.ok(CREATE_ACCOUNT, { input }, admin);
    }
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  it("lists the partner's customers by name with their balances, pages through them, searches by name and by account id, filters by status and sorts by balance either way", async () => {
    await signInAs(page, server, 'Partner (OWNER)');
    await page.goto(consoleUrl(server, '/customers'));
    const table = page.getByRole('table', { name: 'Customers' });
    const names = () => table.locator('tbody tr td:first-child').allInnerTexts();
    await table.locator('tbody tr').filter({ hasText: 'Pho Analytics' }).waitFor();
    expect(await names()).toEqual([
      'Hanoi Games (onboarding)',
      'Mekong Logistics',
      'Pho Analytics',
      ...[1, 2, 3, 4, 5, 6, 7].map((index) => `Tay Ninh Farms ${index}`),
    ]);
    expect(await page.getByTestId('partner-top-up-balance').innerText()).toBe(credits(await topUpBalance(PARTNER)));
    const mekong = await balancesOf(MEKONG);
    // Name, id, status, top-up, promotional and total balances, this month's usage.
    expect(await rowOf(page, 'Mekong Logistics').innerText()).toMatch(
      new RegExp(`^Mekong Logistics\tdemo-partner-customer-2\tActive\t${credits(mekong.topUpBalance)}\t0\t${credits(mekong.totalBalance)}\t[\\d,.]+\t`),
    );
    // The PENDING customer can be neither topped up nor reclaimed from.
    expect(await rowOf(page, 'Hanoi Games (onboarding)').getByRole('button').count()).toBe(0);
    await screenshot(page, 'partner-customers');

    await page.getByRole('button', { name: 'Next' }).click();
    await expectEventually(async () => (await names()).join() === ['Tay Ninh Farms 8', 'Tay Ninh Farms 9'].join());
    await page.getByRole('button', { name: 'Previous' }).click();
    await expectEventually(async () => (await names())[0] === 'Hanoi Games (onboarding)');

    await applyFilters(page, { search: 'mekong' });
    await expectEventually(async () => (await names()).join() === 'Mekong Logistics');
    await applyFilters(page, { search: PHO });
    await expectEventually(async () => (await names()).join() === 'Pho Analytics');
    await applyFilters(page, { search: '', status: 'PENDING' });
    await expectEventually(async () => (await names()).join() === 'Hanoi Games (onboarding)');
    await applyFilters(page, { status: '', balanceBelow: '1' });
    await expectEventually(async () => (await names()).length === 10 && !(await names()).includes('Mekong Logistics'));

    await applyFilters(page, { balanceBelow: '', sortBy: 'BALANCE', sortDirection: 'DESC' });
    await expectEventually(async () => (await names()).slice(0, 2).join() === 'Mekong Logistics,Pho Analytics');
    await applyFilters(page, { sortDirection: 'ASC' });
    await expectEventually(async () => (await names()).length === 10 && !(await names()).includes('Pho Analytics'));
    await page.getByRole('button', { name: 'Next' }).click();
    await expectEventually(async () => (await names()).join() === 'Pho Analytics,Mekong Logistics');
    await applyFilters(page, { sortBy: 'NAME' });
    await expectEventually(async () => (await names())[0] === 'Hanoi Games (onboarding)');
  });

  it('tops up a customer: the confirmation shows both balances as they would be and moves nothing, Top Up moves the credits and shows the new balances', async () => {
    const partnerBefore = await topUpBalance(PARTNER);
    const customerBefore = await totalBalance(PHO);
    await rowOf(page, 'Pho Analytics').getByRole('button', { name: 'Top Up' }).click();
    const dialog = page.getByRole('dialog', { name: 'Top up Pho Analytics' });
    await dialog.getByLabel('Amount of credits').fill('0');
    await dialog.locator('.field-error').filter({ hasText: 'greater than zero' }).waitFor();
    expect(await dialog.getByRole('button', { name: 'Continue' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Amount of credits').fill('120.5');
    await dialog.getByLabel('Note (shown in both credit histories)').fill('December allowance');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await dialog.getByText('Transfer 120.5 credits to Pho Analytics?').waitFor();
    expect(await dialog.getByTestId('partner-top-up-after').innerText()).toBe(credits(partnerBefore - 120.5));
    expect(await dialog.getByTestId('customer-total-after').innerText()).toBe(credits(customerBefore + 120.5));
    // The confirmation is a dry run: nothing moved yet.
    expect(await topUpBalance(PARTNER)).toBe(partnerBefore);
    await screenshot(page, 'partner-top-up');

    await dialog.getByRole('button', { name: 'Top Up', exact: true }).click();
    await dialog.getByRole('status').filter({ hasText: '120.5 credits were transferred to Pho Analytics.' }).waitFor();
    expect(await topUpBalance(PARTNER)).toBe(partnerBefore - 120.5);
    expect(await totalBalance(PHO)).toBe(customerBefore + 120.5);
    expect(await dialog.getByTestId('partner-top-up-after').innerText()).toBe(credits(partnerBefore - 120.5));
    expect(await dialog.getByTestId('customer-total-after').innerText()).toBe(credits(customerBefore + 120.5));
    await screenshot(page, 'partner-top-up-done');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The list and the partner's balance show the transfer.
    await rowOf(page, 'Pho Analytics')
      .getByTestId('customer-total')
      .filter({ hasText: credits(customerBefore + 120.5) })
      .waitFor();
    await page
      .getByTestId('partner-top-up-balance')
      .filter({ hasText: credits(partnerBefore - 120.5) })
      .waitFor();
    const history = await server.ok<{ creditHistory: { edges: { node: { type: string; amount: string; description: string | null } }[] } }>(
      'query ($id: ID!) { creditHistory(accountId: $id, first: 1) { edges { node { type amount description } } } }',
      { id: PHO },
      await server.userToken(PHO),
    );
    expect(history.creditHistory.edges[0].node).toMatchObject({ type: 'TRANSFER_IN', amount: '120.500000' });
  });

  it('reclaims credits from a customer after a confirmation, refusing more than its top-up balance with the API reason', async () => {
    const partnerBefore = await topUpBalance(PARTNER);
    const customerTopUp = await topUpBalance(MEKONG);
    await rowOf(page, 'Mekong Logistics').getByRole('button', { name: 'Reclaim' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reclaim credits from Mekong Logistics' });
    expect(await dialog.innerText()).toMatch(new RegExp(`At most ${credits(customerTopUp)} credits`));
    await dialog.getByLabel('Amount of credits').fill(String(customerTopUp + 1));
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'INSUFFICIENT_CREDITS' }).waitFor();

    await dialog.getByLabel('Amount of credits').fill('75');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await dialog.getByText('Take 75 credits back from Mekong Logistics?').waitFor();
    expect(await dialog.getByTestId('partner-top-up-after').innerText()).toBe(credits(partnerBefore + 75));
    expect(await dialog.getByTestId('customer-top-up-after').innerText()).toBe(credits(customerTopUp - 75));
    expect(await topUpBalance(MEKONG)).toBe(customerTopUp);
    await screenshot(page, 'partner-reclaim');
    await dialog.getByRole('button', { name: 'Reclaim', exact: true }).click();
    await dialog.getByRole('status').filter({ hasText: '75 credits were taken back from Mekong Logistics.' }).waitFor();
    expect(await dialog.getByTestId('customer-top-up-after').innerText()).toBe(credits(customerTopUp - 75));
    expect(await topUpBalance(MEKONG)).toBe(customerTopUp - 75);
    expect(await topUpBalance(PARTNER)).toBe(partnerBefore + 75);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await rowOf(page, 'Mekong Logistics')
      .getByTestId('customer-total')
      .filter({ hasText: credits(customerTopUp - 75) })
      .waitFor();
  });

  it('checks a pasted bulk list row by row (nothing moves), then transfers it with each row transferred or refused with its reason', async () => {
    await openScreen(page, 'Bulk Top Up');
    const rows = page.getByLabel('Customers and amounts');
    await rows.fill(`${PHO}, 10\nnot a line\n`);
    await page.getByText('Line 2: write "account id, amount"').waitFor();
    expect(await page.getByRole('button', { name: 'Check' }).isDisabled()).toBe(true);

    const pho = await totalBalance(PHO);
    const mekong = await totalBalance(MEKONG);
    const partnerBefore = await topUpBalance(PARTNER);
    await rows.fill([`${PHO}, 10, Bulk allowance`, `${MEKONG}\t25.25`, `${HANOI}, 5`, 'someone-else, 5'].join('\n'));
    await page.getByRole('button', { name: 'Check' }).click();
    const summary = page.getByTestId('bulk-summary');
    await summary.filter({ hasText: 'Checked, nothing moved: 2 of 4 rows would be transferred (35.25 credits).' }).waitFor();
    expect(await resultRows(page)).toEqual([
      [`Pho Analytics ${PHO}`, '10', 'OK', credits(pho + 10)],
      [`Mekong Logistics ${MEKONG}`, '25.25', 'OK', credits(mekong + 25.25)],
      [`Hanoi Games (onboarding) ${HANOI}`, '5', expect.stringMatching(/^Refused — .+ ACCOUNT_NOT_ACTIVE$/), ''],
      ['someone-else', '5', expect.stringMatching(/^Refused — You may only transfer credits to your own customers\. FORBIDDEN$/), ''],
    ]);
    expect(await topUpBalance(PARTNER)).toBe(partnerBefore);

    await page.getByRole('button', { name: 'Transfer 2 rows' }).click();
    await summary.filter({ hasText: 'Done: 2 of 4 rows transferred (35.25 credits).' }).waitFor();
    expect((await resultRows(page)).map((row) => row[2].split(' — ')[0])).toEqual(['Transferred', 'Transferred', 'Refused', 'Refused']);
    expect((await resultRows(page)).map((row) => row[3])).toEqual([credits(pho + 10), credits(mekong + 25.25), '', '']);
    expect(await totalBalance(PHO)).toBe(pho + 10);
    expect(await totalBalance(MEKONG)).toBe(mekong + 25.25);
    expect(await topUpBalance(PARTNER)).toBe(partnerBefore - 35.25);
    await screenshot(page, 'partner-bulk-top-up', { fullPage: true });

    // All or nothing: the refused row stops the others.
    await page.getByLabel('If a row is refused').selectOption('ALL_OR_NOTHING');
    await page.getByRole('button', { name: 'Check' }).click();
    await summary.filter({ hasText: 'Checked, nothing moved: 0 of 4 rows' }).waitFor();
    expect((await resultRows(page)).map((row) => row[2].split(' — ')[0])).toEqual(['Not applied', 'Not applied', 'Refused', 'Refused']);
    expect(await page.getByRole('button', { name: 'Transfer 0 rows' }).isDisabled()).toBe(true);
  });

  it("opens a customer's detail from its name: balances, its credit history with the transfers' notes, Top Up from there, and no rule yet", async () => {
    await openScreen(page, 'Customers');
    await rowOf(page, 'Pho Analytics').getByRole('link', { name: 'Pho Analytics' }).click();
    await page.waitForURL(/\/console\/customers\/detail\?id=demo-partner-customer-1$/);
    await page.getByRole('heading', { name: 'Pho Analytics' }).waitFor();
    const before = await balancesOf(PHO);
    expect(await page.getByTestId('detail-total-balance').innerText()).toBe(credits(before.totalBalance));
    expect(await page.getByTestId('detail-top-up-balance').innerText()).toBe(credits(before.topUpBalance));
    expect(await page.getByTestId('customer-status').innerText()).toBe('demo-partner-customer-1 · Active');
    await page.getByTestId('customer-rule').filter({ hasText: 'No auto top-up rule.' }).waitFor();
    const history = page.getByRole('table', { name: 'Credit history' });
    // Newest first: the bulk row, then the console's top-up with its note.
    expect((await history.locator('tbody tr').nth(0).locator('td').allInnerTexts()).slice(1)).toEqual([
      'Transfer in',
      'Bulk allowance',
      '10',
      credits(before.totalBalance),
    ]);
    expect((await history.locator('tbody tr').nth(1).locator('td').allInnerTexts()).slice(1, 4)).toEqual(['Transfer in', 'December allowance', '120.5']);

    await page.getByRole('button', { name: 'Top Up', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Top up Pho Analytics' });
    await dialog.getByLabel('Amount of credits').fill('4.5');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await dialog.getByRole('button', { name: 'Top Up', exact: true }).click();
    await dialog.getByRole('status').filter({ hasText: '4.5 credits were transferred to Pho Analytics.' }).waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page
      .getByTestId('detail-total-balance')
      .filter({ hasText: credits(before.totalBalance + 4.5) })
      .waitFor();
    await history.locator('tbody tr').first().filter({ hasText: '4.5' }).waitFor();
    expect(await totalBalance(PHO)).toBe(before.totalBalance + 4.5);
    await screenshot(page, 'partner-customer-detail', { fullPage: true });
  });

  it('creates an auto top-up rule, lists it by customer name, edits it, sees it fire when usage crosses its threshold, pauses, resumes and removes it', async () => {
    await openScreen(page, 'Auto top-up');
    const table = page.getByRole('table', { name: 'Auto top-up' });
    await table.getByText('Nothing to show.').waitFor();
    await page.getByRole('button', { name: 'New rule' }).click();
    const form = page.getByRole('form', { name: 'New rule' });
    await form.getByLabel('Customer account id').fill(PHO);
    await form.getByLabel('Below (X)').fill('100');
    await form.getByLabel('Up to (Y)').fill('50');
    await form.getByLabel('At most a month (Z)').fill('1000');
    await form.getByRole('button', { name: 'Save rule' }).click();
    // The API's check, with its code, beside the form.
    await form.getByRole('alert').filter({ hasText: 'BAD_USER_INPUT' }).waitFor();
    await form.getByLabel('Up to (Y)').fill('400');
    await form.getByRole('button', { name: 'Save rule' }).click();
    await page.getByRole('status').filter({ hasText: 'Rule saved.' }).waitFor();
    const row = table.locator('tbody tr').filter({ hasText: 'Pho Analytics' });
    expect(await row.innerText()).toMatch(/Pho Analytics demo-partner-customer-1\s+Active\s+100\s+400\s+1,000\s+0\s+Never fired/);

    await row.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit the rule for Pho Analytics' });
    expect(await edit.getByLabel('Customer account id').isDisabled()).toBe(true);
    expect(await edit.getByLabel('Up to (Y)').inputValue()).toBe('400');
    await edit.getByLabel('Up to (Y)').fill('500');
    await edit.getByRole('button', { name: 'Save rule' }).click();
    await expectEventually(async () => (await row.locator('td').allInnerTexts())[3] === '500');

    // Usage takes Pho below 100: the rule tops it up to 500, and the list shows the firing live.
    const total = await totalBalance(PHO);
    await spend(server, PHO, total - 60);
    await row.filter({ hasText: 'Transferred 440' }).waitFor({ timeout: 30_000 });
    expect(await row.innerText()).toMatch(/\s440\s+Transferred 440/);
    expect(await totalBalance(PHO)).toBe(500);
    await screenshot(page, 'partner-auto-top-up');

    await row.getByRole('button', { name: 'Pause' }).click();
    await row.getByTestId('rule-status').filter({ hasText: 'Paused' }).waitFor();
    await row.getByRole('button', { name: 'Resume' }).click();
    await row.getByTestId('rule-status').filter({ hasText: 'Active' }).waitFor();

    await row.getByRole('button', { name: 'Remove' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove the rule for Pho Analytics?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await row.count()).toBe(1);
    await row.getByRole('button', { name: 'Remove' }).click();
    await confirm.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('status').filter({ hasText: 'Rule removed.' }).waitFor();
    await table.getByText('Nothing to show.').waitFor();
    const { autoTransferRule } = await server.ok<{ autoTransferRule: unknown }>(
      'query ($id: ID!) { autoTransferRule(customerAccountId: $id) { id } }',
      { id: PHO },
      await server.userToken(PARTNER),
    );
    expect(autoTransferRule).toBeNull();
  });

  it('shows the customer list in Vietnamese, with amounts grouped the Vietnamese way', async () => {
    await openScreen(page, 'Customers');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByRole('heading', { name: 'Khách hàng' }).waitFor();
    const row = page.getByRole('table', { name: 'Khách hàng' }).locator('tbody tr').filter({ hasText: 'Pho Analytics' });
    await row.getByRole('button', { name: 'Nạp tín dụng' }).waitFor();
    expect(await page.getByTestId('partner-top-up-balance').innerText()).toBe(credits(await topUpBalance(PARTNER), 'vi-VN'));
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Customers' }).waitFor();
  });

  it('shows a partner VIEWER the customers and their details, without Top Up, Reclaim, Bulk Top Up or the rules', async () => {
    await page.goto(consoleUrl(server));
    await page.evaluate('sessionStorage.clear()');
    await page.goto(consoleUrl(server));
    await page.getByLabel('Access token').fill(await server.userToken(PARTNER, Role.VIEWER));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const navigation = page.getByRole('navigation', { name: 'Console' });
    await navigation.waitFor();
    expect(await navigation.getByRole('link').allInnerTexts()).toEqual(['Customers', 'Credit usage report', 'Credit top-up report', 'Credit summary report']);
    await rowOf(page, 'Pho Analytics').waitFor();
    expect(await page.getByRole('table', { name: 'Customers' }).getByRole('button').count()).toBe(0);
    expect(await page.getByRole('columnheader', { name: 'Actions' }).count()).toBe(0);
    await rowOf(page, 'Pho Analytics').getByRole('link', { name: 'Pho Analytics' }).click();
    await page.getByTestId('detail-total-balance').waitFor();
    expect(await page.getByRole('button', { name: /Top Up|Reclaim/ }).count()).toBe(0);
    expect(await page.getByTestId('customer-rule').count()).toBe(0);
  });

  it('loaded nothing from outside the machine', () => {
    expect(session.offOrigin).toEqual([]);
  });

  async function topUpBalance(accountId: string): Promise<number> {
    return (await balancesOf(accountId)).topUpBalance;
  }

  async function totalBalance(accountId: string): Promise<number> {
    return (await balancesOf(accountId)).totalBalance;
  }

  async function balancesOf(accountId: string): Promise<{ topUpBalance: number; totalBalance: number }> {
    const { balances } = await server.ok<{ balances: { topUpBalance: string; totalBalance: string } }>(
      'query ($id: ID!) { balances(accountId: $id) { topUpBalance totalBalance } }',
      { id: accountId },
      await server.adminToken(),
    );
    return { topUpBalance: Number(balances.topUpBalance), totalBalance: Number(balances.totalBalance) };
  }
});

/** Credits as the page shows them in English (or `locale`): grouped, with the decimals they have. */
function credits(amount: number, locale = 'en-US'): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 6 }).format(amount);
}

/** The customer list's row of this customer. */
function rowOf(page: Page, name: string): Locator {
  return page.getByRole('table', { name: 'Customers' }).locator('tbody tr').filter({ hasText: name });
}

/** Sets the customer list's filters (those given) and applies them. */
async function applyFilters(
  page: Page,
  filters: { search?: string; status?: string; balanceBelow?: string; sortBy?: string; sortDirection?: string },
): Promise<void> {
  if (filters.search !== undefined) await page.getByLabel('Name or account id').fill(filters.search);
  if (filters.status !== undefined) await page.getByLabel('Status').selectOption(filters.status);
  if (filters.balanceBelow !== undefined) await page.getByLabel('Total balance below').fill(filters.balanceBelow);
  if (filters.sortBy !== undefined) await page.getByLabel('Sort by').selectOption(filters.sortBy);
  if (filters.sortDirection !== undefined) await page.getByLabel('Direction').selectOption(filters.sortDirection);
  await page.getByRole('button', { name: 'Apply' }).click();
}

/** The bulk results table: customer, amount, result, customer total after, per row. */
async function resultRows(page: Page): Promise<string[][]> {
  const rows = page.getByRole('table', { name: 'Rows' }).locator('tbody tr');
  const count = await rows.count();
  const result: string[][] = [];
  for (let index = 0; index < count; index++) result.push((await rows.nth(index).locator('td').allInnerTexts()).slice(1).map((cell) => cell.trim()));
  return result;
}
