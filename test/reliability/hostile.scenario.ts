import path from 'node:path';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import type { ScenarioOptions, ScenarioResult } from './scenario';
import { buildServer } from './support/build';
import { Answer, percentile, send, sleep, tokens } from './support/client';
import { createScenarioDatabase } from './support/database';
import { differences, snapshot } from './support/ledger-snapshot';
import { ServerProcess } from './support/server-process';
import { BALANCES, buyCredits, createParty, Party } from './support/world';
import { hostileRequests, HostileRequest, HostileTargets } from './support/hostile-requests';
import { BenchProcess, startBenchProcess } from '../bench/processes';
import { eventLoopDelay } from '../bench/event-loop-delay';

/**
 * Hostile: thousands of generated hostile requests (deep, wide, aliased, costly, huge, malformed,
 * forged tokens and webhooks, weird amounts and ids) and a subscription flood from one address,
 * while a normal client polls `balances` twice over: from another address, and from the
 * attacker's own address (an office or a carrier behind one NAT). Nothing may answer 5xx (but 503
 * SERVICE_UNAVAILABLE), every refusal carries an expected code, no data changes, neither normal
 * client sees an error (the one sharing the attacker's address is not refused for the attacker's
 * forged tokens); their latency and the server's memory are reported.
 */
const ATTACKER_ADDRESS = '203.0.113.66';
const NORMAL_CLIENT_ADDRESS = '198.51.100.7';
// OPERATION_RESOLUTION_FAILURE is Apollo's own code (HTTP 400) for a document with several
// operations and no operationName: a malformed request, refused before any work.
const EXPECTED_CODES = new Set([
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'PERSISTED_QUERY_NOT_FOUND',
  'SERVICE_UNAVAILABLE',
]);
const EXPECTED_BARE_STATUSES = new Set([200, 400, 401, 413, 415, 429]);

export async function run(options: ScenarioOptions): Promise<ScenarioResult> {
  const failures: string[] = [];
  const figures: Record<string, string | number> = {};
  const build = buildServer();
  const database = await createScenarioDatabase();
  const server = await ServerProcess.start(build.mainFile, { ...database.env, TRUST_PROXY_HOPS: '1' });
  const clients: NormalClient[] = [];
  try {
    const targets = await setUp(server);
    const dataSource = await database.connect();
    // Each normal client is a user of its own (the attack holds the customer OWNER's token and may
    // spend that principal's bucket, as its holder may): a billing admin at another address, a
    // viewer behind the attacker's address.
    const normal = await NormalClient.start(
      server,
      { ...targets.customer, token: await tokens.user(targets.customer.accountId, 'BILLING_ADMIN' as never) },
      NORMAL_CLIENT_ADDRESS,
    );
    clients.push(normal);
    const neighbour = await NormalClient.start(
      server,
      { ...targets.customer, token: await tokens.user(targets.customer.accountId, 'VIEWER' as never) },
      ATTACKER_ADDRESS,
    );
    clients.push(neighbour);

    const quietMs = options.quick ? 3000 : 10_000;
    const rssBefore = server.rssMegabytes();
    await Promise.all([normal.begin(), neighbour.begin()]);
    await sleep(quietMs);
    const [quiet, neighbourQuiet] = await Promise.all([normal.take(), neighbour.take()]);
    const before = await snapshot(dataSource);

    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, server.rssMegabytes())), 200);
    // Reading /metrics resets its event-loop delay histogram: the next read covers the attack only.
    await eventLoopDelay(server);
    await Promise.all([normal.begin(), neighbour.begin()]);
    // Caught here: the attack is still running when a flood failure would otherwise surface.
    const flood = subscriptionFlood(server, targets, options.quick).catch((error: unknown): Record<string, string> => {
      failures.push(`the subscription flood failed in the client: ${(error as Error)?.message ?? String(error)}`);
      return {};
    });
    const requests = await hostileRequests(targets, options.quick ? 400 : 10_000);
    const outcome = await attackWith(server, requests, options.quick ? 8 : 16);
    const floodFigures = await flood;
    const [underAttack, neighbourUnderAttack] = await Promise.all([normal.take(), neighbour.take()]);
    const delay = await eventLoopDelay(server);
    clearInterval(sampler);
    await sleep(500);
    const after = await snapshot(dataSource);
    const rssAfter = server.rssMegabytes();

    const changes = differences(before, after);
    if (changes.length > 0) failures.push(`hostile requests changed data: ${changes.slice(0, 20).join(', ')}`);
    if (outcome.serverErrors > 0)
      failures.push(`${outcome.serverErrors} answers were 5xx (other than 503 SERVICE_UNAVAILABLE): ${outcome.examples.serverErrors.join(' | ')}`);
    if (outcome.unanswered > 0) failures.push(`${outcome.unanswered} requests got no answer within 30 s: ${outcome.examples.unanswered.join(' | ')}`);
    if (outcome.unexpected > 0) failures.push(`${outcome.unexpected} answers had an unexpected status or code: ${outcome.examples.unexpected.join(' | ')}`);
    if (outcome.accepted > 0)
      failures.push(`${outcome.accepted} hostile requests were carried out instead of refused: ${outcome.examples.accepted.join(' | ')}`);
    if (normal.errors.length > 0) failures.push(`the normal client saw ${normal.errors.length} errors: ${normal.errors.slice(0, 5).join(' | ')}`);
    if (neighbour.errors.length > 0)
      failures.push(`the normal client at the attacker's address saw ${neighbour.errors.length} errors: ${neighbour.errors.slice(0, 5).join(' | ')}`);
    Object.assign(figures, {
      database: database.kind,
      'hostile requests': outcome.sent,
      'refused 429 (rate limited)': outcome.byStatus[429] ?? 0,
      'answers by status': Object.entries(outcome.byStatus)
        .map(([status, count]) => `${status}:${count}`)
        .join(' '),
      '5xx (not 503)': outcome.serverErrors,
      'no answer within 30 s': outcome.unanswered,
      'unexpected codes': outcome.unexpected,
      'carried out instead of refused': outcome.accepted,
      'data changes': changes.length,
      ...floodFigures,
      'normal client p50 quiet / attack (ms)': `${percentile(quiet, 0.5).toFixed(1)} / ${percentile(underAttack, 0.5).toFixed(1)}`,
      'normal client p99 quiet / attack (ms)': `${percentile(quiet, 0.99).toFixed(1)} / ${percentile(underAttack, 0.99).toFixed(1)}`,
      'p99 ratio (goal ≤ 3)': (percentile(underAttack, 0.99) / percentile(quiet, 0.99)).toFixed(1),
      'event-loop delay under attack p99 / max (ms, /metrics; goal p99 ≤ 50)': `${delay.p99Ms.toFixed(1)} / ${delay.maxMs.toFixed(1)}`,
      'normal client requests / errors': `${quiet.length + underAttack.length} / ${normal.errors.length}`,
      'normal client at the attacker address: refused 429 (goal 0)': neighbour.refused,
      'normal client at another address: refused 429': normal.refused,
      'normal client at the attacker address p99 quiet / attack (ms)': `${percentile(neighbourQuiet, 0.99).toFixed(1)} / ${percentile(neighbourUnderAttack, 0.99).toFixed(1)}`,
      'normal client at the attacker address requests / errors': `${neighbourQuiet.length + neighbourUnderAttack.length} / ${neighbour.errors.length}`,
      'RSS before / peak / after (MB, goal < 300)': `${rssBefore} / ${rssPeak} / ${rssAfter}`,
    });
  } catch (error) {
    failures.push(`hostile scenario aborted: ${(error as Error).stack ?? error}\n${server.output.slice(-10).join('\n')}`);
  } finally {
    await Promise.all(clients.map((client) => client.stop()));
    await server.stop();
    await database.drop();
    build.remove();
  }
  return { name: 'hostile', figures, failures };
}

