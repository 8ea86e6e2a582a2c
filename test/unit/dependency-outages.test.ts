import { DependencyOutages, reasonOf } from '../../src/common/dependency-outages';
import { createLogger } from '../../src/common/logger';
import { isConnectionFailure, isDatabaseUnreachable, PoolAcquireTimeoutError, serviceUnavailable } from '../../src/database/database-errors';
import { BusUnavailableError, isBusUnavailable } from '../../src/notifications/bus';

interface Line {
  level: number;
  msg: string;
  dependency?: string;
  reason?: string;
  code?: string;
  noticedBy?: string;
  downForMs?: number;
  err?: unknown;
}

/** The tracker with the process's recognisers, logging at info into an array (debug lines left out, as in production). */
function tracker(level = 'info') {
  const lines: Line[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(JSON.parse(line) as Line) });
  const outages = new DependencyOutages(logger, {
    redis: { label: 'Redis', whileDown: 'notifications wait in the outbox', recognises: isBusUnavailable },
    database: {
      label: 'database',
      whileDown: 'requests answer SERVICE_UNAVAILABLE',
      recognises: isDatabaseUnreachable,
      followsFromOutage: isConnectionFailure,
    },
    'read-replica': { label: 'read replica', whileDown: 'reads go to the primary' },
  });
  return { outages, lines };
}

const refused = (port: number) => Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), { code: 'ECONNREFUSED' });

describe('dependency outages: one line when an outage starts, one when it ends', () => {
  it('logs the first loss once, however many watchers and retries meet it, and without a stack', () => {
    const { outages, lines } = tracker();
    for (let retry = 0; retry < 20; retry++) {
      outages.lost('redis', 'notification bus (publish)', refused(6390));
      outages.lost('redis', 'notification bus (subscribe)', refused(6390));
      outages.lost('redis', 'rate limits', refused(6390));
    }
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        dependency: 'redis',
        noticedBy: 'notification bus (publish)',
        reason: 'connect ECONNREFUSED 127.0.0.1:6390',
        code: 'ECONNREFUSED',
        msg: 'Redis unreachable: notifications wait in the outbox',
      }),
    ]);
    expect(lines[0].err).toBeUndefined();
    expect(JSON.stringify(lines)).not.toMatch(/\s+at /);
  });

  it('ends the outage when the last watcher that lost it reaches it again: one info line', () => {
    const { outages, lines } = tracker();
    outages.lost('redis', 'publish', refused(1));
    outages.lost('redis', 'subscribe', refused(1));
    outages.restored('redis', 'publish');
    // A watcher that never lost it says nothing about this outage.
    outages.restored('redis', 'rate limits');
    expect(outages.isDown('redis')).toBe(true);
    expect(lines).toHaveLength(1);
    outages.restored('redis', 'subscribe');
    expect(outages.isDown('redis')).toBe(false);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ level: 30, dependency: 'redis', msg: expect.stringMatching(/^Redis reachable again after \d+\.\d s$/) });
    expect(lines[1].downForMs).toBeGreaterThanOrEqual(0);
    // Once back, reaching it again is silent; a new loss is a new outage with its own line.
    outages.restored('redis', 'subscribe');
    outages.lost('redis', 'subscribe', refused(1));
    expect(lines.map((line) => line.level)).toEqual([40, 30, 40]);
  });

  it('keeps each dependency apart', () => {
    const { outages, lines } = tracker();
    outages.lost('redis', 'bus', refused(1));
    outages.lost('read-replica', 'replica reads', refused(2));
    outages.restored('redis', 'bus');
    expect(outages.isDown('read-replica')).toBe(true);
    expect(lines.map((line) => `${line.level} ${line.dependency}`)).toEqual(['40 redis', '40 read-replica', '30 redis']);
  });

  it('takes a failure a dependency recognises as that dependency lost, and leaves any other error to the caller', () => {
    const { outages, lines } = tracker();
    expect(outages.failed('outbox', new Error('a bug'))).toBe(false);
    expect(lines).toEqual([]);
    // SERVICE_UNAVAILABLE from the transaction runner, wrapping the driver's error.
    expect(outages.failed('outbox', serviceUnavailable(refused(3306)))).toBe(true);
    expect(outages.failed('WebhookDeliveryWorker', serviceUnavailable(refused(3306)))).toBe(true);
    expect(outages.failed('outbox', new BusUnavailableError('Redis did not take the event', refused(6379)))).toBe(true);
    expect(lines.map((line) => [line.dependency, line.noticedBy, line.reason])).toEqual([
      ['database', 'outbox', 'connect ECONNREFUSED 127.0.0.1:3306'],
      ['redis', 'outbox', 'connect ECONNREFUSED 127.0.0.1:6379'],
    ]);
    // A successful round of a watcher reaches everything it had lost.
    outages.succeeded('outbox');
    expect(outages.isDown('redis')).toBe(false);
    expect(outages.isDown('database')).toBe(true);
    outages.succeeded('WebhookDeliveryWorker');
    expect(lines.filter((line) => line.level === 30).map((line) => line.dependency)).toEqual(['redis', 'database']);
  });

  it('does not take a pooled connection that stayed busy for an outage, but explains it during one', () => {
    const { outages, lines } = tracker();
    const busy = serviceUnavailable(new PoolAcquireTimeoutError(1000));
    expect(outages.failed('outbox', busy)).toBe(false);
    expect(outages.explains(busy)).toBe(false);
    expect(lines).toEqual([]);
    outages.lost('database', 'outbox', refused(3306));
    expect(outages.failed('WebhookDeliveryWorker', busy)).toBe(false);
    expect(outages.explains(busy)).toBe(true);
  });

  it('explains a failure only while its outage is logged, so code that meets it in passing can stay quiet', () => {
    const { outages } = tracker();
    const failure = serviceUnavailable(refused(3306));
    expect(outages.explains(failure)).toBe(false);
    outages.lost('database', 'outbox', failure);
    expect(outages.explains(failure)).toBe(true);
    expect(outages.explains(new Error('a bug'))).toBe(false);
    expect(outages.explains(new BusUnavailableError('not back yet'))).toBe(false);
    outages.restored('database', 'outbox');
    expect(outages.explains(failure)).toBe(false);
  });

  it('at debug level, says which watcher lost and reached the dependency, once each', () => {
    const { outages, lines } = tracker('debug');
    outages.lost('redis', 'outbox', refused(1));
    outages.lost('redis', 'outbox', refused(1));
    outages.restored('redis', 'outbox');
    expect(lines.map((line) => `${line.level} ${line.msg}`)).toEqual([
      '40 Redis unreachable: notifications wait in the outbox',
      '20 Redis lost by outbox',
      '20 Redis reached again by outbox',
      expect.stringMatching(/^30 Redis reachable again after/),
    ]);
  });

  it('names the innermost reason, through TypeORM and SERVICE_UNAVAILABLE wrappers', () => {
    const driverError = Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST' });
    const queryFailed = Object.assign(new Error('Query failed'), { driverError });
    expect(reasonOf(serviceUnavailable(queryFailed))).toEqual({
      reason: 'Connection lost: The server closed the connection.',
      code: 'PROTOCOL_CONNECTION_LOST',
    });
    expect(reasonOf('plain')).toEqual({ reason: 'plain' });
  });
});
