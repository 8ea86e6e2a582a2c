import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { freePort } from './private-mariadb';

/**
 * A Redis of the test's own on a private port (no persistence), which the test may kill and start
 * again on the same port; the shared Redis on 6379 is never touched.
 */
export class PrivateRedis {
  private process: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  /** Picks a free port; `started: false` leaves it down (a Redis that is away from the start). */
  static async create(options: { started?: boolean } = {}): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    if (options.started !== false) await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 10_000): Promise<void> {
    if (this.process) return;
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: 'ignore',
    });
    this.process = child;
    child.once('exit', () => {
      if (this.process === child) this.process = null;
    });
    const deadline = Date.now() + timeoutMs;
    while (!(await answersPing(this.port))) {
      if (Date.now() > deadline) throw new Error(`the private redis-server did not answer on port ${this.port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async kill(): Promise<void> {
    const child = this.process;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.process = null;
  }
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(String(data).startsWith('+PONG')));
  });
}
