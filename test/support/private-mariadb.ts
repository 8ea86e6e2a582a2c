import { ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';

const run = promisify(execFile);

/**
 * A MariaDB server of the test's own: `mariadb-install-db` into a temporary directory, `mariadbd`
 * on a free port with its own socket and pid files. A test may kill it (SIGKILL, like a crash) and
 * start it again on the same data directory; the shared server on 3306 is never touched.
 */
export class PrivateMariaDb {
  private process: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private log = '';

  private constructor(
    readonly directory: string,
    readonly port: number,
  ) {}

  /** Creates the data directory and starts the server; resolves when it accepts connections. */
  static async start(): Promise<PrivateMariaDb> {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'credits-private-mariadb-'));
    const server = new PrivateMariaDb(directory, await freePort());
    try {
      await run('mariadb-install-db', [
        '--no-defaults',
        `--datadir=${server.dataDirectory}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--skip-name-resolve',
      ]);
      await server.restart();
    } catch (error) {
      await server.destroy();
      throw error;
    }
    return server;
  }

  get dataDirectory(): string {
    return path.join(this.directory, 'data');
  }

  /** The root URL (no database); append `/<name>`. */
  get rootUrl(): string {
    return `mariadb://root@127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.process !== null;
  }

  /** Starts mariadbd on the existing data directory (after `kill`), and waits until it answers. */
  async restart(timeoutMs = 30_000): Promise<void> {
    if (this.process) throw new Error('the private MariaDB is already running');
    this.log = '';
    const child = spawn(
      '/usr/sbin/mariadbd',
      [
        '--no-defaults',
        ...(process.getuid?.() === 0 ? ['--user=root'] : []),
        `--datadir=${this.dataDirectory}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${path.join(this.directory, 'mariadbd.sock')}`,
        `--pid-file=${path.join(this.directory, 'mariadbd.pid')}`,
        '--skip-name-resolve',
        '--skip-log-bin',
        '--performance-schema=OFF',
        '--innodb-buffer-pool-size=64M',
        '--innodb-use-native-aio=0',
        '--max-connections=500',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr!.on('data', (chunk) => (this.log = (this.log + chunk).slice(-8000)));
    this.process = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => {
      if (this.process === child) this.process = null;
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.process) throw new Error(`the private mariadbd exited while starting:\n${this.log}`);
      try {
        const connection = await mysql.createConnection({ host: '127.0.0.1', port: this.port, user: 'root', connectTimeout: 1000 });
        await connection.end();
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`the private mariadbd did not answer within ${timeoutMs} ms: ${(error as Error).message}\n${this.log}`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  /** SIGKILL, as a crash or a pulled plug: no clean shutdown, connections cut at once. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child) return;
    child.kill('SIGKILL');
    await this.exited;
    this.process = null;
  }

  async createDatabase(name: string): Promise<string> {
    const connection = await mysql.createConnection({ host: '127.0.0.1', port: this.port, user: 'root' });
    await connection.query(`CREATE DATABASE \`${name}\``);
    await connection.end();
    return `${this.rootUrl}/${name}`;
  }

  /** Stops the server (SIGKILL: its data is thrown away anyway) and removes its directory. */
  async destroy(): Promise<void> {
    await this.kill();
    fs.rmSync(this.directory, { recursive: true, force: true });
  }
}

/** A port nobody listens on right now (the kernel picks it; we close it and hand it on). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
