import { insertRows } from '../../src/database/bulk-insert';
import { AccountMovementEntity } from '../../src/balances/history/entities/account-movement.entity';
import { OutboxEventEntity } from '../../src/notifications/outbox.entity';
import { startTestServer, TestServer } from '../support/harness';
import { observeStatements } from '../support/query-counter';

describe('multi-row insert', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { OUTBOX_POLL_INTERVAL_MS: '600000' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('writes every value as TypeORM reads it back: bigints, dates to the millisecond, nulls', async () => {
    const accountId = `bulk-${Date.now()}`;
    const occurredAt = new Date('2026-10-01T23:59:59.999Z');
    const rows = [
      {
        accountId,
        transactionId: 9_007_199_254,
        type: 'USAGE',
        amountMicros: -123_456_789_012n,
        topUpBalanceAfterMicros: 1n,
        promotionalBalanceAfterMicros: 0n,
        counterpartyAccountId: null,
        reference: 'r1',
        description: null,
        occurredAt,
      },
      {
        accountId,
        transactionId: 9_007_199_255,
        type: 'TOP_UP',
        amountMicros: 9_000_000_000_000_000n,
        topUpBalanceAfterMicros: 2n,
        promotionalBalanceAfterMicros: 3n,
        counterpartyAccountId: 'other',
        reference: null,
        description: 'd, "quoted"',
        occurredAt,
      },
    ];
    await server.services.runner.transaction((manager) => insertRows(manager, AccountMovementEntity, rows as never));
    const read = await server.services.runner.read((manager) => manager.find(AccountMovementEntity, { where: { accountId }, order: { transactionId: 'ASC' } }));
    expect(read.map(({ id: _id, ...row }) => row)).toEqual(rows);
    expect(read.every((row) => typeof row.id === 'number')).toBe(true);
  });

  it('splits a batch over the bound-value limit into several statements, and falls back for rows that set different columns', async () => {
    const topic = `bulk-${Date.now()}`;
    const publishedAt = new Date('2026-10-02T00:00:00.000Z');
    const many = Array.from({ length: 5_001 }, (_, index) => ({
      topic,
      payload: `{"n":${index}}`,
      createdAt: publishedAt,
      leaseOwner: null,
      leaseUntil: null,
      publishedAt,
    }));
    const counter = observeStatements(server.services.dataSource);
    try {
      const sent = await counter.during(() => server.services.runner.transaction((manager) => insertRows(manager, OutboxEventEntity, many)));
      expect(sent.filter((statement) => statement.startsWith('INSERT'))).toHaveLength(2);
    } finally {
      counter.restore();
    }
    const mixed = [
      { topic: `${topic}-mixed`, payload: '{}', createdAt: publishedAt, leaseOwner: 'someone', leaseUntil: publishedAt, publishedAt },
      { topic: `${topic}-mixed`, payload: '{}', createdAt: publishedAt, publishedAt },
    ];
    await server.services.runner.transaction((manager) => insertRows(manager, OutboxEventEntity, mixed));
    const rows = await server.services.runner.read((manager) =>
      manager.find(OutboxEventEntity, { where: [{ topic }, { topic: `${topic}-mixed` }], order: { id: 'ASC' } }),
    );
    expect(rows).toHaveLength(5_003);
    expect(rows.slice(0, 5_001).map((row) => JSON.parse(row.payload).n)).toEqual(many.map((_row, index) => index));
    expect(rows.slice(5_001).map((row) => [row.leaseOwner, row.leaseUntil?.toISOString() ?? null])).toEqual([
      ['someone', publishedAt.toISOString()],
      [null, null],
    ]);
  });
});
