import { OptionalTaxCode1796900000000 } from '../../migrations/1796900000000-OptionalTaxCode';
import { createAccount, UPDATE_BILLING, VALID_BILLING } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';

/** MariaDB only (jest.config.js): SQLite's schema comes from the entities, it has no migrations. */
describe('OptionalTaxCode migration on a populated MariaDB database', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("keeps every existing tax code and then takes an individual's billing information without one", async () => {
    const companies = [await createAccount(server), await createAccount(server)];
    for (const [index, accountId] of companies.entries()) {
      await server.ok(UPDATE_BILLING, { input: { ...VALID_BILLING, taxCode: `031234567${index}` } }, await server.userToken(accountId));
    }
    const codesOf = async (ids: string[]) =>
      (
        (await server.services.dataSource.query(
          `SELECT accountId, taxCode FROM billing_info WHERE accountId IN (${ids.map(() => '?').join(', ')}) ORDER BY accountId`,
          ids,
        )) as {
          accountId: string;
          taxCode: string | null;
        }[]
      ).map((row) => [row.accountId, row.taxCode]);
    const before = await codesOf(companies);

    const migration = new OptionalTaxCode1796900000000();
    const queryRunner = server.services.dataSource.createQueryRunner();
    try {
      // The schema of the previous release: a tax code on every row.
      await migration.down(queryRunner);
      await expect(queryRunner.query('UPDATE billing_info SET taxCode = NULL WHERE accountId = ?', [companies[0]])).rejects.toThrow();
      await migration.up(queryRunner);
    } finally {
      await queryRunner.release();
    }

    expect(await codesOf(companies)).toEqual(before);
    const individual = await createAccount(server);
    const { updateBillingInfo } = await server.ok(
      UPDATE_BILLING,
      { input: { ...VALID_BILLING, entityType: 'INDIVIDUAL', taxCode: null } },
      await server.userToken(individual),
    );
    expect(updateBillingInfo.taxCode).toBeNull();
    expect(await codesOf([individual])).toEqual([[individual, null]]);
  });
});
