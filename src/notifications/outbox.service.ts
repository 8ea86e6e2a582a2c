import { randomUUID } from 'node:crypto';
import { EntityManager, In, IsNull, LessThan } from 'typeorm';
import { BackgroundDrain } from '../common/background-drain';
import { reasonOf } from '../common/dependency-outages';
import type { Logger } from '../common/logger';
import { insertRows } from '../database/bulk-insert';
import type { TransactionRunner } from '../database/transaction-runner';
import type { NotificationBus } from './bus';
import { OutboxEventEntity } from './outbox.entity';
import { OutboxMessage } from './topics';

const LEASE_MS = 15_000;
const BATCH_SIZE = 200;

/** A committed outbox event as consumers see it: its id (unique and stable) and what it carries. */
export interface ConsumedOutboxEvent {
  id: number;
  topic: string;
  key: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Work derived from committed events (balance thresholds, webhook deliveries). `consume` runs in the
 * transaction that marks the batch published, so an event is consumed exactly when it is marked;
 * a crash before that commit consumes it again later, so consumers key their rows on the event id.
 */
export interface OutboxConsumer {
  consume(manager: EntityManager, events: ConsumedOutboxEvent[]): Promise<void>;
  /** After that transaction commits (e.g. to wake a delivery worker). */
  afterCommit?(): void;
}

/**
 * Whether this process drains the outbox now; given by the composition root. Production always
 * drains; a test that must leave committed rows unpublished (as a crash between commit and publish
 * would, or to keep the drain's statements out of a count) gives a switch it can turn off.
 */
export interface OutboxDrainSwitch {
  readonly enabled: boolean;
}

export const ALWAYS_DRAIN: OutboxDrainSwitch = { enabled: true };

/**
 * Writes notifications inside the caller's transaction and publishes them after commit.
 * Each process drains the table: right after each of its own commits, and on a timer for rows
 * left behind by a crashed process. A row is claimed with a lease before publishing and marked
 * published after, so delivery is at least once and never lost.
 */
export class OutboxService {
  private readonly processId = randomUUID();
  private readonly background = new BackgroundDrain(
    () => this.drainUntilEmpty(),
    (error) => this.logger.warn({ err: error }, 'outbox drain failed; the rows stay and are retried'),
    // The database or Redis away: one line per outage (src/common/dependency-outages.ts), not one per poll.
    { outages: this.runner.outages, watcher: 'outbox' },
  );
  private readonly consumers: OutboxConsumer[] = [];

  constructor(
    private readonly runner: TransactionRunner,
    private readonly bus: NotificationBus,
    private readonly logger: Logger,
    private readonly drain: OutboxDrainSwitch = ALWAYS_DRAIN,
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

  addConsumer(consumer: OutboxConsumer): void {
    this.consumers.push(consumer);
  }

  start(pollIntervalMs: number): void {
    this.background.start(pollIntervalMs);
  }

  /**
   * Stops the timer and kicks, then drains once more: called at shutdown after the in-flight
   * requests finished, so what they committed is published before the bus closes. If that fails
   * (database or Redis away), the rows stay for the next process.
   */
  async stop(): Promise<void> {
    await this.background.stop();
    if (!this.drain.enabled) return;
    try {
      await this.drainUntilEmpty();
    } catch (error) {
      // A known outage needs no stack trace: its reason says it all.
      const detail = this.runner.outages.explains(error) ? reasonOf(error) : { err: error };
      this.logger.warn(detail, 'final outbox drain failed; the next process publishes what is left');
    }
  }

  /** Registered on every transaction that writes outbox rows, once per transaction. */
  private readonly kickAfterCommit = () => this.kick();

  /** Asks for a drain soon; runs after every commit that wrote outbox rows. */
  kick(): void {
    // After stop() the connections are closing (the background drain ignores kicks); rows left now are
    // drained by the next process.
    if (!this.drain.enabled) return;
    this.background.kick();
  }

  /** Resolves when everything committed so far has been published (tests and shutdown). */
  flush(): Promise<void> {
    return this.background.flush();
  }

  private async drainUntilEmpty(): Promise<void> {
    while (this.drain.enabled) {
      const claimed = await this.claimBatch();
      if (claimed.length === 0) return;
      const published: number[] = [];
      const events: ConsumedOutboxEvent[] = [];
      try {
        for (const row of claimed) {
          const { key, payload } = JSON.parse(row.payload) as OutboxMessage;
          await this.bus.publish(row.topic, key, { ...payload, eventId: row.id });
          published.push(row.id);
          events.push({ id: row.id, topic: row.topic, key, payload, createdAt: row.createdAt });
        }
      } catch (error) {
        // The bus refused (Redis away): record what did go out, and hand the rest back at once
        // rather than leaving it leased, so the first drain after Redis returns publishes it.
        await this.settle(
          events,
          claimed.filter((row) => !published.includes(row.id)).map((row) => row.id),
        );
        throw error;
      }
      await this.settle(events, []);
      // Consumers may have written new outbox rows (balanceLow): drain again rather than wait.
      if (claimed.length < BATCH_SIZE && this.consumers.length === 0) return;
    }
  }

  /** Marks rows published (only after the bus took them) and releases this process's lease on others. */
  /**
   * Marks what was published, running the consumers in the same transaction (so an event counts as
   * consumed exactly when it is marked), and hands back what was not.
   */
  private async settle(published: ConsumedOutboxEvent[], unpublishedIds: number[]): Promise<void> {
    await this.runner.transaction(async (manager) => {
      if (published.length > 0) {
        for (const consumer of this.consumers) await consumer.consume(manager, published);
        await manager.update(OutboxEventEntity, { id: In(published.map((event) => event.id)), leaseOwner: this.processId }, { publishedAt: new Date() });
      }
      if (unpublishedIds.length > 0) {
        await manager.update(
          OutboxEventEntity,
          { id: In(unpublishedIds), leaseOwner: this.processId, publishedAt: IsNull() },
          {
            leaseOwner: null,
            leaseUntil: null,
          },
        );
      }
    });
    if (published.length > 0) for (const consumer of this.consumers) consumer.afterCommit?.();
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
