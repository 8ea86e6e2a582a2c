/**
 * Runs one process's share of background work (webhook deliveries, auto-transfer firings): `drain`
 * runs at once when kicked, never twice at the same time (a kick while it runs makes it run once
 * more afterwards, so nothing written meanwhile waits for the timer), and on a timer, for work a
 * crashed process left behind. A failed drain is reported and tried again on the next kick or tick.
 */
export class BackgroundDrain {
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  private stopped = false;

  constructor(
    private readonly drain: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
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
      .catch(this.onError)
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
