import { startTestServer, TestServer } from '../support/harness';
import { createAccount } from '../support/fixtures';

describe('a subscription sent over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('is refused as a bad request (400, BAD_REQUEST), not an internal error', async () => {
    const accountId = await createAccount(server);
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await server.userToken(accountId)}` },
      body: JSON.stringify({ query: 'subscription ($id: ID!) { balanceChanged(accountId: $id) { totalBalance } }', variables: { id: accountId } }),
    });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect({ status: response.status, codes: body.errors.map((error) => error.extensions.code) }).toEqual({ status: 400, codes: ['BAD_REQUEST'] });
  });
});
