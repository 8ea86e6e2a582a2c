import { In, LessThan } from 'typeorm';
import type { Logger } from '../common/logger';
import type { TransactionRunner } from '../database/transaction-runner';
import type { OutboxService } from '../notifications/outbox.service';
import { TopUpEntity } from './entities/top-up.entity';
import { OPEN_TOP_UP_STATUSES, TopUpStatus } from './top-up.enums';
import { announceStatus, moveStatus } from './top-up-status';
import type { TopUpsService } from './top-ups.service';

const BATCH_SIZE = 100;

/**
 * Closes top-ups nobody paid in time. Safe on any number of processes at once: each row moves by a
 * conditional update (open status and expiresAt in the past), so exactly one process expires it
 * and writes its notification; the others see no affected row and move on.
 */
export class TopUpExpiryJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly dependencies: { runner: TransactionRunner; outbox: OutboxService; topUps: TopUpsService; logger: Logger },
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Expires what is due now; returns how many top-ups this call expired. */
  async expireDue(now = new Date()): Promise<number> {
    const { runner, outbox, topUps } = this.dependencies;
    const due = await runner.read((manager) =>
      manager.find(TopUpEntity, {
        where: { status: In([...OPEN_TOP_UP_STATUSES]), expiresAt: LessThan(now) },
        order: { expiresAt: 'ASC' },
        take: BATCH_SIZE,
      }),
    );
    let expired = 0;
    for (const topUp of due) {
      const moved = await runner.transaction(async (manager) => {
        const changed = await moveStatus(manager, topUp, {
          from: OPEN_TOP_UP_STATUSES,
          to: TopUpStatus.EXPIRED,
          now: new Date(),
          failureReason: 'Not paid in time',
          expiredBefore: now,
        });
        if (changed) await announceStatus(manager, outbox, topUp);
        return changed;
      });
      if (!moved) continue;
      expired++;
      await topUps.cancelAtProvider(topUp.method, topUp.providerReference);
    }
    if (expired > 0) outbox.kick();
    return expired;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.expireDue()
      .catch((error) => this.dependencies.logger.error({ err: error }, 'top-up expiry sweep failed; will retry'))
      .finally(() => {
        this.running = null;
      });
  }
}
