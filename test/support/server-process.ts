import { ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { compiledEntry, ROOT } from './compiled-server';
import type { GraphQLResult } from './harness';

/** A child process running one of the repository's entry points; stdout and stderr are piped. */
export type EntryProcess = ChildProcessByStdio<null, Readable, Readable>;

/**
 * Runs `entry` (default `src/main.ts`, the real server) in a process of its own with exactly `env`
 * (pass `...process.env` to inherit), from the test run's swc-compiled copy of the repository: the
 * code `npm start` runs, without paying a TypeScript compile in every child (see docs/testing.md).
 */
export function spawnEntry(env: NodeJS.ProcessEnv, entry = 'src/main.ts'): EntryProcess {
  return spawn(process.execPath, [compiledEntry(entry)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The real server in a process of its own (src/main.ts, compiled once per test run). */
export interface ServerProcess {
  readonly name: string;
  readonly graphqlUrl: string;
  readonly websocketUrl: string;
  /** Everything the process printed (its pino logs), the last 200 kB. */
  output(): string;
  /**
   * Resolves once the output contains `text`; fails after `timeoutMs` with the output. pino writes to
   * stdout asynchronously, so a line logged while a request was answered may reach us after the answer.
   */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  /** One GraphQL POST over HTTP; never throws on GraphQL errors. */
  call<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>>;
  /** SIGTERM, then waits for the exit (SIGKILL after 15 s). */
  stop(): Promise<void>;
}

/** Starts `src/main.ts` with `env` over the test's environment and resolves once it listens. */
export async function startServerProcess(name: string, env: Record<string, string>, timeoutMs = 90_000): Promise<ServerProcess> {
  const child = spawnEntry({ ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env });
  let output = '';
  const append = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200_000));
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const graphqlUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${output.slice(-4000)}`)), timeoutMs);
    const look = () => {
      const match = /"url":"(http:[^"]+\/graphql)"/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', look);
      resolve(match[1]);
    };
    child.stdout.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} while starting:\n${output.slice(-4000)}`));
    });
  });

  return {
    name,
    graphqlUrl,
    websocketUrl: graphqlUrl.replace(/^http/, 'ws'),
    output: () => output,
    async waitForOutput(text: string, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(text)) {
        if (Date.now() > deadline) throw new Error(`${name} did not print ${JSON.stringify(text)} within ${timeoutMs} ms:\n${output.slice(-4000)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async call<T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResult<T>> {
      const response = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Partial<GraphQLResult<T>>;
      return { data: body.data ?? null, errors: body.errors ?? [] };
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(force);
    },
  };
}
