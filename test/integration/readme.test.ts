import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Role } from '../../src/auth/principal';
import type { NotificationBus } from '../../src/notifications/bus';
import { codes, GraphQLResult, startTestServer, TestServer } from '../support/harness';
import { curlCall, readmeBlocks, ReadmeBlock, singleNamedOperation, substitute } from '../support/readme-blocks';
import { collect, CollectedSubscription, connect } from '../support/subscriptions';

/**
 * The API tour runs verbatim: every `graphql` block of docs/api-tour.md, in order, against the
 * seeded demo server, with the token, variables and expected refusal its comments name; every `sh`
 * block of the tour and of docs/getting-started.md that calls curl on $PORT, run by the shell with
 * only `curl` itself answered by fetch.
 */
const ROOT = path.resolve(__dirname, '../..');
/** The files whose blocks run, in this order (getting-started's first steps come before the tour). */
const TOUR_FILES = ['docs/getting-started.md', 'docs/api-tour.md'];
const blocks = TOUR_FILES.flatMap((file) => readmeBlocks(fs.readFileSync(path.join(ROOT, file), 'utf8'), file));
const graphqlBlocks = blocks.filter((block) => block.language === 'graphql');
const variablesScripts = blocks.filter((block) => block.directives['readme-test'] === 'variables');
const curlBlocks = blocks.filter((block) => block.language === 'sh' && /^\s*curl\b/m.test(block.text) && block.text.includes('$PORT'));
const run = promisify(execFile);

const label = (block: ReadmeBlock) => `${block.file}:${block.line} ${/(query|mutation|subscription)\s+(\w+)/.exec(block.text)?.[2] ?? block.text.slice(0, 40)}`;

