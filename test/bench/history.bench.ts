import { createAccount } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';
import { compare, expectGraphQLData, measureThroughput } from './load';

const TYPES = ['TOP_UP', 'USAGE', 'TRANSFER_IN', 'PROMOTIONAL_GRANT'];

/**
 * Appends `count` history rows, spread over a year and over `accounts`, straight into
 * account_movement (the ledger would take hours to post millions). Only the read path is measured.
 */
async function appendMovements(server: TestServer, accounts: string[], startId: number, count: number): Promise<void> {
  const batch = 50_000;
  const accountList = accounts.map((id) => `'${id}'`);
  for (let offset = 0; offset < count; offset += batch) {
    const size = Math.min(batch, count - offset);
    const first = startId + offset;
    const accountExpr = `CASE (n % ${accounts.length}) ${accountList.map((id, index) => `WHEN ${index} THEN ${id}`).join(' ')} END`;
    const typeExpr = `CASE (n % ${TYPES.length}) ${TYPES.map((type, index) => `WHEN ${index} THEN '${type}'`).join(' ')} END`;
    if (server.services.runner.dialect === 'mysql') {
      await server.services.dataSource.query(
        `INSERT INTO account_movement (accountId, transactionId, type, amountMicros, topUpBalanceAfterMicros, promotionalBalanceAfterMicros, occurredAt)
         SELECT ${accountExpr}, n, ${typeExpr}, 1000000, n, 0, TIMESTAMPADD(SECOND, n * 3, '2025-01-01 00:00:00')
         FROM (SELECT seq AS n FROM seq_${first}_to_${first + size - 1}) numbers`,
      );
    } else {
      await server.services.runner.transaction((manager) =>
        manager.query(
          `WITH RECURSIVE numbers(n) AS (SELECT ${first} UNION ALL SELECT n + 1 FROM numbers WHERE n < ${first + size - 1})
           INSERT INTO account_movement (accountId, transactionId, type, amountMicros, topUpBalanceAfterMicros, promotionalBalanceAfterMicros, occurredAt)
           SELECT ${accountExpr}, n, ${typeExpr}, 1000000, n, 0, strftime('%Y-%m-%d %H:%M:%f', '2025-01-01', '+' || (n * 3) || ' seconds')
           FROM numbers`,
        ),
      );
    }
  }
}

/**
 * A credit-history page (first page, a page deep in the history by cursor, and a type+period
 * filtered page) on a database of N rows and on one of 10 x N rows, measured in alternating
 * rounds: the ratio should stay near 100%.
 */
export async function historyBenchmark(settings: { durationMs: number; rounds: number; concurrency: number }) {
  const smallRows = Number(process.env.BENCH_HISTORY_ROWS ?? 200_000);
  const small = await historyServer(smallRows, settings);
  const large = await historyServer(smallRows * 10, settings);
  try {
    await small.measure(); // warm-up
    await large.measure();
    const result = await compare({ rounds: settings.rounds, baseline: small.measure, candidate: large.measure });
    return {
      name: `creditHistory pages at ${(smallRows * 10).toLocaleString('en')} vs ${smallRows.toLocaleString('en')} rows`,
      baselineLabel: `${smallRows.toLocaleString('en')} rows`,
      candidateLabel: `${(smallRows * 10).toLocaleString('en')} rows`,
      target: 0.9,
      ...result,
    };
  } finally {
    await small.server.stop();
    await large.server.stop();
  }
}

async function historyServer(rows: number, settings: { durationMs: number; concurrency: number }) {
  const server = await startTestServer();
  const accounts = await Promise.all(Array.from({ length: 10 }, () => createAccount(server)));
  await appendMovements(server, accounts, 1, rows);
  const token = await server.userToken(accounts[0]);
  const query = `query($id: ID!, $after: String, $filter: CreditHistoryFilterInput) {
    creditHistory(accountId: $id, first: 20, after: $after, filter: $filter) { edges { cursor node { id amount balanceAfter type occurredAt } } pageInfo { hasNextPage endCursor } } }`;
  // The rows span rows x 3 seconds from 2025-01-01; the deep cursor and the filter sit in the middle.
  const middle = Date.parse('2025-01-01T00:00:00Z') + Math.floor(rows / 2) * 3000;
  const variants = [
    { id: accounts[0] },
    { id: accounts[0], after: Buffer.from(`${middle}:999999999`).toString('base64url') },
    { id: accounts[0], filter: { types: ['USAGE'], from: new Date(middle - 86_400_000).toISOString(), to: new Date(middle).toISOString() } },
  ];
  let next = 0;
  const measure = () =>
    measureThroughput({
      url: server.graphqlUrl,
      body: () => JSON.stringify({ query, variables: variants[next++ % variants.length] }),
      headers: { authorization: `Bearer ${token}` },
      concurrency: settings.concurrency,
      durationMs: settings.durationMs,
      check: expectGraphQLData,
    });
  return { server, measure };
}
