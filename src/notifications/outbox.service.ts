import { randomUUID } from 'node:crypto';
import { EntityManager, In, IsNull, LessThan } from 'typeorm';
import type { Logger } from '../common/logger';
import { insertRows } from '../database/bulk-insert';
import type { TransactionRunner } from '../database/transaction-runner';
import type { NotificationBus } from './bus';
import { OutboxEventEntity } from './outbox.entity';
import { OutboxMessage } from './topics';

const LEASE_MS = 15_000;
const BATCH_SIZE = 200;

/**
 * Writes notifications inside the caller's transaction and publishes them after commit.
 * Each process drains the table: right after each of its own commits, and on a timer for rows
 * left behind by a crashed process. A row is claimed with a lease before publishing and marked
 * published after, so delivery is at least once and never lost.
 */
export class OutboxService {
  private readonly processId = randomUUID();
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  private stopped = false;
  /** Tests turn this off to simulate a crash between commit and publish. */
  publishingEnabled = true;

  constructor(
    private readonly runner: TransactionRunner,
    private readonly bus: NotificationBus,
    private readonly logger: Logger,
  ) {}

  /** Writes the messages (one multi-row insert) and has them published once the transaction commits. */
  async add(manager: EntityManager, messages: OutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const now = new Date();
    this.runner.afterCommit(manager, this.kickAfterCommit);
    await insertRows(
      manager,
      OutboxEventEntity,
      messages.map((message) => ({
        topic: message.topic,
        payload: JSON.stringify({ key: message.key, payload: message.payload }),
        createdAt: now,
        leaseOwner: null,
        leaseUntil: null,
        publishedAt: null,
      })),
    );
  }

  start(pollIntervalMs: number): void {
    this.timer = setInterval(() => this.kick(), pollIntervalMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.draining;
  }

  /** Registered on every transaction that writes outbox rows, once per transaction. */
  private readonly kickAfterCommit = () => this.kick();

  /** Asks for a drain soon; runs after every commit that wrote outbox rows. */
  kick(): void {
    // After stop() the connections are closing; rows left now are drained by the next process.
    if (!this.publishingEnabled || this.stopped) return;
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = this.drainUntilEmpty()
      .catch((error) => this.logger.error({ err: error }, 'outbox drain failed; will retry'))
      .finally(() => {
        this.draining = null;
        if (this.drainAgain) {
          this.drainAgain = false;
          this.kick();
        }
      });
  }

  /** Resolves when everything committed so far has been published (tests and shutdown). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
    await this.drainUntilEmpty();
  }

  private async drainUntilEmpty(): Promise<void> {
    while (this.publishingEnabled) {
      const claimed = await this.claimBatch();
      if (claimed.length === 0) return;
      for (const row of claimed) {
        const { key, payload } = JSON.parse(row.payload) as OutboxMessage;
        await this.bus.publish(row.topic, key, { ...payload, eventId: row.id });
      }
      await this.runner.transaction((manager) =>
        manager.update(OutboxEventEntity, { id: In(claimed.map((row) => row.id)), leaseOwner: this.processId }, {
          publishedAt: new Date(),
        }),
      );
      if (claimed.length < BATCH_SIZE) return;
    }
  }

  private async claimBatch(): Promise<OutboxEventEntity[]> {
    return this.runner.transaction(async (manager) => {
      const now = new Date();
      const candidates = await manager.find(OutboxEventEntity, {
        select: { id: true, leaseUntil: true },
        where: [
          { publishedAt: IsNull(), leaseUntil: IsNull() },
          { publishedAt: IsNull(), leaseUntil: LessThan(now) },
        ],
        order: { id: 'ASC' },
        take: BATCH_SIZE,
      });
      if (candidates.length === 0) return [];
      const ids = candidates.map((row) => row.id);
      // The conditional update is the claim: of several processes, only one wins each row.
      await manager
        .createQueryBuilder()
        .update(OutboxEventEntity)
        .set({ leaseOwner: this.processId, leaseUntil: new Date(now.getTime() + LEASE_MS) })
        .where({ id: In(ids), publishedAt: IsNull() })
        .andWhere('(leaseUntil IS NULL OR leaseUntil < :now)', { now })
        .execute();
      return manager.find(OutboxEventEntity, {
        where: { id: In(ids), leaseOwner: this.processId, publishedAt: IsNull() },
        order: { id: 'ASC' },
      });
    });
  }
}
