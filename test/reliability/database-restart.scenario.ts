import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { signToken } from '../../src/auth/jwt';
import { demoModule } from '../../src/demo/demo.module';
import { MODULES } from '../../src/server/modules';
import { Role, Scope } from '../../src/auth/principal';
import { DEVELOPMENT_JWT_SECRET, loadConfig } from '../../src/config';
import { createLogger } from '../../src/common/logger';
import { auditLedger } from '../../src/ledger/ledger-audit';
import { UNTHROTTLED } from './support/server-process';
import { LedgerTransactionType, SYSTEM_ACCOUNT_ID, WalletKind } from '../../src/ledger/ledger.enums';
import { closeServices, createServices } from '../../src/server/services';
import { PrivateMariaDb } from '../support/private-mariadb';
import { EntryProcess, spawnEntry } from '../support/server-process';
import type { ScenarioOptions, ScenarioResult } from './scenario';

const MICROS_PER_CREDIT = 1_000_000n;
const TRANSFER = `mutation T($input: TransferCreditsInput!) { transferCredits(input: $input) { transfer { id amount } } }`;
const BALANCES = `query B($accountId: ID!) { balances(accountId: $accountId) { topUpBalance } }`;
const CREATE_ACCOUNT = `mutation C($input: CreateAccountInput!) { createAccount(input: $input) { id } }`;

/** What one HTTP request came back with: the status and the first error code, if any. */
interface Answer {
  status: number;
  code: string | null;
  data: any;
}

/**
 * Database restart: the real server (a child process) runs on a MariaDB of the scenario's own,
 * under concurrent transfers (each with its idempotency key) and reads. MariaDB is killed (SIGKILL)
 * and, after a while, started again on the same data directory. While it is down, clients may see
 * only SERVICE_UNAVAILABLE (HTTP 503); the server must recover without a restart; clients replay
 * every transfer that was not acknowledged, with its key; then every acknowledged transfer exists
 * exactly once and the ledger audit is clean.
 */
