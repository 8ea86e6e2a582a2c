import fs from 'node:fs';
import net from 'node:net';
import { ChildProcess, spawn } from 'node:child_process';

/**
 * The real server as a child process (`node <built main.js>`), on a fixed port so clients keep one
 * URL across kills and restarts. Readiness is `GET /readyz` answering 200.
 */
export class ServerProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** The last lines the process wrote, for a failure message. */
  readonly output: string[] = [];
  restarts = 0;

  private constructor(
    private readonly mainFile: string,
    private readonly env: Record<string, string>,
    public port: number,
  ) {}

  /**
   * A free port is only free until someone takes it: another test process may bind the one just
   * found before the server does. The first start then tries another port (restarts keep theirs,
   * so clients keep one URL).
   */
  static async start(mainFile: string, env: Record<string, string>, port?: number): Promise<ServerProcess> {
    const server = new ServerProcess(mainFile, env, port ?? (await freePort()));
    for (let attempt = 1; ; attempt++) {
      try {
        await server.launch();
        return server;
      } catch (error) {
        if (port !== undefined || attempt >= 5 || !/EADDRINUSE/.test(String(error))) throw error;
        server.port = await freePort();
      }
    }
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get graphqlUrl(): string {
    return `${this.baseUrl}/graphql`;
  }
  get websocketUrl(): string {
    return `ws://127.0.0.1:${this.port}/graphql`;
  }
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** The resident set size of the server process, in MB (from /proc/<pid>/status). */
  rssMegabytes(): number {
    if (!this.child?.pid) return Number.NaN;
    const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Math.round(Number(match[1]) / 1024) : Number.NaN;
  }

  /** SIGKILL: no shutdown hook runs, in-flight requests die with the process. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  async restart(): Promise<void> {
    await this.kill();
    this.restarts += 1;
    await this.launch();
  }

  /** SIGTERM: the graceful shutdown, with a SIGKILL if it takes more than 20 s. */
  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }

  private async launch(): Promise<void> {
    // RELIABILITY_SERVER_CPU_PROF=dir: each server process writes a CPU profile of its whole life
    // there when it exits (a kill writes none), to see what an attack or a scenario costs it.
    const profile = process.env.RELIABILITY_SERVER_CPU_PROF;
    const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
    const child = spawn(process.execPath, [...nodeArgs, this.mainFile], {
      env: { ...inheritedEnvironment(), NODE_ENV: 'test', LOG_LEVEL: 'error', ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    LIVE_CHILDREN.add(child);
    child.once('exit', () => LIVE_CHILDREN.delete(child));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const keep = (chunk: Buffer) => {
      this.output.push(...String(chunk).split('\n').filter(Boolean));
      if (this.output.length > 60) this.output.splice(0, this.output.length - 60);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    await this.waitUntilReady(child);
  }

  private async waitUntilReady(child: ChildProcess, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} while starting:\n${this.output.join('\n')}`);
      try {
        const response = await fetch(`${this.baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
        if (response.status === 200) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the server was not ready within ${timeoutMs} ms:\n${this.output.join('\n')}`);
  }
}

/** Servers still running; killed if the runner itself exits, so none is left behind. */
const LIVE_CHILDREN = new Set<ChildProcess>();
process.once('exit', () => LIVE_CHILDREN.forEach((child) => child.kill('SIGKILL')));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * For scenarios about crashes and replays, not about throttling: their 64 clients share a handful
 * of principals and one IP, so the default limits would only make them wait out windows. The
 * limits themselves are proven by test/integration/rate-limits.test.ts and the hostile scenario,
 * which runs with the defaults.
 */
export const UNTHROTTLED: Record<string, string> = {
  RATE_LIMIT_PRINCIPAL_POINTS: '10000000',
  RATE_LIMIT_IP_POINTS: '10000000',
  RATE_LIMIT_PAYMENT_POINTS: '10000000',
  RATE_LIMIT_WEBHOOK_POINTS: '10000000',
};

/**
 * The runner's environment minus the settings a scenario decides itself (database, bus, tokens,
 * providers), so an exported DATABASE_URL or REDIS_URL cannot point a scenario at the wrong place.
 * Other settings (e.g. limits) pass through, so a run can be tuned from the command line.
 */
function inheritedEnvironment(): NodeJS.ProcessEnv {
  const owned =
    /^(DATABASE_|SQLITE_PATH$|SEED_DEMO_DATA$|REDIS_URL$|PORT$|HOST$|NODE_ENV$|LOG_LEVEL$|TRUST_PROXY_HOPS$|JWT_|STRIPE_|PAYPAL_|VNPAY_|PUBLIC_BASE_URL$)/;
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !owned.test(name)));
}