async function setUp(server: ServerProcess): Promise<HostileTargets> {
  const partner = await createParty(server, { kind: 'PARTNER', billing: true });
  await buyCredits(server, partner, '1000');
  const customer = await createParty(server, { partnerId: partner.accountId });
  const stranger = await createParty(server, { billing: true });
  return {
    baseUrl: server.baseUrl,
    partner,
    customer,
    stranger,
    viewer: await tokens.user(stranger.accountId, 'VIEWER' as never),
    admin: await tokens.admin(),
    metering: await tokens.metering(),
  };
}

/**
 * The console's header: `balances` again and again, from the given address, polled by a process of
 * its own (test/reliability/support/normal-client.process.ts), so its latencies are the server's
 * and not those of this process's event loop, which sends the attack.
 */
class NormalClient {
  readonly errors: string[] = [];
  /** Answers 429 RATE_LIMITED. */
  refused = 0;
  private constructor(
    private readonly process: BenchProcess,
    private readonly polling: Record<string, unknown>,
  ) {}

  static async start(server: ServerProcess, customer: Party, address: string): Promise<NormalClient> {
    const child = await startBenchProcess(path.join(__dirname, 'support', 'normal-client.process.ts'), {});
    return new NormalClient(child, {
      url: server.graphqlUrl,
      query: BALANCES,
      field: 'balances',
      variables: { id: customer.accountId },
      token: customer.token,
      address,
    });
  }

  /** Starts polling; `take` stops it and answers the latencies since. */
  async begin(): Promise<void> {
    await this.process.call('start', this.polling);
  }