export async function run(options: ScenarioOptions): Promise<ScenarioResult> {
  const failures: string[] = [];
  const figures: Record<string, string | number> = {};
  const clients = options.quick ? 6 : 16;
  const outageMs = options.quick ? 3000 : 8000;
  const loadAroundMs = options.quick ? 1500 : 4000;

  const database = await PrivateMariaDb.start();
  let server: ServerProcess | null = null;
  try {
    const databaseUrl = await database.createDatabase(`credits_restart_${randomBytes(4).toString('hex')}`);
    // No balance cache: every read during the outage must reach the database. A balance cached just
    // before it would rightly answer 200 for up to BALANCE_CACHE_MS (as documented), which is not what
    // this scenario measures.
    const env = {
      ...UNTHROTTLED,
      DATABASE_URL: databaseUrl,
      DATABASE_RUN_MIGRATIONS: 'true',
      DATABASE_POOL_SIZE: '10',
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      BALANCE_CACHE_MS: '0',
    };
    server = await ServerProcess.start(env);
    const admin = await signToken(DEVELOPMENT_JWT_SECRET, { sub: 'admin', scopes: [Scope.ADMIN] });
    const suffix = randomBytes(3).toString('hex');
    const partnerId = `restart-partner-${suffix}`;
    await server.ok(CREATE_ACCOUNT, { input: { id: partnerId, kind: 'PARTNER', name: 'Restart partner', region: 'VN', status: 'ACTIVE' } }, admin);
    const customers: string[] = [];
    for (let index = 0; index < 4; index++) {
      const id = `restart-customer-${suffix}-${index}`;
      await server.ok(CREATE_ACCOUNT, { input: { id, kind: 'CUSTOMER', name: `Customer ${index}`, region: 'VN', status: 'ACTIVE', partnerId } }, admin);
      customers.push(id);
    }
    const startingMicros = 1_000_000n * MICROS_PER_CREDIT;
    await fundPartner(env, partnerId, startingMicros);
    const owner = await signToken(DEVELOPMENT_JWT_SECRET, { sub: 'owner', accountId: partnerId, role: Role.OWNER });

    // Each transfer key moves exactly 1 credit once acknowledged.
    const acknowledged = new Map<string, string>();
    const unacknowledged = new Set<string>();
    const outage = { active: false, requests: 0, codes: new Map<string, number>(), otherCodes: 0, non503: 0 };
    const unexpected: string[] = [];
    let firstSuccessAfterRestart: number | null = null;
    let restartedAt: number | null = null;
    let stop = false;
    let keyCounter = 0;

    const record = (answer: Answer, during: boolean) => {
      if (during) {
        outage.requests++;
        const label = answer.code ?? `HTTP ${answer.status}`;
        outage.codes.set(label, (outage.codes.get(label) ?? 0) + 1);
        if (answer.code !== 'SERVICE_UNAVAILABLE') outage.otherCodes++;
        if (answer.status >= 500 && answer.status !== 503) outage.non503++;
      } else if (answer.code !== null && answer.code !== 'SERVICE_UNAVAILABLE') {
        unexpected.push(`${answer.status} ${answer.code}`);
      }
      if (answer.code === null && restartedAt !== null && firstSuccessAfterRestart === null) firstSuccessAfterRestart = Date.now();
    };

    const transferOnce = async (key: string, customer: string) => {
      const during = outage.active;
      const answer = await server!.post(TRANSFER, { input: { customerAccountId: customer, amount: '1', idempotencyKey: key } }, owner);
      record(answer, during);
      if (answer.code === null && answer.data?.transferCredits) {
        acknowledged.set(key, answer.data.transferCredits.transfer.id);
        unacknowledged.delete(key);
      } else {
        unacknowledged.add(key);
      }
    };

    const client = async (index: number) => {
      while (!stop) {
        const customer = customers[index % customers.length];
        if (Math.random() < 0.3) {
          const during = outage.active;
          record(await server!.post(BALANCES, { accountId: partnerId }, owner), during);
        } else {
          await transferOnce(`restart-${suffix}-${index}-${++keyCounter}`, customer);
        }
      }
    };

    const load = Array.from({ length: clients }, (_, index) => client(index));
    await sleep(loadAroundMs);
    await database.kill();
    outage.active = true;
    const outageStarted = Date.now();
    await sleep(outageMs);
    outage.active = false;
    const restartBegan = Date.now();
    await database.restart();
    restartedAt = Date.now();
    figures['outage (ms)'] = restartBegan - outageStarted;
    figures['MariaDB restart (ms)'] = restartedAt - restartBegan;
    await sleep(loadAroundMs);
    stop = true;
    await Promise.all(load);

    // Clients replay every unacknowledged transfer with its key until it is acknowledged.
    const replayDeadline = Date.now() + 30_000;
    while (unacknowledged.size > 0 && Date.now() < replayDeadline) {
      for (const key of [...unacknowledged]) await transferOnce(key, customers[0]);
    }

    const verdict = await verify(env, partnerId, startingMicros, acknowledged);
    figures.clients = clients;
    figures['requests during outage'] = outage.requests;
    figures['codes during outage'] = [...outage.codes].map(([code, count]) => `${code}×${count}`).join(', ') || 'none';
    figures['other codes during outage'] = outage.otherCodes;
    figures['5xx other than 503 during outage'] = outage.non503;
    figures['time to recover (ms)'] = firstSuccessAfterRestart === null ? 'never' : Math.max(0, firstSuccessAfterRestart - restartedAt);
    figures['errors outside the outage'] = unexpected.length;
    figures['requests sent again after no answer'] = server.networkRetries;
    figures['acknowledged transfers'] = acknowledged.size;
    figures['never acknowledged'] = unacknowledged.size;
    figures.lost = verdict.lost;
    figures.doubled = verdict.doubled;
    figures['audit violations'] = verdict.audit.length;

    if (outage.requests === 0) failures.push('no request was made while the database was down');
    if (outage.otherCodes > 0) failures.push(`codes other than SERVICE_UNAVAILABLE during the outage: ${figures['codes during outage']}`);
    if (outage.non503 > 0) failures.push(`${outage.non503} 5xx answers other than 503 during the outage`);
    if (firstSuccessAfterRestart === null) failures.push('the server never answered successfully after the database returned');
    if (unexpected.length > 0) failures.push(`errors outside the outage: ${[...new Set(unexpected)].join(', ')}`);
    if (unacknowledged.size > 0) failures.push(`${unacknowledged.size} transfers were never acknowledged after replay`);
    if (verdict.lost > 0) failures.push(`${verdict.lost} acknowledged transfers are missing`);
    if (verdict.doubled > 0) failures.push(`${verdict.doubled} transfers exist more than once`);
    failures.push(...verdict.audit.map((problem) => `ledger audit: ${problem}`));
    failures.push(...verdict.other);
    if (!(await server.alive())) failures.push('the server process exited');
  } finally {
    await server?.stop();
    await database.destroy();
  }
  return { name: 'database restart', figures, failures };
}

/** Gives the partner top-up credits through the ledger service, as a completed top-up would. */
async function fundPartner(env: Record<string, string>, partnerId: string, micros: bigint): Promise<void> {
  const services = await createServices(loadConfig({ NODE_ENV: 'test', ...env }), createLogger('silent'), { modules: [...MODULES, demoModule()] });
  try {
    await services.runner.transaction((manager) =>
      services.ledger.post(manager, {
        type: LedgerTransactionType.TOP_UP,
        idempotencyKey: `restart-funding:${partnerId}`,
        reference: 'scenario funding',
        legs: [
          { accountId: SYSTEM_ACCOUNT_ID, walletKind: WalletKind.PAYMENT_CLEARING, amountMicros: -micros },
          { accountId: partnerId, walletKind: WalletKind.TOPUP, amountMicros: micros },
        ],
      }),
    );
  } finally {
    await closeServices(services);
  }
}

