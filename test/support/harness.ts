import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ClientError, GraphQLClient } from 'graphql-request';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/common/logger';
import { signToken } from '../../src/auth/jwt';
import { Role, Scope } from '../../src/auth/principal';
import { startServer, RunningServer } from '../../src/server/app';
import { createServices } from '../../src/server/services';
import { productionRefusalMessage, productionRefusals } from '../../src/server/production-posture';
import { auditLedger } from '../../src/ledger/ledger-audit';
import { demoModule } from '../../src/demo/demo.module';
import type { StandIns } from '../../src/demo/stand-ins';
import { MODULES } from '../../src/server/modules';
import { cloneTemplate, mysqlDriver, TEMPLATE_VARIABLE } from './mariadb-template';

export type TestDatabaseKind = 'sqlite' | 'mariadb';
export const TEST_DATABASE: TestDatabaseKind = process.env.TEST_DB === 'mariadb' ? 'mariadb' : 'sqlite';
export const MARIADB_ROOT_URL = process.env.TEST_MARIADB_URL ?? 'mariadb://root@127.0.0.1:3306';

export interface GraphQLResult<T = any> {
  data: T | null;
  errors: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
}

export interface TestServer extends RunningServer {
  /** A token for a user of an account, the admin, or the metering service. */
  userToken(accountId: string, role?: Role): Promise<string>;
  adminToken(): Promise<string>;
  meteringToken(): Promise<string>;
  /** Sends one operation over real HTTP; never throws on GraphQL errors. */
  call<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>>;
  /** Sends one operation and fails the test on any error. */
  ok<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  audit(): Promise<string[]>;
  /** The payment stand-ins this server was given (every test configuration runs without provider keys). */
  standIns: StandIns;
  /**
   * Waits until the background work settles: the outbox, the workers its consumers woke (webhooks,
   * auto-transfers, auto-recharge), the numbering of receipts and credit notes, and what they wrote,
   * so a statement count sees only the request.
   */
  settle(): Promise<void>;
}

interface TestServerOptions {
  seedDemoData?: boolean;
  env?: Record<string, string>;
  /** Where the server's log lines go (stdout by default): a test that reads what the server logged. */
  logDestination?: { write(line: string): void };
  /** Reuse an existing database (e.g. to restart a server on the same data). */
  database?: TestDatabaseHandle;
}

export interface TestDatabaseHandle {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file: a temporary SQLite file or a new MariaDB schema. Empty, unless
 * `migrated` (what `startTestServer` asks for): then on MariaDB a copy of the run's migrated template
 * (test/support/mariadb-template.ts), which the server's start-up finds with nothing to migrate. A
 * test that runs migrations itself, or meets an unmigrated database, asks for an empty one.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabaseHandle> {
  const name = `credits_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  if (TEST_DATABASE === 'sqlite') {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'credits-test-'));
    return {
      env: { SQLITE_PATH: path.join(directory, `${name}.sqlite`) },
      drop: async () => fs.rmSync(directory, { recursive: true, force: true }),
    };
  }
  const template = options.migrated ? process.env[TEMPLATE_VARIABLE] : undefined;
  const admin = await mysqlDriver().createConnection({ uri: MARIADB_ROOT_URL.replace(/^mariadb:/, 'mysql:'), multipleStatements: true });
  try {
    await admin.query(`CREATE DATABASE \`${name}\``);
    if (template) await cloneTemplate(admin, template, name);
  } finally {
    await admin.end();
  }
  return {
    env: { DATABASE_URL: `${MARIADB_ROOT_URL}/${name}`, DATABASE_RUN_MIGRATIONS: 'true', DATABASE_POOL_SIZE: '20' },
    drop: async () => {
      const connection = await mysqlDriver().createConnection({ uri: MARIADB_ROOT_URL.replace(/^mariadb:/, 'mysql:') });
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}

/**
 * Every test server raises the rate limits far above what any test sends (200 racing transfers,
 * random sequences and benchmarks all come from one principal and one IP); the rate-limit tests
 * set small explicit limits through `env`, which wins over these.
 */
export const TEST_RATE_LIMITS: Record<string, string> = Object.fromEntries(
  ['PRINCIPAL', 'IP', 'FAILED_AUTH', 'AUTHENTICATED_IP', 'PAYMENT', 'WEBHOOK'].map((bucket) => [`RATE_LIMIT_${bucket}_POINTS`, '1000000']),
);

/**
 * A production configuration that starts: every provider named (never called by these tests), a
 * real-length JWT secret and a public URL, as production requires.
 */
export const PRODUCTION_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  JWT_SECRET: 'p'.repeat(40),
  JWT_ISSUER: 'https://issuer.credits.example',
  JWT_AUDIENCE: 'credits-bff',
  CORS_ORIGINS: 'https://console.credits.example',
  // The SQLite project runs production on the embedded database, explicitly (MariaDB sets DATABASE_URL).
  ALLOW_SQLITE_IN_PRODUCTION: 'true',
  API_KEY_PEPPER: 'k'.repeat(40),
  PUBLIC_BASE_URL: 'https://credits.example',
  STRIPE_SECRET_KEY: 'sk_test_not_used',
  STRIPE_WEBHOOK_SECRET: 'whsec_not_used',
  PAYPAL_CLIENT_ID: 'not-used',
  PAYPAL_CLIENT_SECRET: 'not-used',
  PAYPAL_WEBHOOK_ID: 'not-used',
  PAYPAL_CERT_URL_ALLOW_LIST: 'https://api.paypal.example/certs/',
  PAYPAL_WEBHOOK_CERT_COMMON_NAME: 'messageverificationcerts.paypal.example',
  VNPAY_TMN_CODE: 'NOTUSED1',
  VNPAY_HASH_SECRET: 'not-used-secret',
  VNPAY_PAYMENT_URL: 'https://vnpay.example/pay',
  VNPAY_API_URL: 'https://vnpay.example/api',
  LOG_LEVEL: 'silent',
};

