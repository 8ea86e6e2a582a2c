import { In, LessThan } from 'typeorm';
import { PaymentFailureCode } from '../providers/failure-codes';
import type { Logger } from '../../common/logger';
import type { PaymentEvent } from '../providers/payment-provider';
import { PaymentMethod } from '../providers/payment-provider';
import type { PaymentLifecycle } from './payment-lifecycle';
import type { TransactionRunner } from '../../database/transaction-runner';
import type { OutboxService } from '../../notifications/outbox.service';
import { TopUpEntity } from './entities/top-up.entity';
import { OPEN_TOP_UP_STATUSES, TopUpStatus } from './top-up.enums';
import { announceStatus, moveStatus } from './top-up-status';

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
    private readonly dependencies: {
      runner: TransactionRunner;
      outbox: OutboxService;
      paymentLifecycle: PaymentLifecycle;
      /** Asks VNPay for a payment's state (querydr); null when VNPay does not know it. */
      queryVnpay: (topUp: TopUpEntity) => Promise<PaymentEvent | null>;
      logger: Logger;
    },
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
    const { runner, outbox, paymentLifecycle } = this.dependencies;
    const due = await runner.read((manager) =>
      manager.find(TopUpEntity, {
        where: { status: In([...OPEN_TOP_UP_STATUSES]), expiresAt: LessThan(now) },
        order: { expiresAt: 'ASC' },
        take: BATCH_SIZE,
      }),
    );
    let expired = 0;
    for (const topUp of due) {
      if (await this.settledAtVnpay(topUp)) continue;
      const moved = await runner.transaction(async (manager) => {
        const changed = await moveStatus(manager, topUp, {
          from: OPEN_TOP_UP_STATUSES,
          to: TopUpStatus.EXPIRED,
          now: new Date(),
          failureCode: PaymentFailureCode.EXPIRED,
          expiredBefore: now,
        });
        if (changed) await announceStatus(manager, outbox, topUp);
        return changed;
      });
      if (!moved) continue;
      expired++;
      await paymentLifecycle.cancelAtProvider(topUp);
    }
    return expired;
  }

  /**
   * VNPay's IPN can be lost. Before giving up on a VNPay top-up, ask VNPay (querydr): a payment it
   * reports as done is applied like an IPN (credited once); one it cannot confirm is expired. When
   * VNPay cannot be asked, the top-up stays open until the next sweep.
   */
  private async settledAtVnpay(topUp: TopUpEntity): Promise<boolean> {
    if (topUp.method !== PaymentMethod.VNPAY || !topUp.providerReference) return false;
    try {
      const event = await this.dependencies.queryVnpay(topUp);
      if (event?.outcome !== 'SUCCEEDED') return false;
      await this.dependencies.paymentLifecycle.apply(event);
      return true;
    } catch (error) {
      this.dependencies.logger.warn({ err: error, topUpId: topUp.id }, 'VNPay querydr failed; the top-up stays open until the next sweep');
      return true;
    }
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.expireDue()
      // A database outage is already one line of its own (src/common/dependency-outages.ts).
      .catch((error) => {
        if (!this.dependencies.runner.outages.explains(error)) this.dependencies.logger.error({ err: error }, 'top-up expiry sweep failed; will retry');
      })
      .finally(() => {
        this.running = null;
      });
  }
}
