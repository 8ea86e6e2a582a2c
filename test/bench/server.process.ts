import 'reflect-metadata';
import { setTimeout } from 'node:timers/promises';
import { IsNull } from 'typeorm';
import { Role } from '../../src/auth/principal';
import { ReceiptEntity } from '../../src/payments/receipts/entities/receipt.entity';
import { createAccount, UPDATE_BILLING, VALID_BILLING } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';
import { CREATE_TOP_UP, RETURN_URL } from '../support/top-ups';
import { appendMovements, appendSummaryActivity, copyPaidTopUp, historyCursorAt } from './data';
import { serveBenchOperations } from './processes';

/**
 * The server under load, alone in its process: the real app (express, Apollo, graphql-ws) on a
 * fresh database, logging at BENCH_LOG_LEVEL (info, as in production) to /dev/null. Set-up (accounts,
 * real top-ups, bulk data) and read-outs (audit, counters, memory) come from the parent over IPC.
 */
async function main(): Promise<void> {
  const server = await startTestServer({ env: { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', OUTBOX_POLL_INTERVAL_MS: '1000', ...extraEnv() } });
  let statements = 0;
  const logger = server.services.dataSource.logger;
  const logQuery = logger.logQuery.bind(logger);
  logger.logQuery = (query, parameters, queryRunner) => {
    statements++;
    return logQuery(query, parameters, queryRunner);
  };
  const stripe = server.standIns.stripe;
  let keyCounter = 0;

  serveBenchOperations(
    { graphqlUrl: server.graphqlUrl, websocketUrl: server.websocketUrl, dialect: server.services.runner.dialect },
    {
      userToken: async ({ accountId, role }) => server.userToken(accountId, role ?? Role.OWNER),
      adminToken: async () => server.adminToken(),
      meteringToken: async () => server.meteringToken(),
      createAccounts: async ({ count, kind, partnerId, region }) => {
        const ids: string[] = [];
        for (let index = 0; index < count; index += 8) {
          const chunk = Math.min(8, count - index);
          ids.push(...(await Promise.all(Array.from({ length: chunk }, () => createAccount(server, { kind, partnerId, region })))));
        }
        return ids;
      },
      /** A real purchase: billing information, a Stripe top-up, and the stand-in's signed `payment_intent.succeeded` webhook. */
      fundByTopUp: async ({ accountId, amount }) => {
        const owner = await server.userToken(accountId, Role.OWNER);
        await server.ok(UPDATE_BILLING, { accountId, input: { ...VALID_BILLING, country: 'US' } }, owner);
        const { createTopUp } = await server.ok(
          CREATE_TOP_UP,
          { input: { amount, method: 'STRIPE', idempotencyKey: `bench-top-up-${process.pid}-${++keyCounter}`, returnUrl: RETURN_URL } },
          owner,
        );
        const delivery = (await stripe.succeed(createTopUp.providerReference)).delivery;
        if (delivery?.status !== 200) throw new Error(`the top-up webhook was answered ${delivery?.status}`);
        return createTopUp.id;
      },
      appendMovements: async ({ accountIds, rows, startId }) => appendMovements(server, { accountIds, rows, startId }),
      appendSummaryActivity: async ({ accountIds, rows, startId, from }) => appendSummaryActivity(server, { accountIds, rows, startId, from }),
      historyCursor: async ({ accountId, depth }) => historyCursorAt(server, accountId, depth),
      copyPaidTopUp: async ({ topUpId, rows }) => copyPaidTopUp(server, { topUpId, rows }),
      /** One pass of the start-up job that issues the receipts of purchases paid without one, timed here, and until they are numbered. */
      issueLateReceipts: async () => {
        const started = performance.now();
        const issued = await server.services.lateReceipts.issueAll();
        const issueMs = performance.now() - started;
        while ((await server.services.dataSource.getRepository(ReceiptEntity).countBy({ sequence: IsNull() })) > 0) await setTimeout(50);
        return { issued, issueMs, numberedMs: performance.now() - started };
      },
      audit: async () => server.audit(),
      /** Waits until every committed event is published, so a workload's backlog is not drained during the next one's run. */
      settle: async () => server.services.outbox.drain(),
      /** Statements the app sent (TypeORM's logger hook), and on MariaDB the server's own counters. */
      counters: async () => ({ appStatements: statements, database: await databaseCounters(server) }),
      memory: async () => process.memoryUsage(),
    },
    () => server.stop(),
  );
}

/** BENCH_SERVER_ENV='{"NAME":"value"}' passes settings to the server under test (e.g. raised limits). */
function extraEnv(): Record<string, string> {
  return process.env.BENCH_SERVER_ENV ? (JSON.parse(process.env.BENCH_SERVER_ENV) as Record<string, string>) : {};
}

const COUNTERS = [
  'Questions',
  'Com_select',
  'Com_insert',
  'Com_insert_select',
  'Com_update',
  'Com_delete',
  'Com_begin',
  'Com_commit',
  'Com_rollback',
  'Com_savepoint',
  'Com_release_savepoint',
  'Com_stmt_execute',
];

async function databaseCounters(server: TestServer): Promise<Record<string, number> | null> {
  if (server.services.runner.dialect !== 'mysql') return null;
  const rows = (await server.services.dataSource.query(`SHOW GLOBAL STATUS WHERE Variable_name IN (${COUNTERS.map((name) => `'${name}'`).join(', ')})`)) as {
    Variable_name: string;
    Value: string;
  }[];
  return Object.fromEntries(rows.map((row) => [row.Variable_name, Number(row.Value)]));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
