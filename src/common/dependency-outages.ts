import type { Logger } from './logger';

/** What a process depends on outside itself; the `dependency` field of the outage lines. */
export type Dependency = 'database' | 'redis' | 'read-replica';

/** One dependency as the outage lines name it, and how to tell its failures from others. */
export interface DependencyDescription {
  /** As the lines name it: `database`, `Redis`. */
  label: string;
  /** What the process does while the dependency is away, said in the warning line. */
  whileDown: string;
  /**
   * Whether an error some work threw is this dependency being unreachable (not a bug, not a
   * refusal). Absent for a dependency whose watchers report it themselves and whose failures never
   * reach other code (the replica reads fall back to the primary).
   */
  recognises?(error: unknown): boolean;
  /**
   * Failures that are no outage by themselves but follow from one in progress (a pooled connection
   * that never became free while the database is away): quiet during an outage, logged otherwise.
   */
  followsFromOutage?(error: unknown): boolean;
}

interface Outage {
  since: number;
  /** The watchers that lost the dependency and have not reached it again. */
  watchers: Set<string>;
}

/**
 * One process's view of its dependencies (the database, Redis, a read replica): which are away
 * now, so that an outage is one warning line when it starts and one info line when it ends,
 * however many connections, pollers and retries meet it in between, and never a stack trace.
 *
 * A watcher is whatever keeps meeting a dependency on its own (a Redis connection, a poller): it
 * says when it lost the dependency and when it reached it again. The outage starts with the first
 * watcher that loses it and ends when the last of those watchers reaches it again, so clients that
 * reconnect one after another make one pair of lines, not one per client. Code that meets a
 * dependency only in passing (a request, a readiness probe) asks `explains` and stays quiet while
 * the outage is already logged.
 */
export class DependencyOutages {
  private readonly outages = new Map<Dependency, Outage>();

  /**
   * `dependencies` are asked to recognise an error in the order given: the most specific first (a
   * Redis failure may wrap a socket error that a database recogniser would also take).
   */
  constructor(
    private readonly logger: Logger,
    private readonly dependencies: Readonly<Record<Dependency, DependencyDescription>>,
  ) {}

  /**
   * `watcher` lost `dependency`: the first loss of an outage logs one warning, the others nothing
   * above debug (one debug line per watcher and outage; a retry already counted says nothing).
   */
  lost(dependency: Dependency, watcher: string, error: unknown): void {
    const { label, whileDown } = this.dependencies[dependency];
    let outage = this.outages.get(dependency);
    if (!outage) {
      outage = { since: Date.now(), watchers: new Set() };
      this.outages.set(dependency, outage);
      this.logger.warn({ dependency, noticedBy: watcher, ...reasonOf(error) }, `${label} unreachable: ${whileDown}`);
    }
    if (outage.watchers.has(watcher)) return;
    outage.watchers.add(watcher);
    this.logger.debug({ dependency, watcher }, `${label} lost by ${watcher}`);
  }

  /** `watcher` reached `dependency` again; once no watcher is without it, one info line. Cheap when nothing is down. */
  restored(dependency: Dependency, watcher: string): void {
    const outage = this.outages.get(dependency);
    if (!outage?.watchers.delete(watcher)) return;
    const { label } = this.dependencies[dependency];
    this.logger.debug({ dependency, watcher, waitingFor: [...outage.watchers] }, `${label} reached again by ${watcher}`);
    if (outage.watchers.size > 0) return;
    this.outages.delete(dependency);
    const downForMs = Date.now() - outage.since;
    this.logger.info({ dependency, downForMs }, `${label} reachable again after ${(downForMs / 1000).toFixed(1)} s`);
  }

  /**
   * A watcher's work failed. When a dependency recognises the error, the watcher has lost it (see
   * `lost`) and the answer is true; otherwise false, and the caller logs the error as the bug it is.
   */
  failed(watcher: string, error: unknown): boolean {
    const dependency = this.recognising(error);
    if (dependency === null) return false;
    this.lost(dependency, watcher, error);
    return true;
  }

  /** A watcher's work succeeded: it reached every dependency it had lost. */
  succeeded(watcher: string): void {
    if (this.outages.size === 0) return;
    for (const dependency of [...this.outages.keys()]) this.restored(dependency, watcher);
  }

  /** Whether `error` is a dependency being unreachable, or follows from it, while its outage is already logged: nothing more to say. */
  explains(error: unknown): boolean {
    if (this.outages.size === 0) return false;
    const dependency = this.recognising(error);
    if (dependency !== null) return this.outages.has(dependency);
    for (const name of this.outages.keys()) if (this.dependencies[name].followsFromOutage?.(error)) return true;
    return false;
  }

  isDown(dependency: Dependency): boolean {
    return this.outages.has(dependency);
  }

  private recognising(error: unknown): Dependency | null {
    for (const [name, described] of Object.entries(this.dependencies) as [Dependency, DependencyDescription][]) {
      if (described.recognises?.(error)) return name;
    }
    return null;
  }
}

/**
 * What the warning says went wrong: the innermost error's message and code (a wrapper such as
 * SERVICE_UNAVAILABLE says less than the socket error it wraps). Never the stack: the cause is
 * outside this process, and the line must stay one line.
 */
export function reasonOf(error: unknown): { reason: string; code?: string } {
  let innermost: unknown = error;
  for (let depth = 0; depth < 4; depth++) {
    const next = (innermost as { driverError?: unknown; cause?: unknown } | null)?.driverError ?? (innermost as { cause?: unknown } | null)?.cause;
    if (!next || typeof next !== 'object') break;
    innermost = next;
  }
  const { message, code } = (innermost ?? {}) as { message?: unknown; code?: unknown };
  return { reason: typeof message === 'string' ? message : String(innermost), ...(typeof code === 'string' ? { code } : {}) };
}