  async take(): Promise<number[]> {
    const taken = await this.process.call<{ latencies: number[]; errors: string[]; refused: number }>('take');
    this.errors.push(...taken.errors);
    this.refused += taken.refused;
    return taken.latencies;
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}

interface AttackOutcome {
  sent: number;
  byStatus: Record<number, number>;
  serverErrors: number;
  unanswered: number;
  unexpected: number;
  accepted: number;
  examples: { serverErrors: string[]; unanswered: string[]; unexpected: string[]; accepted: string[] };
}

async function attackWith(server: ServerProcess, requests: HostileRequest[], concurrency: number): Promise<AttackOutcome> {
  const outcome: AttackOutcome = {
    sent: 0,
    byStatus: {},
    serverErrors: 0,
    unanswered: 0,
    unexpected: 0,
    accepted: 0,
    examples: { serverErrors: [], unanswered: [], unexpected: [], accepted: [] },
  };
  const note = (list: string[], request: HostileRequest, answer: Answer) => {
    // One example per kind of request, so the message names every family that misbehaved.
    if (list.length < 15 && !list.some((example) => example.startsWith(`${request.label}: `))) {
      list.push(`${request.label}: HTTP ${answer.status} ${answer.networkError ?? JSON.stringify(answer.body).slice(0, 160)}`);
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++];
      const answer = await send(`${server.baseUrl}${request.path}`, {
        method: request.method,
        body: request.body,
        headers: { 'x-forwarded-for': ATTACKER_ADDRESS, ...request.headers },
      });
      outcome.sent += 1;
      outcome.byStatus[answer.status] = (outcome.byStatus[answer.status] ?? 0) + 1;
      const serviceUnavailable = answer.status === 503 && answer.codes.includes('SERVICE_UNAVAILABLE');
      if (answer.status === 0) {
        // No answer within the client's 30 s: the service stalled for this caller.
        outcome.unanswered += 1;
        note(outcome.examples.unanswered, request, answer);
        continue;
      }
      if (answer.status >= 500 && !serviceUnavailable) {
        outcome.serverErrors += 1;
        note(outcome.examples.serverErrors, request, answer);
        continue;
      }
      const codeExpected = (code: string) => EXPECTED_CODES.has(code) || (code === 'NOT_FOUND' && request.caller === 'admin');
      const unexpectedCode = answer.codes.some((code) => !codeExpected(code));
      const unexpectedStatus = !EXPECTED_BARE_STATUSES.has(answer.status) && !(answer.status >= 400 && answer.status < 500 && answer.codes.length > 0);
      if (unexpectedCode || unexpectedStatus) {
        outcome.unexpected += 1;
        note(outcome.examples.unexpected, request, answer);
        continue;
      }
      if (!request.refused(answer)) {
        outcome.accepted += 1;
        note(outcome.examples.accepted, request, answer);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcome;
}

/** A WebSocket that says it comes from the attacker's address (the server trusts one proxy hop). */
class AttackerWebSocket extends WebSocket {
  constructor(address: string | URL, protocols?: string | string[]) {
    super(address, protocols, { headers: { 'x-forwarded-for': ATTACKER_ADDRESS } });
  }
}

/**
 * Many connections, each trying many subscriptions, plus connections that never authenticate.
 * Refusals are expected (limits per connection, principal and address); the figures say how many
 * the server held, and the RSS sampler watches the memory while they are open.
 */
async function subscriptionFlood(server: ServerProcess, targets: HostileTargets, quick: boolean): Promise<Record<string, string | number>> {
  const connections = quick ? 20 : 200;
  const perConnection = quick ? 10 : 200;
  let refused = 0;
  const disposers: (() => void)[] = [];
  const clients: ReturnType<typeof createClient>[] = [];
  for (let index = 0; index < connections; index += 1) {
    const token = index % 2 === 0 ? targets.customer.token : targets.partner.token;
    const accountId = index % 2 === 0 ? targets.customer.accountId : targets.partner.accountId;
    const client = createClient({
      url: server.websocketUrl,
      webSocketImpl: AttackerWebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    clients.push(client);
    for (let subscription = 0; subscription < perConnection; subscription += 1) {
      let settled = false;
      disposers.push(
        client.subscribe(
          { query: 'subscription ($id: ID!) { balanceChanged(accountId: $id) { totalBalance } }', variables: { id: accountId } },
          { next: () => undefined, error: () => (settled ? undefined : ((settled = true), (refused += 1))), complete: () => undefined },
        ),
      );
    }
  }
  // Connections that open the socket and never send connection_init.
  const silent = Array.from({ length: quick ? 10 : 100 }, () => {
    const socket = new AttackerWebSocket(server.websocketUrl, 'graphql-transport-ws');
    socket.on('error', () => undefined); // refused or cut off: an answer, and terminate() below reports one too
    return socket;
  });
  await sleep(quick ? 3000 : 8000);
  const silentStillOpen = silent.filter((socket) => socket.readyState === WebSocket.OPEN).length;
  const accepted = connections * perConnection - refused;
  disposers.forEach((dispose) => dispose());
  // dispose() rejects with the CloseEvent of a connection the server refused; that is an answer, not a failure.
  await Promise.allSettled(clients.map((client) => client.dispose()));
  silent.forEach((socket) => socket.terminate());
  return {
    'subscriptions tried / not refused': `${connections * perConnection} / ${accepted}`,
    'unauthenticated sockets still open after wait': `${silentStillOpen} of ${silent.length}`,
  };
}
