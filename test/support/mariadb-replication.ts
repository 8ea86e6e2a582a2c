import { ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';

const run = promisify(execFile);

/**
 * A MariaDB primary and a replica following it, both the test's own: each `mariadb-install-db`
 * into its own temporary directory and a `mariadbd` child process on its own free port (the
 * approach of test/support/private-mariadb.ts, with the binary log on the primary). The replica
 * follows the primary by GTID from its first binlog event, so a database created on the primary
 * appears on the replica. The shared server on 3306 is never touched.
 */
export class ReplicatedMariaDb {
  private constructor(
    readonly primary: MariaDbProcess,
    readonly replica: MariaDbProcess,
  ) {}

  static async start(): Promise<ReplicatedMariaDb> {
    const started = await Promise.allSettled([
      MariaDbProcess.start('primary', ['--server-id=1', '--log-bin=primary-bin', '--binlog-format=ROW']),
      MariaDbProcess.start('replica', ['--server-id=2', '--skip-log-bin', '--relay-log=replica-relay-bin', '--read-only=1']),
    ]);
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) {
      // The one that did start must not outlive the test.
      await Promise.all(started.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.destroy() : undefined)));
      throw failed.reason;
    }
    const [primary, replica] = started.map((outcome) => (outcome as PromiseFulfilledResult<MariaDbProcess>).value);
    const pair = new ReplicatedMariaDb(primary, replica);
    try {
      await replica.execute(
        `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${primary.port}, MASTER_USER='root', MASTER_PASSWORD='', ` +
          'MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1',
      );
      await replica.execute('START SLAVE');
    } catch (error) {
      await pair.destroy();
      throw error;
    }
    return pair;
  }

  /** Creates a database on the primary and waits until the replica has it; returns both URLs. */
  async createDatabase(name: string): Promise<{ primaryUrl: string; replicaUrl: string }> {
    await this.primary.execute(`CREATE DATABASE \`${name}\``);
    await this.waitForReplica();
    return { primaryUrl: `${this.primary.rootUrl}/${name}`, replicaUrl: `${this.replica.rootUrl}/${name}` };
  }

  /** Resolves once the replica has applied everything the primary has committed so far. */
  async waitForReplica(timeoutSeconds = 20): Promise<void> {
    const [[{ position }]] = (await this.primary.query('SELECT @@gtid_binlog_pos AS position')) as [{ position: string }[]];
    const [[{ waited }]] = (await this.replica.query('SELECT MASTER_GTID_WAIT(?, ?) AS waited', [position, timeoutSeconds])) as [{ waited: number }[]];
    if (Number(waited) !== 0)
      throw new Error(`the replica did not reach ${position} within ${timeoutSeconds} s: ${JSON.stringify(await this.replicaStatus())}`);
  }

  /** The replica stops applying what it receives (its IO thread keeps fetching): it lags from now on. */
  async pauseReplication(): Promise<void> {
    await this.replica.execute('STOP SLAVE SQL_THREAD');
  }

  async resumeReplication(): Promise<void> {
    await this.replica.execute('START SLAVE SQL_THREAD');
  }

  async replicaStatus(): Promise<Record<string, unknown>> {
    const [rows] = (await this.replica.query('SHOW SLAVE STATUS')) as [Record<string, unknown>[]];
    const status = rows[0] ?? {};
    return { io: status.Slave_IO_Running, sql: status.Slave_SQL_Running, lastError: status.Last_Error, lastIoError: status.Last_IO_Error };
  }

  async destroy(): Promise<void> {
    await Promise.all([this.replica.destroy(), this.primary.destroy()]);
  }
}

/** One private `mariadbd`: its own data directory, port, socket and pid file. */
export class MariaDbProcess {
  private process: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private log = '';

  private constructor(
    readonly name: string,
    readonly directory: string,
    readonly port: number,
    private readonly serverArguments: string[],
  ) {}

  static async start(name: string, serverArguments: string[]): Promise<MariaDbProcess> {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), `credits-${name}-mariadb-`));
    const server = new MariaDbProcess(name, directory, await freePort(), serverArguments);
    fs.mkdirSync(server.temporaryDirectory);
    try {
      await run('mariadb-install-db', [
        '--no-defaults',
        `--datadir=${server.dataDirectory}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--skip-name-resolve',
        // Options the script does not know go to the bootstrap server: its temporary tables stay
        // in this directory, apart from other servers bootstrapping in /tmp at the same moment.
        `--tmpdir=${server.temporaryDirectory}`,
      ]);
      await server.launch();
    } catch (error) {
      await server.destroy();
      throw error;
    }
    return server;
  }

  get dataDirectory(): string {
    return path.join(this.directory, 'data');
  }

  get temporaryDirectory(): string {
    return path.join(this.directory, 'tmp');
  }

  /** The root URL (no database); append `/<name>`. */
  get rootUrl(): string {
    return `mariadb://root@127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.process !== null;
  }

  async execute(sql: string, parameters: unknown[] = []): Promise<void> {
    await this.query(sql, parameters);
  }

  async query(sql: string, parameters: unknown[] = []): Promise<unknown> {
    const connection = await mysql.createConnection({ host: '127.0.0.1', port: this.port, user: 'root' });
    try {
      return await connection.query(sql, parameters);
    } finally {
      await connection.end();
    }
  }

  /** SIGKILL, as a crash or a pulled plug: connections are cut at once. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child) return;
    child.kill('SIGKILL');
    await this.exited;
    this.process = null;
  }

  async destroy(): Promise<void> {
    await this.kill();
    fs.rmSync(this.directory, { recursive: true, force: true });
  }

  private async launch(timeoutMs = 60_000): Promise<void> {
    const child = spawn(
      '/usr/sbin/mariadbd',
      [
        '--no-defaults',
        ...(process.getuid?.() === 0 ? ['--user=root'] : []),
        `--datadir=${this.dataDirectory}`,
        `--tmpdir=${this.temporaryDirectory}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${path.join(this.directory, 'mariadbd.sock')}`,
        `--pid-file=${path.join(this.directory, 'mariadbd.pid')}`,
        '--skip-name-resolve',
        '--performance-schema=OFF',
        '--innodb-buffer-pool-size=64M',
        '--innodb-use-native-aio=0',
        '--max-connections=500',
        ...this.serverArguments,
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
      if (!this.process) throw new Error(`the ${this.name} mariadbd exited while starting:\n${this.log}`);
      try {
        const connection = await mysql.createConnection({ host: '127.0.0.1', port: this.port, user: 'root', connectTimeout: 1000 });
        await connection.end();
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`the ${this.name} mariadbd did not answer within ${timeoutMs} ms: ${(error as Error).message}\n${this.log}`, { cause: error });
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}

/** A port nobody listens on right now (the kernel picks it; we close it and hand it on). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
