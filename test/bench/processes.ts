import { ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

/**
 * A benchmark process (the server under test, or the Apollo floor) in its own Node process, so
 * the load generator never shares an event loop with what it measures. The parent talks to it
 * over Node's IPC channel: `call(op, args)` runs one set-up or read-out operation there.
 */
export interface BenchProcess {
  readonly pid: number;
  readonly info: Record<string, string>;
  call<T = unknown>(operation: string, args?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

interface Reply {
  id?: number;
  ready?: Record<string, string>;
  result?: unknown;
  error?: string;
}

/**
 * Forks `script` (a TypeScript file run through ts-node's transpiler; the code under load is the
 * same JavaScript either way) and resolves once it reports ready.
 */
export async function startBenchProcess(script: string, env: Record<string, string>): Promise<BenchProcess> {
  const execArgv = ['-r', 'ts-node/register/transpile-only'];
  const child: ChildProcess = fork(path.resolve(__dirname, script), [], {
    execArgv,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', ...env },
    // The server's own logs go to /dev/null: written (that cost is part of what is measured), not shown.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let exited = false;
  const ready = new Promise<Record<string, string>>((resolve, reject) => {
    child.on('message', (message: Reply) => {
      if (message.ready) return resolve(message.ready);
      const waiter = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id!);
      if (message.error) waiter.reject(new Error(`${script}: ${message.error}`));
      else waiter.resolve(message.result);
    });
    child.on('exit', (code) => {
      exited = true;
      const error = new Error(`${script} exited with code ${code}`);
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    });
  });
  const info = await ready;
  return {
    pid: child.pid!,
    info,
    call<T>(operation: string, args: Record<string, unknown> = {}) {
      if (exited) return Promise.reject(new Error(`${script} is not running`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id, operation, args });
      });
    },
    async stop() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.send({ operation: 'stop' });
      await gone;
    },
  };
}

/** Operations every benchmark process answers. */
let inspector: Session | undefined;

const BUILT_IN: Record<string, (args: any) => Promise<unknown>> = {
  /** The CPU time this process has used (user and system, µs), read before and after a run. */
  cpu: async () => process.cpuUsage(),
  /** A CPU profile of this process over a measured window only (start-up and set-up left out). */
  profileStart: async () => {
    if (!inspector) {
      inspector = new Session();
      inspector.connect();
    }
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.start');
  },
  profileStop: async ({ directory, name }: { directory: string; name: string }) => {
    const { profile } = await inspector!.post('Profiler.stop');
    fs.mkdirSync(directory, { recursive: true });
    const file = path.join(directory, `${name}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(profile));
    return file;
  },
};

/**
 * Wraps a workload so its result carries the CPU time the process under load spent per request
 * answered (`cpuMicrosPerRequest`): unlike a rate, it hardly moves when other work on the machine
 * takes cores away, so it compares two servers fairly on a busy machine.
 */
export function withCpuPerRequest<Result extends { requests: number }>(
  target: BenchProcess,
  run: () => Promise<Result>,
): () => Promise<Result & { cpuMicrosPerRequest: number }> {
  return async () => {
    const before = await target.call<NodeJS.CpuUsage>('cpu');
    const result = await run();
    const after = await target.call<NodeJS.CpuUsage>('cpu');
    const micros = after.user - before.user + (after.system - before.system);
    return { ...result, cpuMicrosPerRequest: micros / Math.max(1, result.requests) };
  };
}

/** The child's side: answers `call`s with `handlers`, and stops (cleanly, so a CPU profile is written) on `stop`. */
export function serveBenchOperations(
  ready: Record<string, string>,
  handlers: Record<string, (args: any) => Promise<unknown>>,
  stop: () => Promise<void>,
): void {
  process.on('message', async (message: { id?: number; operation: string; args?: Record<string, unknown> }) => {
    if (message.operation === 'stop') {
      await stop();
      process.disconnect?.();
      process.exit(0);
    }
    const handler = handlers[message.operation] ?? BUILT_IN[message.operation];
    try {
      if (!handler) throw new Error(`unknown operation ${message.operation}`);
      process.send!({ id: message.id, result: await handler(message.args ?? {}) });
    } catch (error) {
      process.send!({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
  process.send!({ ready });
}

/**
 * With BENCH_CPU_PROF=dir, wraps a workload so the server process writes a CPU profile of each of
 * its runs (dir/<name>-<n>.cpuprofile), covering that measured window only; otherwise returns it as is.
 */
export function profiledRuns<Result>(server: BenchProcess, name: string, run: () => Promise<Result>): () => Promise<Result> {
  const directory = process.env.BENCH_CPU_PROF;
  if (!directory) return run;
  let runs = 0;
  return async () => {
    await server.call('profileStart');
    try {
      return await run();
    } finally {
      const file = await server.call<string>('profileStop', { directory: path.resolve(directory), name: `${name}-${++runs}` });
      console.log(`  CPU profile of the server: ${file}`);
    }
  };
}
