import { TopUpNextAction1796700000000 } from '../../migrations/1796700000000-TopUpNextAction';
import { startTestServer, TestServer } from '../support/harness';
import { createBuyer, createTopUp, TOP_UP } from '../support/top-ups';

/** MariaDB only (jest.config.js): SQLite's schema comes from the entities, it has no migrations. */
describe('TopUpNextAction migration on a populated MariaDB database', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("carries each open top-up's payment data from the per-provider columns to its next action", async () => {
    const vn = await createBuyer(server);
    const us = await createBuyer(server, { region: 'US' });
    const topUps = [
      await createTopUp(server, vn, { method: 'PAYPAL', amount: '10' }),
      await createTopUp(server, vn, { method: 'VNPAY', amount: '10' }),
      await createTopUp(server, us, { method: 'STRIPE', amount: '10' }),
    ];
    const payments = async () =>
      Promise.all(topUps.map(async (topUp, index) => (await server.ok(TOP_UP, { id: topUp.id }, index < 2 ? vn.token : us.token)).topUp.payment));
    const answered = await payments();
    const ids = topUps.map((topUp) => topUp.id);
    const rows = async (columns: string) =>
      (await server.services.dataSource.query(`SELECT id, ${columns} FROM top_up WHERE id IN (?, ?, ?)`, ids)) as Record<string, string | null>[];
    const byId = (list: Record<string, string | null>[]) => ids.map((id) => list.find((row) => row.id === id));

    const migration = new TopUpNextAction1796700000000();
    const queryRunner = server.services.dataSource.createQueryRunner();
    try {
      // The schema before it, as the previous release wrote the rows: a column per provider.
      await migration.down(queryRunner);
      expect(byId(await rows('approvalUrl, redirectUrl, clientSecret'))).toEqual([
        { id: ids[0], approvalUrl: answered[0].approvalUrl, redirectUrl: null, clientSecret: null },
        { id: ids[1], approvalUrl: null, redirectUrl: answered[1].redirectUrl, clientSecret: null },
        // The stand-in's Stripe redirect has no column of its own before: it rode in redirectUrl.
        { id: ids[2], approvalUrl: null, redirectUrl: answered[2].nextAction.url, clientSecret: answered[2].clientSecret },
      ]);
      await queryRunner.query('UPDATE top_up SET redirectUrl = NULL WHERE id = ?', [ids[2]]);
      await migration.up(queryRunner);
    } finally {
      await queryRunner.release();
    }

    const after = await payments();
    expect(after[0]).toEqual(answered[0]);
    expect(after[1]).toEqual(answered[1]);
    // A Stripe row of the previous release had only its client secret: Stripe.js with it.
    expect(after[2]).toEqual({ ...answered[2], nextAction: { type: 'USE_STRIPE_SDK', url: null, clientSecret: answered[2].clientSecret } });
    expect(byId(await rows('nextActionType'))).toEqual(ids.map((id, index) => ({ id, nextActionType: index < 2 ? 'REDIRECT_TO_URL' : 'USE_STRIPE_SDK' })));
  });
});
