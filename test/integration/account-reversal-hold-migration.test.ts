import { AccountReversalHold1796830000000 } from '../../migrations/1796830000000-AccountReversalHold';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletFloor, WalletKind } from '../../src/ledger/ledger.enums';
import { createAccount, newKey } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';
import { credits, fundTopUp, RECORD_USAGE, usageEvent } from '../support/partners';

/** MariaDB only (jest.config.js): SQLite's schema comes from the entities, it has no migrations. */
describe('AccountReversalHold migration on a populated MariaDB database', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  /** A reversal as a provider's refund posts it: the top-up wallet may go below zero. */
  const reverse = (accountId: string, amount: number) =>
    server.services.runner.transaction((manager) =>
      server.services.ledger.post(manager, {
        type: LedgerTransactionType.TOP_UP_REVERSAL,
        idempotencyKey: `test-reversal:${newKey()}`,
        reference: 'test reversal',
        legs: [
          { accountId, walletKind: WalletKind.TOPUP, amountMicros: -credits(amount), floor: WalletFloor.NONE },
          { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PAYMENT_CLEARING, amountMicros: credits(amount) },
        ],
      }),
    );
  const use = async (accountId: string, amount: string) =>
    expect((await server.ok(RECORD_USAGE, { events: [usageEvent(accountId, amount)] }, await server.meteringToken())).recordUsage.appliedCount).toBe(1);

  it('adds the column and holds exactly the accounts a reversal left below zero that have not been back at zero since', async () => {
    const accounts = {
      // Below zero after a reversal, then usage took it further down: held.
      reversedThenUsed: await createAccount(server),
      // Below zero through usage alone: depleted, not held.
      usedOnly: await createAccount(server),
      // A reversal took it below zero, then a purchase brought it back: not held.
      reversedThenRefilled: await createAccount(server),
      // A reversal that left it at zero or above: not held.
      reversedAboveZero: await createAccount(server),
    };
    for (const accountId of Object.values(accounts)) await fundTopUp(server, accountId, credits(10));
    await reverse(accounts.reversedThenUsed, 15);
    await use(accounts.reversedThenUsed, '1');
    await use(accounts.usedOnly, '12');
    await reverse(accounts.reversedThenRefilled, 12);
    await fundTopUp(server, accounts.reversedThenRefilled, credits(5));
    await reverse(accounts.reversedAboveZero, 4);

    const ids = Object.values(accounts);
    const flags = async () =>
      (
        (await server.services.dataSource.query(`SELECT id, depleted, reversalHold FROM account WHERE id IN (?, ?, ?, ?) ORDER BY id`, ids)) as {
          id: string;
          depleted: number;
          reversalHold: number;
        }[]
      ).map((row) => ({ id: row.id, depleted: Number(row.depleted), reversalHold: Number(row.reversalHold) }));
    const written = await flags();
    expect(Object.fromEntries(written.map((row) => [row.id, row.reversalHold]))).toEqual({
      [accounts.reversedThenUsed]: 1,
      [accounts.usedOnly]: 0,
      [accounts.reversedThenRefilled]: 0,
      [accounts.reversedAboveZero]: 0,
    });

    const migration = new AccountReversalHold1796830000000();
    const queryRunner = server.services.dataSource.createQueryRunner();
    try {
      await migration.down(queryRunner);
      const columns = await queryRunner.query(
        `SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'account'`,
      );
      expect(columns.map((column: { name: string }) => column.name)).not.toContain('reversalHold');
      await migration.up(queryRunner);
    } finally {
      await queryRunner.release();
    }

    // What the projection wrote as it happened, the migration finds again from the history.
    expect(await flags()).toEqual(written);
    expect(await server.audit()).toEqual([]);
  });
});
