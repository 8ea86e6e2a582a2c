import { codes, startTestServer, TestServer } from '../support/harness';
import { createAccount, grant } from '../support/fixtures';

describe('smoke', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers a bare __typename without a token', async () => {
    expect(await server.ok('{ __typename }')).toEqual({ __typename: 'Query' });
  });

  it('grants credits and shows the balances', async () => {
    const accountId = await createAccount(server);
    await grant(server, accountId, '12.5');
    const result = await server.ok(
      `query($id: ID!) { balances(accountId: $id) { totalBalance promotionalBalance } }`,
      { id: accountId },
      await server.userToken(accountId),
    );
    expect(result.balances).toEqual({ totalBalance: '12.500000', promotionalBalance: '12.500000' });
    expect(await server.audit()).toEqual([]);
  });

  it('refuses another account', async () => {
    const mine = await createAccount(server);
    const other = await createAccount(server);
    const result = await server.call(`query($id: ID!) { balances(accountId: $id) { totalBalance } }`, { id: other }, await server.userToken(mine));
    expect(codes(result)).toEqual(['FORBIDDEN']);
  });
});
