import { signToken } from '../../src/auth/jwt';
import { Scope } from '../../src/auth/principal';
import { DEVELOPMENT_JWT_SECRET } from '../../src/config';
import { CREATE_ACCOUNT, GRANT } from '../support/fixtures';
import { createTestDatabase, TestDatabaseHandle } from '../support/harness';
import { PrivateRedis } from '../support/private-redis';
import { ServerProcess, startServerProcess } from '../support/server-process';

/** A pino line of the server process. */
interface LogLine {
  level: number;
  msg: string;
  component?: string;
  dependency?: string;
}

const linesOf = (server: ServerProcess): LogLine[] =>
  server
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SQLite only (jest.config.js; Redis is the subject, the database kind plays no part): the real
 * process started with REDIS_URL on a Redis that is not there, used for a while (commits whose
 * notifications wait in the outbox, rate-limited requests, persisted queries), then given its Redis.
 * Every user of Redis meets the outage, every poll and reconnection meets it again, and the log
 * says so twice: one warning when it starts and one info line when it ends, with no stack trace.
 */
describe('a Redis outage in the log', () => {
  let redis: PrivateRedis;
  let database: TestDatabaseHandle;
  let server: ServerProcess;
  beforeAll(async () => {
    redis = await PrivateRedis.create({ started: false });
    database = await createTestDatabase();
    server = await startServerProcess('redis-away', { ...database.env, REDIS_URL: redis.url, SEED_DEMO_DATA: 'false', OUTBOX_POLL_INTERVAL_MS: '200' });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await redis?.kill();
    await database?.drop();
  });

  it('is one warning while Redis is away, however long, and one info line when it is back', async () => {
    const admin = await signToken(DEVELOPMENT_JWT_SECRET, { sub: 'admin', scopes: [Scope.ADMIN] });
    const accountId = `outage-logs-${process.pid}`;
    expect(
      (await server.call(CREATE_ACCOUNT, { input: { id: accountId, kind: 'CUSTOMER', name: 'Outage', region: 'VN', status: 'ACTIVE' } }, admin)).errors,
    ).toEqual([]);
    const started = Date.now();
    // About ten seconds of use: each grant's notification waits in the outbox, polled every 200 ms.
    for (let grant = 0; Date.now() - started < 10_000; grant++) {
      const result = await server.call(GRANT, { input: { accountId, amount: '1', reason: 'outage', idempotencyKey: `outage-${grant}` } }, admin);
      expect(result.errors).toEqual([]);
      await wait(500);
    }
    const duringOutage = linesOf(server);
    const warnings = duringOutage.filter((line) => line.level >= 40);
    expect(warnings.map((line) => `${line.component} ${line.dependency} ${line.msg.split(':')[0]}`)).toEqual(['outages redis Redis unreachable']);
    expect(server.output()).not.toMatch(/\\n\s+at |^\s+at /m);

    await redis.start();
    const deadline = Date.now() + 30_000;
    const back = () => linesOf(server).filter((line) => line.component === 'outages' && line.level === 30);
    while (back().length === 0 && Date.now() < deadline) await wait(100);
    // A little longer: nothing more comes (no second outage from a connection that came back late).
    await wait(2000);
    const outageLines = linesOf(server).filter((line) => line.component === 'outages');
    expect(outageLines.map((line) => `${line.level} ${line.dependency}`)).toEqual(['40 redis', '30 redis']);
    expect(outageLines[1].msg).toMatch(/^Redis reachable again after \d+\.\d s$/);
    expect(linesOf(server).filter((line) => line.level >= 40)).toHaveLength(1);
  }, 120_000);
});