/** Every acknowledged key exactly once, no transfer that nobody acknowledged, balances that add up. */
async function verify(env: Record<string, string>, partnerId: string, startingMicros: bigint, acknowledged: Map<string, string>) {
  const services = await createServices(loadConfig({ NODE_ENV: 'test', ...env, DATABASE_RUN_MIGRATIONS: 'false' }), createLogger('silent'), {
    modules: [...MODULES, demoModule()],
  });
  try {
    const rows = (await services.dataSource.query('SELECT id, idempotencyKey, amountMicros FROM credit_transfer WHERE partnerAccountId = ?', [partnerId])) as {
      id: string | number;
      idempotencyKey: string;
      amountMicros: string;
    }[];
    const byKey = new Map<string, number>();
    for (const row of rows) byKey.set(row.idempotencyKey, (byKey.get(row.idempotencyKey) ?? 0) + 1);
    let lost = 0;
    const other: string[] = [];
    for (const [key, transferId] of acknowledged) {
      if (!byKey.has(key)) lost++;
      else if (!rows.some((row) => row.idempotencyKey === key && String(row.id) === String(transferId)))
        other.push(`transfer ${key} acknowledged as ${transferId} but stored under another id`);
    }
    const doubled = [...byKey.values()].filter((count) => count > 1).length;
    const unacknowledgedRows = rows.filter((row) => !acknowledged.has(row.idempotencyKey)).length;
    if (unacknowledgedRows > 0) other.push(`${unacknowledgedRows} stored transfers were never acknowledged to a client`);
    const [wallet] = (await services.dataSource.query("SELECT balanceMicros FROM wallet WHERE accountId = ? AND kind = 'TOPUP'", [partnerId])) as {
      balanceMicros: string;
    }[];
    const expected = startingMicros - BigInt(acknowledged.size) * MICROS_PER_CREDIT;
    if (BigInt(String(wallet.balanceMicros)) !== expected) other.push(`partner balance ${wallet.balanceMicros}, expected ${expected}`);
    return { lost, doubled, other, audit: await auditLedger(services.dataSource) };
  } finally {
    await closeServices(services);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The server as an operator runs it: `src/main.ts` in a child process. */
class ServerProcess {
  private output = '';
  private exited = false;

  private constructor(
    private readonly child: EntryProcess,
    public url = '',
  ) {
    child.stdout.on('data', (chunk) => (this.output = (this.output + chunk).slice(-20_000)));
    child.stderr.on('data', (chunk) => (this.output = (this.output + chunk).slice(-20_000)));
    child.on('exit', () => (this.exited = true));
  }

  static async start(env: Record<string, string>): Promise<ServerProcess> {
    const child = spawnEntry({ ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', SEED_DEMO_DATA: 'false', PORT: '0', ...env });
    const server = new ServerProcess(child);
    const deadline = Date.now() + 90_000;
    for (;;) {
      const match = /"url":"(http:[^"]+)\/graphql"/.exec(server.output);
      if (match) {
        server.url = match[1].replace(/\/graphql$/, '');
        return server;
      }
      if (server.exited || Date.now() > deadline) throw new Error(`the server did not start:\n${server.output}`);
      await sleep(50);
    }
  }

  /** Network failures (no answer at all) that a second attempt answered; see `post`. */
  networkRetries = 0;

  /**
   * One request. A request that gets no answer at all (fetch's "fetch failed": the connection was
   * closed under it, e.g. a pooled keep-alive connection reused the moment the server closes it for
   * idleness; the cause is in the answer when it happens twice) is sent once more, as an HTTP client would; every request here is safe to
   * send twice (a read, or a transfer under its idempotency key). Both attempts failing is an
   * answer of its own, `NETWORK:<error>:<cause>`.
   */
  async post(query: string, variables: Record<string, unknown>, token: string): Promise<Answer> {
    const first = await this.attempt(query, variables, token);
    if (!first.code?.startsWith('NETWORK:TypeError')) return first;
    this.networkRetries++;
    return this.attempt(query, variables, token);
  }

  private async attempt(query: string, variables: Record<string, unknown>, token: string): Promise<Answer> {
    try {
      const response = await fetch(`${this.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
      return { status: response.status, code: body.errors?.[0]?.extensions?.code ?? null, data: body.data };
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return { status: 0, code: `NETWORK:${(error as Error).name}${cause ? `:${cause.code ?? cause.message}` : ''}`, data: null };
    }
  }

  async ok(query: string, variables: Record<string, unknown>, token: string): Promise<any> {
    const answer = await this.post(query, variables, token);
    if (answer.code !== null) throw new Error(`${query.slice(0, 40)} failed: ${answer.status} ${answer.code}`);
    return answer.data;
  }

  async alive(): Promise<boolean> {
    return (
      !this.exited &&
      (await fetch(`${this.url}/healthz`).then(
        (response) => response.ok,
        () => false,
      ))
    );
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
