import { startTestServer, TestServer } from '../support/harness';

describe('a backlog of database work', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  // On SQLite every unit of work runs through one queue, and the driver answers synchronously: the
  // queue must let the event loop serve sockets between units, or a long backlog holds every request.
  it('does not hold a request that needs no database until the backlog is done', async () => {
    let finishedUnits = 0;
    const units = 3000;
    const backlog = Promise.all(
      Array.from({ length: units }, () =>
        server.services.runner.read(async (manager) => {
          await manager.query('SELECT 1');
          finishedUnits++;
        }),
      ),
    );
    const answer = await fetch(`${server.url}/healthz`);
    expect(answer.status).toBe(200);
    const finishedWhenAnswered = finishedUnits;
    await backlog;
    expect(finishedWhenAnswered).toBeLessThan(units);
  });
});