describe('the API tour (docs/api-tour.md)', () => {
  let server: TestServer;
  let subscriptionsStarted = 0;
  const subscriptionWaiters: (() => void)[] = [];
  /** The tour's period variables, then each block's data by root field (`{{createTopUp.id}}`). */
  const context: Record<string, unknown> = {};
  const results = new Map<string, GraphQLResult>();
  const subscriptions: { block: ReadmeBlock; subscription: CollectedSubscription<unknown> }[] = [];

  beforeAll(async () => {
    server = await startTestServer({ seedDemoData: true });
    countLiveSubscriptions(server.services.bus, () => {
      subscriptionsStarted++;
      subscriptionWaiters.splice(0).forEach((wake) => wake());
    });
    for (const script of variablesScripts) {
      const { stdout } = await run('sh', ['-c', script.text], { cwd: ROOT });
      Object.assign(context, JSON.parse(stdout));
    }
  });

  afterAll(async () => {
    await Promise.all(subscriptions.map(({ subscription }) => subscription.close()));
    await server?.stop();
  });

  it('has graphql blocks, a variables command and curl blocks to run', () => {
    expect(graphqlBlocks.length).toBeGreaterThan(10);
    expect(variablesScripts).toHaveLength(1);
    expect(curlBlocks.length).toBeGreaterThan(0);
  });

  it('holds one named operation per graphql block, each name once, each block with a token', () => {
    const problems: string[] = [];
    const names = new Map<string, string>();
    for (const block of graphqlBlocks) {
      try {
        const name = singleNamedOperation(block).name!.value;
        if (names.has(name)) problems.push(`${block.file}:${block.line}: the operation name ${name} is also used at ${names.get(name)}`);
        names.set(name, `${block.file}:${block.line}`);
      } catch (error) {
        problems.push((error as Error).message);
      }
      if (!block.directives.token) problems.push(`${block.file}:${block.line}: no <!-- token: … --> comment above the block`);
    }
    expect(problems).toEqual([]);
  });

  it('finds an operation with several anonymous operations in one block', () => {
    const [block] = readmeBlocks('<!-- token: admin -->\n```graphql\nquery { a }\nmutation { b }\n```\n');
    expect(() => singleNamedOperation(block)).toThrow('holds 2 (2 anonymous)');
  });

  describe.each(graphqlBlocks.map((block) => [label(block), block] as const))('%s', (_, block) => {
    it(block.directives.expect ? `is refused with ${block.directives.expect}, as its text says` : 'answers without errors', async () => {
      const operation = singleNamedOperation(block);
      const token = await tokenFor(server, block);
      const variables = block.directives.variables
        ? (substitute(JSON.parse(block.directives.variables), context, `${block.file}:${block.line}`) as Record<string, unknown>)
        : {};
      if (operation.operation === 'subscription') {
        await startSubscription(block, token, variables);
        return;
      }
      if (block.directives['after-event']) await untilEventOf(block, block.directives['after-event']);
      // The blocks name the demo's default address (its webhook receiver); here the server listens elsewhere.
      const result = await server.call(block.text.replaceAll('http://127.0.0.1:4000/', `${server.url}/`), variables, token ?? undefined);
      results.set(operation.name!.value, result);
      if (block.directives.expect) {
        expect(block.precedingText).toContain(block.directives.expect);
        expect(codes(result)).toEqual([block.directives.expect]);
        return;
      }
      expect(result.errors).toEqual([]);
      Object.assign(context, result.data);
    });
  });

  it('shows the automation done in the blocks that wait for its event (after-event), as their text says', () => {
    const waiting = graphqlBlocks.filter((block) => block.directives['after-event']).map((block) => singleNamedOperation(block).name!.value);
    expect(waiting).toEqual(['AutoTransferRule', 'AutoRechargeHistory']);
    expect(results.get('AutoTransferRule')?.data?.autoTransferRule.lastFiring).toMatchObject({ status: 'SUCCEEDED', amount: '155.000000' });
    const [recharge] = results.get('AutoRechargeHistory')?.data?.topUps.edges ?? [];
    expect(recharge?.node).toMatchObject({ origin: 'AUTO_RECHARGE', status: 'SUCCEEDED', amount: '50.000000' });
  });

  it('delivers an event to every subscription from a later block', async () => {
    for (const { block, subscription } of subscriptions) {
      if (block.directives.events === 'none') continue;
      await expect(subscription.waitFor(1, 10_000)).resolves.toHaveLength(1);
    }
  });

  it('shows rows in every report and history over the tour period (the seeded back-dated activity)', () => {
    const empty: string[] = [];
    for (const [name, result] of results) {
      for (const [field, value] of Object.entries((result.data ?? {}) as Record<string, any>)) {
        if (field.endsWith('Report') && (value.rows ?? value.lines).length === 0) empty.push(`${name}.${field}`);
        if (field === 'creditHistory' && value.edges.length === 0) empty.push(`${name}.${field}`);
        if (field === 'account' && value.creditHistory && value.creditHistory.edges.length === 0) empty.push(`${name}.account.creditHistory`);
      }
    }
    expect(results.size).toBeGreaterThan(0);
    expect(empty).toEqual([]);
    const usage = results.get('CreditUsageReport')?.data?.creditUsageReport;
    expect(usage && Number(usage.totalUsage)).toBeGreaterThan(0);
  });

  describe.each(curlBlocks.map((block) => [`${block.file}:${block.line}`, block] as const))('the shell block at %s', (_, block) => {
    it('runs as written, every curl call answered with 200 and content', async () => {
      // `<!-- env: {"NAME": "{{createApiKey.secret}}"} -->` hands the shell what an earlier block answered.
      const env = block.directives.env ? (substitute(JSON.parse(block.directives.env), context, `${block.file}:${block.line}`) as Record<string, string>) : {};
      const calls = await curlCallsOf(block, new URL(server.url).port, env);
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) {
        const response = await fetch(call.url, { method: call.method, headers: call.headers, body: call.body });
        const body = Buffer.from(await response.arrayBuffer());
        const text = body.toString('utf8');
        expect({ url: call.url, status: response.status }).toEqual({ url: call.url, status: 200 });
        if (response.headers.get('content-type')?.includes('json')) {
          expect(JSON.parse(text).errors).toBeUndefined();
        } else if (response.headers.get('content-type') === 'application/pdf') {
          // A document (a receipt): a PDF file of some substance.
          expect({ start: body.subarray(0, 5).toString(), large: body.length > 1000 }).toEqual({ start: '%PDF-', large: true });
        } else {
          // A CSV: the header row and at least one row over the tour's period.
          expect(text.trim().split('\r\n').length).toBeGreaterThan(1);
        }
      }
    }, 120_000);
  });

  /**
   * `<!-- after-event: <subscription> -->`: the block reads what an event announces (an automation
   * that runs after the change before it commits), so it runs once the subscription the tour opened
   * above, named in the block's text, has had its event, as a person following the tour would wait.
   */
  async function untilEventOf(block: ReadmeBlock, subscriptionName: string): Promise<void> {
    expect(block.precedingText).toContain(subscriptionName);
    const open = subscriptions.find((candidate) => singleNamedOperation(candidate.block).name!.value === subscriptionName);
    if (!open) throw new Error(`${block.file}:${block.line}: no subscription ${subscriptionName} opened above the block`);
    await open.subscription.waitFor(1, 10_000);
  }

  /** Starts the subscription, waits until the server has registered it, and keeps it open. */
  async function startSubscription(block: ReadmeBlock, token: string | null, variables: Record<string, unknown>): Promise<void> {
    const before = subscriptionsStarted;
    // Their first message is the current state: the later block must cause a change after it.
    const currentStateFirst = /\b(balanceChanged|topUpStatusChanged)\s*\(/.test(block.text);
    const subscription = collect(connect(server.websocketUrl, token), block.text, variables, { currentStateFirst });
    subscriptions.push({ block, subscription });
    const deadline = Date.now() + 10_000;
    while (subscriptionsStarted === before && subscription.errors.length === 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        subscriptionWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (block.directives.expect) {
      expect(subscription.errors.map((error: any) => error.extensions?.code)).toEqual([block.directives.expect]);
      return;
    }
    expect(subscription.errors).toEqual([]);
    expect(subscriptionsStarted).toBeGreaterThan(before);
  }
});

/** The token a block's `<!-- token: … -->` names: `<account> <ROLE>`, `admin`, `usage:write` or `none`. */
async function tokenFor(server: TestServer, block: ReadmeBlock): Promise<string | null> {
  const token = block.directives.token;
  if (!token) throw new Error(`${block.file}:${block.line}: no <!-- token: … --> comment above the block`);
  if (token === 'none') return null;
  if (token === 'admin') return server.adminToken();
  if (token === 'usage:write') return server.meteringToken();
  const [accountId, role = 'OWNER'] = token.split(/\s+/);
  if (!(Object.values(Role) as string[]).includes(role)) throw new Error(`${block.file}:${block.line}: unknown role ${role} in <!-- token: ${token} -->`);
  return server.userToken(accountId, role as Role);
}

/**
 * Runs the block with `sh`, PORT set to the test server's, and `curl` a shell function that prints
 * its (expanded) arguments; everything else in the block (npm run token, node, export) runs as written.
 */
async function curlCallsOf(block: ReadmeBlock, port: string, env: Record<string, string> = {}) {
  const shim = `curl() { printf '%s\\n' '--curl--'; for argument in "$@"; do printf '%s\\n' "$argument"; done; }\n`;
  const { stdout } = await run('sh', ['-ec', shim + block.text], { cwd: ROOT, env: { ...process.env, ...env, PORT: port } });
  return stdout
    .split('--curl--\n')
    .slice(1)
    .map((printed) => curlCall(printed.replace(/\n$/, '').split('\n')));
}

/**
 * Counts subscriptions the server has started listening on (the first read of a bus iterator is
 * when graphql-yoga's pub/sub adds its listener), so a test can cause an event only once a
 * subscription is live. The bus itself behaves as before.
 */
function countLiveSubscriptions(bus: NotificationBus, onLive: () => void): void {
  const subscribe = bus.subscribe.bind(bus);
  bus.subscribe = (topic: string, key: string) => {
    const source = subscribe(topic, key);
    return {
      [Symbol.asyncIterator]() {
        const iterator = source[Symbol.asyncIterator]();
        let started = false;
        return {
          next: (...args: []) => {
            const next = iterator.next(...args);
            if (!started) {
              started = true;
              onLive();
            }
            return next;
          },
          return: (value?: unknown) => iterator.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined }),
          throw: (error?: unknown) => iterator.throw?.(error) ?? Promise.reject(error),
        };
      },
    };
  };
}
