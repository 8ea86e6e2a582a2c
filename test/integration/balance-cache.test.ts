import { In } from 'typeorm';
import { formatMicros } from '../../src/common/money';
import { WalletEntity } from '../../src/ledger/entities/wallet.entity';
import { newKey } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';
import { credits, partnerWithCustomer, TRANSFER } from '../support/partners';
import { observeStatements } from '../support/query-counter';

const BALANCES = /* GraphQL */ `
  query Balances($id: ID!) {
    balances(accountId: $id) {
      totalBalance
      topUpBalance
    }
  }
`;

/** An account's total balance straight from its wallet rows, as the API formats it. */
async function walletTotal(server: TestServer, accountId: string): Promise<string> {
  const wallets = await server.services.runner.read((manager) => manager.find(WalletEntity, { where: { accountId: In([accountId]) } }));
  return formatMicros(
    wallets.filter((wallet) => wallet.kind === 'TOPUP' || wallet.kind === 'PROMOTIONAL').reduce((sum, wallet) => sum + wallet.balanceMicros, 0n),
  );
}

describe('balance cache', () => {
  let server: TestServer;
  // A long time to live, so only invalidation can make a read see a new balance.
  beforeAll(async () => {
    server = await startTestServer({ env: { BALANCE_CACHE_MS: '60000', OUTBOX_POLL_INTERVAL_MS: '600000' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers a repeated read without the database, and reads again after a transfer commits', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(100));
    const customerToken = await server.userToken(customerId);
    const counter = observeStatements(server.services.dataSource);
    try {
      // Only reads of the wallets count: the outbox publishing after the funding may run meanwhile.
      const walletReads = (statements: string[]) => statements.filter((statement) => /FROM `?wallet`?/.test(statement));
      const read = async (id: string, token: string) => walletReads(await counter.during(() => server.ok(BALANCES, { id }, token)));
      expect(await read(customerId, customerToken)).toHaveLength(1);
      expect(await read(customerId, customerToken)).toEqual([]);
      await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '7', idempotencyKey: newKey() } }, ownerToken);
      let answer: any;
      const statements = await counter.during(async () => (answer = await server.ok(BALANCES, { id: customerId }, customerToken)));
      expect(walletReads(statements)).toHaveLength(1);
      expect(answer.balances.totalBalance).toBe('7.000000');
      expect((await server.ok(BALANCES, { id: partnerId }, ownerToken)).balances.totalBalance).toBe('93.000000');
    } finally {
      counter.restore();
    }
  });

  it('returns the committed balances right after concurrent transfers, with reads racing them', async () => {
    const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(1_000));
    const customerToken = await server.userToken(customerId);
    const balanceOf = async (id: string, token: string) => (await server.ok(BALANCES, { id }, token)).balances.totalBalance as string;
    let sent = 0n;
    for (let round = 0; round < 4; round++) {
      await balanceOf(partnerId, ownerToken); // cached before the round
      const transfers = Array.from({ length: 12 }, (_, index) => {
        sent += BigInt(index + 1);
        return server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: String(index + 1), idempotencyKey: newKey() } }, ownerToken);
      });
      // Reads racing the transfers may see any balance in between; they must not leave one behind.
      const racing = Array.from({ length: 12 }, (_, index) => (index % 2 ? balanceOf(partnerId, ownerToken) : balanceOf(customerId, customerToken)));
      await Promise.all([...transfers, ...racing]);
      expect(await balanceOf(partnerId, ownerToken)).toBe(formatMicros(credits(1_000) - credits(sent)));
      expect(await balanceOf(customerId, customerToken)).toBe(formatMicros(credits(sent)));
      expect(await balanceOf(partnerId, ownerToken)).toBe(await walletTotal(server, partnerId));
      expect(await balanceOf(customerId, customerToken)).toBe(await walletTotal(server, customerId));
    }
    expect(await server.audit()).toEqual([]);
  });

  it('reads the database every time when turned off', async () => {
    const plain = await startTestServer({ env: { BALANCE_CACHE_MS: '0' } });
    try {
      const { customerId } = await partnerWithCustomer(plain, 0n);
      const token = await plain.userToken(customerId);
      await plain.ok(BALANCES, { id: customerId }, token);
      const counter = observeStatements(plain.services.dataSource);
      try {
        const statements = await counter.during(() => plain.ok(BALANCES, { id: customerId }, token));
        expect(statements.filter((statement) => /FROM `?wallet`?/.test(statement))).toHaveLength(1);
      } finally {
        counter.restore();
      }
    } finally {
      await plain.stop();
    }
  });
});
