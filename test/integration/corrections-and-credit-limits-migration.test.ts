import { CorrectionsAndCreditLimits1796840000000 } from '../../migrations/1796840000000-CorrectionsAndCreditLimits';
import { createAccount, grant, newKey } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';
import { backdateGrantExpiry, credits, partnerWithCustomer, RECORD_USAGE, TRANSFER, usageEvent } from '../support/partners';
import { adjust, SET_CREDIT_LIMIT, VOID_GRANT } from '../support/corrections';

/** MariaDB only (jest.config.js): SQLite's schema comes from the entities, it has no migrations. */
describe('CorrectionsAndCreditLimits migration on a populated MariaDB database', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const grants = () =>
    server.services.dataSource.query(
      'SELECT id, accountId, amountMicros, remainingMicros, expiredMicros, expiresAt, reason FROM promotional_grant ORDER BY id',
    );
  const columns = async () =>
    (
      (await server.services.dataSource.query(
        `SELECT TABLE_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
           AND ((TABLE_NAME = 'promotional_grant' AND COLUMN_NAME = 'voidedMicros') OR (TABLE_NAME = 'account' AND COLUMN_NAME = 'creditLimitMicros')
             OR TABLE_NAME = 'credit_correction') GROUP BY TABLE_NAME ORDER BY TABLE_NAME`,
      )) as { name: string }[]
    ).map((row) => row.name);

  it('keeps every grant and account as it was (nothing voided, no credit limit), and corrections and credit limits work on after it', async () => {
    const accountId = await createAccount(server);
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(10));
    await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '4', idempotencyKey: newKey() } }, ownerToken);
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    const partlyUsed = (await grant(server, accountId, '10', { expiresAt: inDays(5) })).grantPromotionalCredits.grant.id;
    const expired = (await grant(server, accountId, '3', { expiresAt: inDays(1) })).grantPromotionalCredits.grant.id;
    await server.ok(RECORD_USAGE, { events: [usageEvent(accountId, '4')] }, await server.meteringToken());
    await backdateGrantExpiry(server, expired);
    await server.services.expiry.expireDueGrants();
    const before = await grants();

    const migration = new CorrectionsAndCreditLimits1796840000000();
    const queryRunner = server.services.dataSource.createQueryRunner();
    try {
      // The schema before it, populated: no voidedMicros column, no credit_correction table.
      await migration.down(queryRunner);
      expect(await columns()).toEqual([]);
      expect(await grants()).toEqual(before);
      await migration.up(queryRunner);
    } finally {
      await queryRunner.release();
    }
    expect(await columns()).toEqual(['account', 'credit_correction', 'promotional_grant']);
    expect(await server.services.dataSource.query('SELECT DISTINCT creditLimitMicros, depleted FROM account WHERE id = ?', [partnerId])).toEqual([
      { creditLimitMicros: '0', depleted: 0 },
    ]);
    expect(await grants()).toEqual(before);
    expect(await server.services.dataSource.query('SELECT DISTINCT voidedMicros FROM promotional_grant')).toEqual([{ voidedMicros: '0' }]);

    const { voidPromotionalGrant } = await server.ok(VOID_GRANT, { input: { grantId: partlyUsed, reason: 'after the migration' } }, await server.adminToken());
    // Usage drew the grant expiring sooner first (all 3 of it), then 1 of this one.
    expect(voidPromotionalGrant.grant).toEqual({ id: partlyUsed, status: 'VOIDED', remaining: '0.000000', voidedAmount: '9.000000' });
    expect((await adjust(server, accountId, 'TOPUP', '2')).errors).toEqual([]);
    await server.ok(SET_CREDIT_LIMIT, { input: { partnerAccountId: partnerId, limit: '20', reason: 'after the migration' } }, await server.adminToken());
    const { transferCredits } = await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '15', idempotencyKey: newKey() } }, ownerToken);
    expect(transferCredits.partnerBalances.topUpBalance).toBe('-9.000000');
    expect(await server.audit()).toEqual([]);
  }, 120_000);
});
