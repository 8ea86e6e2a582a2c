import { In } from 'typeorm';
import { z } from 'zod';
import { BalanceChanged } from '../../src/balances/balance-events';
import { defineEvent } from '../../src/common/event-definition';
import { OutboxEventEntity } from '../../src/notifications/outbox.entity';
import { eventsOf } from '../../src/notifications/subscription-access';
import { startTestServer, TestServer } from '../support/harness';

/** A stored outbox row as some release wrote it: the routing key, maybe a version, the wire payload. */
const row = (topic: string, stored: Record<string, unknown>) => ({
  topic,
  payload: JSON.stringify(stored),
  createdAt: new Date(),
  leaseOwner: null,
  leaseUntil: null,
  publishedAt: null,
});

const wire = (accountId: string, amountMicros: string) => ({
  accountId,
  topUpMicros: '5000000',
  promotionalMicros: '0',
  totalMicros: '5000000',
  movementType: 'TOP_UP',
  amountMicros,
  occurredAt: new Date().toISOString(),
});

describe('outbox: rows are read through their event type’s definition', () => {
  let server: TestServer;
  const lines: string[] = [];
  beforeAll(async () => {
    server = await startTestServer({ env: { LOG_LEVEL: 'warn' }, logDestination: { write: (line: string) => void lines.push(line) } });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('publishes rows of this release and of the format before versions, and leaves a newer version or an unknown type unpublished and logged', async () => {
    const accountId = `versions-${process.pid}`;
    const subscription = eventsOf(server.services.bus, BalanceChanged, accountId)[Symbol.asyncIterator]();
    const received = [subscription.next(), subscription.next()];
    await new Promise((resolve) => setTimeout(resolve, 50));

    const ids = await server.services.runner.transaction(async (manager) => {
      const inserted: number[] = [];
      for (const values of [
        row(BalanceChanged.topic, { key: accountId, payload: wire(accountId, '1000000') }), // written before event types had versions
        row(BalanceChanged.topic, { key: accountId, version: 2, payload: { ...wire(accountId, '2000000'), currency: 'credits' } }),
        row('SOMETHING_LATER', { key: accountId, version: 1, payload: { accountId } }),
        row(BalanceChanged.topic, { key: accountId, version: 1, payload: wire(accountId, '4000000') }),
      ]) {
        const result = await manager.insert(OutboxEventEntity, values);
        inserted.push(Number(result.identifiers[0].id));
      }
      return inserted;
    });
    await server.services.outbox.drain();

    const [first, second] = await Promise.all(received);
    expect([first.value, second.value]).toMatchObject([
      { eventId: ids[0], accountId, amountMicros: 1_000_000n, totalMicros: 5_000_000n },
      { eventId: ids[3], accountId, amountMicros: 4_000_000n },
    ]);
    await subscription.return?.(undefined);

    const rows = await server.services.runner.read((manager) => manager.find(OutboxEventEntity, { where: { id: In(ids) }, order: { id: 'ASC' } }));
    expect(rows.map((stored) => stored.publishedAt !== null)).toEqual([true, false, false, true]);
    // The unreadable rows keep their lease: claimed again once it lapses, by a release that may read them.
    for (const unread of rows.slice(1, 3)) expect(unread.leaseUntil!.getTime()).toBeGreaterThan(Date.now());

    const warnings = lines.filter((line) => line.includes('outbox event left unpublished')).map((line) => JSON.parse(line));
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ eventId: ids[1], topic: 'BALANCE_CHANGED', version: 2, reason: 'BALANCE_CHANGED v2 is newer than this release reads (v1)' }),
        expect.objectContaining({ eventId: ids[2], topic: 'SOMETHING_LATER', version: 1, reason: 'no event type SOMETHING_LATER in this release' }),
      ]),
    );
  });

  it('refuses to write an event type no module declares', async () => {
    const undeclared = defineEvent({ topic: 'UNDECLARED', version: 1, schema: z.object({ accountId: z.string() }), keyOf: (payload) => payload.accountId });
    await expect(server.services.runner.transaction((manager) => server.services.outbox.emit(manager, undeclared, [{ accountId: 'a' }]))).rejects.toThrow(
      'event type UNDECLARED is not declared by any module',
    );
  });
});