/**
 * Background jobs off (outbox poller, webhook delivery, auto-transfer and receipt-numbering workers,
 * promotional expiry job, top-up expiry sweep), for tests that count the SQL statements one request sends: a
 * job's statements would land in the count at random. Notifications are still published after each commit.
 */
export const QUIET_BACKGROUND_JOBS: Record<string, string> = {
  OUTBOX_POLL_INTERVAL_MS: '600000',
  WEBHOOK_POLL_INTERVAL_MS: '600000',
  AUTO_TRANSFER_POLL_INTERVAL_MS: '600000',
  EXPIRY_JOB_INTERVAL_MS: '0',
  TOPUP_EXPIRY_SWEEP_INTERVAL_MS: '3600000',
  RECEIPT_NUMBERING_POLL_INTERVAL_MS: '600000',
};

/** Starts the real server (HTTP + WebSocket) on a free port against a fresh database. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase({ migrated: true }));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SEED_DEMO_DATA: options.seedDemoData ? 'true' : 'false',
    OUTBOX_POLL_INTERVAL_MS: '100',
    ...TEST_RATE_LIMITS,
    ...database.env,
    ...options.env,
  });
  // The same refusals as src/main.ts: a production configuration the real process would refuse never starts here either.
  const refusals = productionRefusals(config);
  if (refusals.length > 0) throw new Error(productionRefusalMessage(refusals));
  // The embedded default's module: the payment stand-ins, and the demo seed when seedDemoData is on.
  const demo = demoModule();
  const services = await createServices(config, createLogger(config.logLevel, options.logDestination), { modules: [...MODULES, demo] });
  const server = await startServer(services);
  const secret = config.auth.hmacSecret!;
  const audience = { issuer: config.auth.issuer, audience: config.auth.audience };
  let subjectCounter = 0;
  const call = async <T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>> => {
    const client = new GraphQLClient(server.graphqlUrl, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    try {
      const data = await client.request<T>(query, variables);
      return { data, errors: [] };
    } catch (error) {
      if (error instanceof ClientError) {
        return { data: (error.response.data as T) ?? null, errors: (error.response.errors ?? []) as GraphQLResult['errors'] };
      }
      throw error;
    }
  };
  return {
    ...server,
    userToken: (accountId, role = Role.OWNER) => signToken(secret, { sub: `user-${++subjectCounter}`, accountId, role }, '12h', audience),
    adminToken: () => signToken(secret, { sub: 'admin', scopes: [Scope.ADMIN] }, '12h', audience),
    meteringToken: () => signToken(secret, { sub: 'metering', scopes: [Scope.USAGE_WRITE] }, '12h', audience),
    call,
    async ok<T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T> {
      const result = await call<T>(query, variables, token);
      if (result.errors.length > 0) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
      return result.data as T;
    },
    audit: () => auditLedger(services.dataSource),
    get standIns() {
      const standIns = demo.standIns();
      if (!standIns) throw new Error('this test server runs with provider keys, not the stand-ins');
      return standIns;
    },
    async settle() {
      // The start-up passes (late receipts and debit notes) read at the start of a server's life.
      await Promise.all([services.lateReceipts.finished(), services.lateDebitNotes.finished()]);
      await services.outbox.drain();
      await services.webhookWorker.drain();
      await services.autoTransferWorker.drain();
      await services.autoRechargeWorker.drain();
      await services.receiptNumbering.drain();
      await services.creditNoteNumbering.drain();
      await services.debitNoteNumbering.drain();
      await services.outbox.drain();
    },
    async stop() {
      await server.stop();
      if (!options.database) await database.drop();
    },
  };
}

/** The codes of a result's errors, for `expect(codes(result)).toEqual(['FORBIDDEN'])`. */
export const codes = (result: GraphQLResult) => result.errors.map((error) => error.extensions?.code);
