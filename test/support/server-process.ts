import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { GraphQLResult } from './harness';

const ROOT = path.join(__dirname, '..', '..');

/** The real server in a process of its own, started as `npm run dev` starts it (src/main.ts through ts-node). */
export interface ServerProcess {
  readonly name: string;
  readonly graphqlUrl: string;
  readonly websocketUrl: string;
  /** Everything the process printed (its pino logs), the last 200 kB. */
  output(): string;
  /** One GraphQL POST over HTTP; never throws on GraphQL errors. */
  call<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResult<T>>;
  /** SIGTERM, then waits for the exit (SIGKILL after 15 s). */
  stop(): Promise<void>;
}

/** Starts `src/main.ts` with `env` over the test's environment and resolves once it listens. */
export async function startServerProcess(name: string, env: Record<string, string>, timeoutMs = 90_000): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200_000));
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const graphqlUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${output.slice(-4000)}`)), timeoutMs);
    const look = () => {
      const match = /"url":"(http:[^"]+\/graphql)"/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', look);
      resolve(match[1]);
    };
    child.stdout!.on('data', look);
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
