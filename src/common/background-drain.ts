import type { DependencyOutages } from './dependency-outages';

/** A poller as a watcher of the dependencies it meets (see DependencyOutages): its name, and where it reports. */
export interface DrainWatch {
  outages: DependencyOutages;
  watcher: string;
}

/**
 * Runs one process's share of background work (webhook deliveries, auto-transfer firings): `drain`
 * runs at once when kicked, never twice at the same time (a kick while it runs makes it run once
 * more afterwards, so nothing written meanwhile waits for the timer), and on a timer, for work a
 * crashed process left behind. A failed drain is tried again on the next kick or tick; a failure
 * that is a dependency outage goes to `watch` (one line per outage, however often the timer meets
 * it), any other to `onError`.
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

  /** True once `stop` was called: a drain that loops checks it between rounds. */
  get isStopped(): boolean {
    return this.stopped;
  }

  start(pollIntervalMs: number): void {
    this.timer = setInterval(() => this.kick(), pollIntervalMs);
    this.timer.unref();
    this.kick();
  }

  /** Stops the timer and waits for the drain under way; later kicks do nothing. */
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
    this.draining = this.drain()
      .then(
        () => this.watch?.outages.succeeded(this.watch.watcher),
        (error) => {
          const watch = this.watch;
          if (watch && (watch.outages.failed(watch.watcher, error) || watch.outages.explains(error))) return;
          this.onError(error);
        },
      )
      .finally(() => {
        this.draining = null;
        if (this.drainAgain) {
          this.drainAgain = false;
          this.kick();
        }
      });
  }

  /** Waits for the drain under way, then drains once more (tests: everything due now is done). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
    await this.drain();
  }
}
