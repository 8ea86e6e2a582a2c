import type { DependencyOutages } from './dependency-outages';

/** A poller as a watcher of the dependencies it meets (see DependencyOutages): its name, and where it reports. */
export interface DrainWatch {
  outages: DependencyOutages;
  watcher: string;
}

/**
 * Runs one process's share of background work (the outbox relay and the workers): `drain` runs at
 * once when kicked, on a timer (for work a crashed process left behind) and when asked by
 * `runNow`, never twice at the same time: a kick while it runs makes it run once more afterwards,
 * so nothing written meanwhile waits for the timer. A failed background run is tried again on the
 * next kick or tick; a failure that is a dependency outage goes to `watch` (one line per outage,
 * however often the timer meets it), any other to `onError`.
 */
export class BackgroundDrain {
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  private stopped = false;

  constructor(
    private readonly drain: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
    private readonly watch?: DrainWatch,
  ) {}

  /** True once `stop` was called (until `start`): a drain that loops checks it between rounds. */
  get isStopped(): boolean {
    return this.stopped;
  }

  start(pollIntervalMs: number): void {
    this.stopped = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => this.kick(), pollIntervalMs);
    this.timer.unref();
    this.kick();
  }

  /** Stops the timer and waits for the run under way; later kicks and runs do nothing until `start`. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    while (this.draining) await this.draining;
  }

  kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.track(
      this.drain().then(
        () => this.watch?.outages.succeeded(this.watch.watcher),
        (error) => {
          const watch = this.watch;
          if (watch && (watch.outages.failed(watch.watcher, error) || watch.outages.explains(error))) return;
          this.onError(error);
        },
      ),
    );
  }

  /**
   * Waits for the run under way, then runs once more and resolves when that run is done, or rejects
   * with its error. Stopped, it does nothing: what is due waits for the next process.
   */
  async runNow(): Promise<void> {
    while (this.draining) await this.draining;
    if (this.stopped) return;
    const run = this.drain();
    this.track(run.catch(() => undefined));
    await run;
  }

  private track(run: Promise<void>): void {
    this.draining = run.finally(() => {
      this.draining = null;
      if (this.drainAgain) {
        this.drainAgain = false;
        this.kick();
      }
    });
  }
}
