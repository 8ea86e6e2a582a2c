import { LedgerTransactionEntity } from '../../src/ledger/entities/ledger-transaction.entity';
import { balancesOf, CREDIT_HISTORY } from '../support/foundation';
import { createAccount, grant } from '../support/fixtures';
import { createTestDatabase, startTestServer, TEST_DATABASE, TestServer } from '../support/harness';
import { backdateGrantExpiry, credits, grantRow, RECORD_USAGE, usageEvent } from '../support/partners';

const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600 * 1000).toISOString();

async function expiryTransactions(server: TestServer, grantId: string) {
  return server.services.runner.read((manager) => manager.findBy(LedgerTransactionEntity, { idempotencyKey: `expiry:${grantId}` }));
}

describe('promotional expiry', () => {
  let server: TestServer;
  beforeAll(async () => {
    // The timer is off here, so every expiry below is the lazy one or an explicit run of the job.
    server = await startTestServer({ env: { EXPIRY_JOB_INTERVAL_MS: '0', EXPIRY_CHECK_CACHE_MS: '0' } });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('moves out exactly the unused remainder of a partly used grant, with a PROMOTIONAL_EXPIRY history row', async () => {
    const accountId = await createAccount(server);
    const grantId = (await grant(server, accountId, '10', { expiresAt: inDays(3) })).grantPromotionalCredits.grant.id;
    await grant(server, accountId, '4');
    await server.ok(RECORD_USAGE, { events: [usageEvent(accountId, '3.25')] }, await server.meteringToken());
    await backdateGrantExpiry(server, grantId);

    // Reading the balances expires the due grant first.
    expect(await balancesOf(server, accountId)).toMatchObject({ promotionalBalance: '4.000000', totalBalance: '4.000000' });
    const row = await grantRow(server, grantId);
    expect(row.remainingMicros).toBe(0n);
    expect(row.amountMicros).toBe(credits(10));
    const { creditHistory } = await server.ok(CREDIT_HISTORY, { accountId, first: 1 }, await server.userToken(accountId));
    expect(creditHistory.edges[0].node).toMatchObject({
      type: 'PROMOTIONAL_EXPIRY',
      amount: '-6.750000',
      promotionalBalanceAfter: '4.000000',
      counterparty: { accountId: null },
    });
    expect(await expiryTransactions(server, grantId)).toHaveLength(1);
    expect(await server.audit()).toEqual([]);
  });

  it('shows the expiry in the credit history even when the history is the first read', async () => {
    const accountId = await createAccount(server);
    const grantId = (await grant(server, accountId, '2', { expiresAt: inDays(1) })).grantPromotionalCredits.grant.id;
    await backdateGrantExpiry(server, grantId);
    const { creditHistory } = await server.ok(CREDIT_HISTORY, { accountId, first: 5 }, await server.userToken(accountId));
    expect(creditHistory.edges.map((edge: any) => edge.node.type)).toEqual(['PROMOTIONAL_EXPIRY', 'PROMOTIONAL_GRANT']);
  });

  it('expires each grant once when the job runs in several places at once, and leaves fully used and unexpired grants alone', async () => {
    const accountId = await createAccount(server);
    const due = await Promise.all(
      [1, 2, 3].map(async (amount) => (await grant(server, accountId, String(amount), { expiresAt: inDays(1) })).grantPromotionalCredits.grant.id),
    );
    const used = (await grant(server, accountId, '1', { expiresAt: inDays(1) })).grantPromotionalCredits.grant.id;
    const later = (await grant(server, accountId, '5', { expiresAt: inDays(2) })).grantPromotionalCredits.grant.id;
    // Usage draws the soonest-expiring grant first: make that the one to use up.
    await server.services.runner.transaction((manager) =>
      manager.update('promotional_grant', { id: Number(used) }, { expiresAt: new Date(Date.now() + 60_000) }),
    );
    await server.ok(RECORD_USAGE, { events: [usageEvent(accountId, '1')] }, await server.meteringToken());
    expect((await grantRow(server, used)).remainingMicros).toBe(0n);
    for (const id of [...due, used]) await backdateGrantExpiry(server, id);

    const { expiry } = server.services;
    const runs = await Promise.all([expiry.expireDueGrants(), expiry.expireDueGrants(), expiry.expireDueGrants(), balancesOf(server, accountId).then(() => 0)]);
    expect(runs.reduce((sum, count) => sum + count, 0)).toBeLessThanOrEqual(3);
    for (const id of due) {
      expect(await expiryTransactions(server, id)).toHaveLength(1);
      expect((await grantRow(server, id)).remainingMicros).toBe(0n);
    }
    expect(await expiryTransactions(server, used)).toHaveLength(0);
    expect((await grantRow(server, later)).remainingMicros).toBe(credits(5));
    expect(await balancesOf(server, accountId)).toMatchObject({ promotionalBalance: '5.000000' });
    expect(await server.audit()).toEqual([]);
  });

  // The embedded SQLite serves one process; MariaDB is where several processes share the work.
  (TEST_DATABASE === 'mariadb' ? it : it.skip)('expires each grant once when two server processes run the job on one database', async () => {
    const database = await createTestDatabase();
    const env = { EXPIRY_JOB_INTERVAL_MS: '0', EXPIRY_CHECK_CACHE_MS: '0' };
    const first = await startTestServer({ database, env });
    const second = await startTestServer({ database, env });
    try {
      const accountId = await createAccount(first);
      const grants = [];
      for (let index = 1; index <= 20; index++)
        grants.push((await grant(first, accountId, String(index), { expiresAt: inDays(1) })).grantPromotionalCredits.grant.id);
      for (const id of grants) await backdateGrantExpiry(first, id);
      const counts = await Promise.all([first, second, first, second].map((server) => server.services.expiry.expireDueGrants()));
      expect(counts.reduce((sum, count) => sum + count, 0)).toBe(20);
      for (const id of grants) expect(await expiryTransactions(first, id)).toHaveLength(1);
      expect(await balancesOf(second, accountId)).toMatchObject({ promotionalBalance: '0.000000' });
      expect(await first.audit()).toEqual([]);
    } finally {
      await first.stop();
      await second.stop();
      await database.drop();
    }
  });

  it('runs on a timer without any read', async () => {
    const timed = await startTestServer({ env: { EXPIRY_JOB_INTERVAL_MS: '1000' } });
    try {
      const accountId = await createAccount(timed);
      const grantId = (await grant(timed, accountId, '3', { expiresAt: inDays(1) })).grantPromotionalCredits.grant.id;
      await backdateGrantExpiry(timed, grantId);
      const deadline = Date.now() + 10_000;
      while ((await grantRow(timed, grantId)).remainingMicros !== 0n) {
        if (Date.now() > deadline) throw new Error('the expiry job did not run');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(await expiryTransactions(timed, grantId)).toHaveLength(1);
      expect(await timed.audit()).toEqual([]);
    } finally {
      await timed.stop();
    }
  });

  it('trusts a recent "nothing due" check only until the next known expiry', async () => {
    const cached = await startTestServer({ env: { EXPIRY_JOB_INTERVAL_MS: '0', EXPIRY_CHECK_CACHE_MS: '60000' } });
    try {
      const accountId = await createAccount(cached);
      await grant(cached, accountId, '1', { expiresAt: new Date(Date.now() + 1200).toISOString() });
      expect((await balancesOf(cached, accountId)).promotionalBalance).toBe('1.000000');
      await new Promise((resolve) => setTimeout(resolve, 1300));
      expect((await balancesOf(cached, accountId)).promotionalBalance).toBe('0.000000');
    } finally {
      await cached.stop();
    }
  });
});
