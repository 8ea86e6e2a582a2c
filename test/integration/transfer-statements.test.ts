import { DomainError, ErrorCode } from '../../src/common/domain-error';
import { TransferBatchMode } from '../../src/partners/transfers/transfer-batch.enums';
import { createAccount, newKey } from '../support/fixtures';
import { QUIET_BACKGROUND_JOBS, startTestServer, TestServer } from '../support/harness';
import { credits, fundTopUp } from '../support/partners';
import { observeStatements } from '../support/query-counter';

/**
 * Group commit posts a batch of transfers set-wise: the SQL it sends does not grow with the number
 * of transfers in the batch (the multi-row inserts carry more rows, not more statements).
 */
describe('set-based group commit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: QUIET_BACKGROUND_JOBS });
  });
  afterAll(async () => {
    await server.stop();
  });

  /**
   * Transfers submitted together. On MariaDB the queue runs the first in its own transaction and all
   * the others in the next one, as one batch; on SQLite it first lets the event loop turn, so all of
   * them share one. Either way the count of transactions does not depend on how many were submitted.
   */
  async function transfersTogether(partnerAccountId: string, customers: string[], amountMicros = credits(1)) {
    const { transfers } = server.services;
    const transfer = (customerAccountId: string) => transfers.transfer({ partnerAccountId, customerAccountId, amountMicros, idempotencyKey: newKey() });
    const observer = observeStatements(server.services.dataSource);
    try {
      let outcomes: PromiseSettledResult<unknown>[] = [];
      const statements = await observer.during(async () => {
        outcomes = await Promise.allSettled(customers.map(transfer));
      });
      return { statements, outcomes };
    } finally {
      observer.restore();
    }
  }

  async function customersOf(partnerId: string, count: number): Promise<string[]> {
    const customers: string[] = [];
    for (let index = 0; index < count; index++) customers.push(await createAccount(server, { partnerId }));
    return customers;
  }

  it('sends as many statements for 64 transfers submitted together as for 8', async () => {
    const partnerId = await createAccount(server, { kind: 'PARTNER' });
    await fundTopUp(server, partnerId, credits(1_000));
    const customers = await customersOf(partnerId, 2 + 8 + 64);
    // The outbox relay's round after each commit, and the start-up passes, would mix their statements into the count.
    await server.settle();
    await server.services.outbox.stop();
    try {
      await transfersTogether(partnerId, customers.slice(0, 1)); // the partner's wallet ids are cached from here on
      const lone = await transfersTogether(partnerId, customers.slice(1, 2));
      const batchOf8 = await transfersTogether(partnerId, customers.slice(2, 10));
      const batchOf64 = await transfersTogether(partnerId, customers.slice(10, 74));
      for (const run of [lone, batchOf8, batchOf64]) expect(run.outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true);

      const inserts = (statements: string[]) => statements.filter((sql) => /^\s*INSERT/i.test(sql)).length;
      if (process.env.SHOW_STATEMENT_COUNTS) {
        const perTransfer = (count: number, transfers: number) => `${count} (${(count / transfers).toFixed(2)}/transfer)`;
        console.log(
          `statements: 1 transfer ${lone.statements.length}; 8 together ${perTransfer(batchOf8.statements.length, 8)}; ` +
            `64 together ${perTransfer(batchOf64.statements.length, 64)}`,
        );
      }
      expect(batchOf64.statements.length).toBe(batchOf8.statements.length);
      expect(inserts(batchOf64.statements)).toBe(inserts(batchOf8.statements));
      expect(batchOf64.statements.length / 64).toBeLessThanOrEqual(0.5);
    } finally {
      server.services.outbox.start();
      await server.services.outbox.drain();
    }
    const balances = await server.services.balances.balancesOf([partnerId, customers[73]]);
    expect(balances.map((balance) => balance.topUpMicros)).toEqual([credits(1_000 - 74), credits(1)]);
    expect(await server.audit()).toEqual([]);
  });

  it('refuses only the transfers of a batch that do not fit, in arrival order', async () => {
    const partnerId = await createAccount(server, { kind: 'PARTNER' });
    await fundTopUp(server, partnerId, credits(10));
    const customers = await customersOf(partnerId, 7);
    // 1 + 4 + 4 + 1 + 4 + 1 + 1: after the first three (9 credits) a 4 no longer fits, a 1 still does.
    const amounts = [1, 4, 4, 4, 1, 4, 1].map((amount) => credits(amount));
    const outcomes = await Promise.allSettled(
      customers.map((customerAccountId, index) =>
        server.services.transfers.transfer({ partnerAccountId: partnerId, customerAccountId, amountMicros: amounts[index], idempotencyKey: newKey() }),
      ),
    );
    const refused = outcomes.map((outcome) => (outcome.status === 'rejected' && outcome.reason instanceof DomainError ? outcome.reason.code : null));
    expect(refused).toEqual([null, null, null, ErrorCode.INSUFFICIENT_CREDITS, null, ErrorCode.INSUFFICIENT_CREDITS, ErrorCode.INSUFFICIENT_CREDITS]);
    const [partner] = await server.services.balances.balancesOf([partnerId]);
    expect(partner.topUpMicros).toBe(0n);
    expect(await server.audit()).toEqual([]);
  });

  it('sends as many statements for a transfer batch of 200 rows as for one of 10, in either mode, refused rows included', async () => {
    const partnerId = await createAccount(server, { kind: 'PARTNER' });
    await fundTopUp(server, partnerId, credits(10_000));
    const customers = await customersOf(partnerId, 10);
    const batch = (mode: TransferBatchMode, count: number, amountMicros = credits(1)) =>
      server.services.transferBatches.transferBatch({
        partnerAccountId: partnerId,
        idempotencyKey: newKey(),
        mode,
        // Every tenth row names a customer of nobody: refused alone, or refusing the whole batch.
        rows: Array.from({ length: count }, (_, index) => ({
          customerAccountId: index % 10 === 9 ? 'no-such-customer' : customers[index % customers.length],
          amountMicros,
        })),
      });
    await batch(TransferBatchMode.EACH_ON_ITS_OWN, 10); // the wallet ids are cached from here on
    await server.settle();
    const observer = observeStatements(server.services.dataSource);
    await server.services.outbox.stop();
    try {
      const counts: Record<string, number> = {};
      for (const mode of [TransferBatchMode.EACH_ON_ITS_OWN, TransferBatchMode.ALL_OR_NOTHING]) {
        for (const count of [10, 200]) {
          let okCount = 0;
          const statements = await observer.during(async () => {
            okCount = (await batch(mode, count)).totals.okCount;
          });
          expect(okCount).toBe(mode === TransferBatchMode.EACH_ON_ITS_OWN ? count - count / 10 : 0);
          counts[`${mode} ${count}`] = statements.length;
        }
      }
      if (process.env.SHOW_STATEMENT_COUNTS) console.log('transfer batch statements', counts);
      expect(counts['EACH_ON_ITS_OWN 200']).toBe(counts['EACH_ON_ITS_OWN 10']);
      expect(counts['ALL_OR_NOTHING 200']).toBe(counts['ALL_OR_NOTHING 10']);
      expect(counts['EACH_ON_ITS_OWN 200']).toBeLessThanOrEqual(30);
    } finally {
      observer.restore();
      server.services.outbox.start();
      await server.services.outbox.drain();
    }
    expect(await server.audit()).toEqual([]);
  });

  it('records a usage batch of 50 events with as many statements as one of 10', async () => {
    const accounts = [await createAccount(server), await createAccount(server)];
    await fundTopUp(server, accounts[0], credits(100));
    const record = (count: number) =>
      server.services.usage.record(
        Array.from({ length: count }, (_, index) => ({
          eventId: `statements-${newKey()}`,
          accountId: accounts[index % 2],
          service: 'compute',
          amountMicros: 10_000n,
          occurredAt: new Date(),
        })),
      );
    await record(2); // the accounts' wallet ids and expiry checks are cached from here on
    await server.settle();
    const observer = observeStatements(server.services.dataSource);
    await server.services.outbox.stop();
    try {
      const of10 = await observer.during(() => record(10));
      const of50 = await observer.during(() => record(50));
      if (process.env.SHOW_STATEMENT_COUNTS) console.log(`usage statements: 10 events ${of10.length}; 50 events ${of50.length}`);
      expect(of50.length).toBe(of10.length);
    } finally {
      observer.restore();
      server.services.outbox.start();
      await server.services.outbox.drain();
    }
    expect(await server.audit()).toEqual([]);
  });
});
