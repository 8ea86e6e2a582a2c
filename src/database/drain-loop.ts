/**
 * Runs a background `drain` (claim due rows with a lease, work on them, until none is left) on a
 * timer and whenever `kick()` is called, never two at once in one process: a kick during a drain
 * asks for one more drain after it. The work that claims rows (the outbox, webhook deliveries,
 * auto-recharge charges) is the caller's; this is only the loop around it.
 */
export class DrainLoop {
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  private stopped = false;

  constructor(
    private readonly drain: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  start(pollIntervalMs: number): void {
    this.timer = setInterval(() => this.kick(), pollIntervalMs);
    this.timer.unref();
    this.kick();
  }

  /** Stops the timer and the kicks, and waits for a drain under way. */
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

  /** Waits for a drain under way, then drains once more (tests). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
    await this.drain();
  }
}
