import { EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '../../src/common/domain-error';
import { GroupCommit } from '../../src/database/group-commit';
import { TransactionBatcher } from '../support/transaction-batcher';
import { TransactionRunner } from '../../src/database/transaction-runner';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletKind } from '../../src/ledger/ledger.enums';
import { createAccount } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';

/** Counts the database transactions actually opened, to see batches form. */
class CountingRunner extends TransactionRunner {
  transactions = 0;
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    this.transactions++;
    return super.transaction(work);
  }
}

describe('TransactionBatcher', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const topUp = (accountId: string, key: string, credits: bigint) => (manager: EntityManager) =>
    server.services.ledger.post(manager, {
      type: LedgerTransactionType.TOP_UP,
      idempotencyKey: key,
      legs: [
        { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PAYMENT_CLEARING, amountMicros: -credits * 1_000_000n },
        { accountId, walletKind: WalletKind.TOPUP, amountMicros: credits * 1_000_000n },
      ],
    });

  it('runs racing work for one key in fewer transactions, and a refused unit rolls back only itself', async () => {
    const accountId = await createAccount(server);
    const runner = new CountingRunner(server.services.dataSource, server.services.outages);
    const batcher = new TransactionBatcher(runner);
    const jobs = Array.from({ length: 30 }, (_, index) =>
      batcher.run(accountId, async (manager) => {
        const posting = await topUp(accountId, `batch-${accountId}-${index}`, 1n)(manager);
        // Every third unit fails after writing: its posting must vanish, the others must stay.
        if (index % 3 === 0) throw new DomainError(ErrorCode.BAD_USER_INPUT, `unit ${index} refused`);
        return posting.transaction.id;
      }),
    );
    const outcomes = await Promise.allSettled(jobs);
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(refused).toHaveLength(10);
    expect(refused.every((outcome) => (outcome as PromiseRejectedResult).reason.message.startsWith('unit'))).toBe(true);
    expect(runner.transactions).toBeLessThan(30);

    const result = await server.ok(`query($id: ID!) { balances(accountId: $id) { topUpBalance } }`, { id: accountId }, await server.userToken(accountId));
    expect(result.balances.topUpBalance).toBe('20.000000');
    const keys = await server.services.runner.read((manager) =>
      manager.query(`SELECT COUNT(*) AS count FROM ledger_transaction WHERE idempotencyKey LIKE 'batch-${accountId}-%'`),
    );
    expect(Number(keys[0].count)).toBe(20);
    expect(await server.audit()).toEqual([]);
  });

  it('keeps separate keys in separate batches and reports a lone failure', async () => {
    const accountId = await createAccount(server);
    const batcher = new TransactionBatcher(server.services.runner);
    const lone = batcher.run(`${accountId}-alone`, async (manager) => {
      await topUp(accountId, `lone-${accountId}`, 5n)(manager);
      throw new DomainError(ErrorCode.INSUFFICIENT_CREDITS, 'refused after writing');
    });
    await expect(lone).rejects.toMatchObject({ code: ErrorCode.INSUFFICIENT_CREDITS });
    const ok = await batcher.run(accountId, (manager) => topUp(accountId, `ok-${accountId}`, 2n)(manager));
    expect(ok.balances.get(accountId)?.topUpMicros).toBe(2_000_000n);
    expect(await server.audit()).toEqual([]);
  });

  it('fills a group commit by weight: an item heavier than the limit runs alone, never split; light items share', async () => {
    const runner = new CountingRunner(server.services.dataSource, server.services.outages);
    const batches: number[][] = [];
    const group = new GroupCommit<number, number>(
      runner,
      async (_manager, items) => {
        batches.push(items);
        return items.map((value) => ({ ok: true as const, value }));
      },
      { maxBatch: 10, weightOf: (weight) => weight },
    );
    // The first item starts a transaction at once; the others queue behind it and are taken by weight.
    const weights = [1, 4, 4, 3, 25, 2, 2, 10, 1];
    expect(await Promise.all(weights.map((weight) => group.submit('key', weight)))).toEqual(weights);
    // In order, each batch within the weight (or one item alone), and filled: the next item would not have fitted.
    const sum = (items: number[]) => items.reduce((total, weight) => total + weight, 0);
    expect(batches.flat()).toEqual(weights);
    expect(batches).toContainEqual([25]);
    for (const [index, batch] of batches.entries()) {
      if (batch.length > 1) expect(sum(batch)).toBeLessThanOrEqual(10);
      if (index > 0 && index < batches.length - 1) expect(sum(batch) + batches[index + 1][0]).toBeGreaterThan(10);
    }
    expect(batches.length).toBeGreaterThanOrEqual(5);
    expect(runner.transactions).toBe(batches.length);
  });
});
