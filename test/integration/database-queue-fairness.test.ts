import { startTestServer, TEST_DATABASE, TestServer } from '../support/harness';

describe('a backlog of database work', () => {
  let server: TestServer;
  beforeAll(async () => {
    // The backlog below is hundreds of units on 20 pooled connections: on a busy machine its tail may wait
    // longer than the default 5 s for a connection, which is not what this file is about.
    server = await startTestServer({ env: { DATABASE_ACQUIRE_TIMEOUT_MS: '60000' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  // On SQLite every unit of work runs through one queue, and the driver answers synchronously: the
  // queue must let the event loop serve sockets between units, or a long backlog holds every request.
  it('does not hold a request that needs no database until the backlog is done', async () => {
    let finishedUnits = 0;
    // MariaDB's units are round trips over 20 connections (seconds each hundred on a busy machine):
    // fewer of them still outlast one request that needs no database.
    const units = TEST_DATABASE === 'sqlite' ? 3000 : 600;
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
  }, 180_000);

  // The pragma is the embedded database's own; MariaDB has its own durability settings.
  (TEST_DATABASE === 'sqlite' ? it : it.skip)('runs the embedded database at the configured synchronous level', async () => {
    const pragma = async (target: TestServer) => Number((await target.services.runner.read((manager) => manager.query('PRAGMA synchronous')))[0].synchronous);
    expect(await pragma(server)).toBe(2); // FULL
    const relaxed = await startTestServer({ env: { SQLITE_SYNCHRONOUS: 'NORMAL' } });
    try {
      expect(await pragma(relaxed)).toBe(1);
    } finally {
      await relaxed.stop();
    }
  });
});
