import { EntityManager, In, IsNull, MoreThan } from 'typeorm';
import type { EventDefinition, OutboxEvent } from '../common/event-definition';
import type { Logger } from '../common/logger';
import { insertRows } from '../database/bulk-insert';
import { claimLeasedRows } from '../database/lease-claim';
import { type Lease, LeasedWorker } from '../database/leased-worker';
import type { TransactionRunner } from '../database/transaction-runner';
import type { NotificationBus } from './bus';
import { OutboxEventEntity } from './outbox.entity';

/** How long a claimed row is this process's; also how long a row this release cannot read waits before it is claimed again. */
const LEASE_MS = 15_000;
const BATCH_SIZE = 200;

/** What an outbox row's `payload` column holds: the routing key, the event type's version and the payload's wire form. */
interface StoredEvent {
  key: string;
  /** Absent in rows written before event types had versions: version 1. */
  version?: number;
  payload: unknown;
}

/**
 * Work derived from committed events (balance thresholds, webhook deliveries, auto-recharge,
 * auto-transfers). `consume` runs in the transaction that marks the batch published, so an event
 * is consumed exactly when it is marked; a crash before that commit consumes it again later, so
 * consumers key their rows on the event id. Each reads its events through their definitions
 * (`BalanceChanged.of(events)`).
 */
export interface OutboxConsumer {
  consume(manager: EntityManager, events: OutboxEvent[]): Promise<void>;
  /** After that transaction commits (e.g. to wake a delivery worker). */
  afterCommit?(): void;
}

/**
 * The outbox: events are written (`emit`) inside the caller's transaction and relayed after it
 * commits. The relay is a leased worker: it claims the oldest unpublished rows with a lease,
 * publishes them on the bus in id order, then marks them published while running the consumers in
 * that same transaction; right after each commit that wrote rows, and on a timer for rows a crashed
 * process left behind. Delivery is at least once and never lost.
 */
export class OutboxService extends LeasedWorker<OutboxEventEntity> {
  private readonly consumers: OutboxConsumer[] = [];
  private readonly definitions = new Map<string, EventDefinition>();

  constructor(
    private readonly runner: TransactionRunner,
    private readonly bus: NotificationBus,
    private readonly logger: Logger,
    options: { pollIntervalMs: number; events: readonly EventDefinition[] },
  ) {
    super({
      runner,
      logger,
      pollIntervalMs: options.pollIntervalMs,
      drainFailureMessage: 'outbox drain failed; the rows stay and are retried',
      drainFailureLevel: 'warn',
    });
    for (const definition of options.events) {
      if (this.definitions.has(definition.topic)) throw new Error(`two event types are named ${definition.topic}`);
      this.definitions.set(definition.topic, definition);
    }
  }

  /**
   * Writes events of one type (one multi-row insert, each payload checked against the type's schema)
   * and has them relayed once the transaction commits.
   */
  async emit<Payload>(manager: EntityManager, type: EventDefinition<Payload>, payloads: readonly Payload[]): Promise<void> {
    if (payloads.length === 0) return;
    // A type no module declares would be written but never read: refuse it at once.
    if (this.definitions.get(type.topic) !== type) throw new Error(`event type ${type.topic} is not declared by any module (FeatureModule.events)`);
    const now = new Date();
    const rows = payloads.map((payload) => {
      const stored: StoredEvent = { key: type.keyOf(payload), version: type.version, payload: type.encode(payload) };
      return { topic: type.topic, payload: JSON.stringify(stored), createdAt: now, leaseOwner: null, leaseUntil: null, publishedAt: null };
    });
    this.runner.afterCommit(manager, this.kickAfterCommit);
    await insertRows(manager, OutboxEventEntity, rows);
  }

  /**
   * The committed events of one type written after `afterId`, published or not, in id order, read
   * inside the caller's transaction (a consumer that needs what followed an event; rows this release
   * cannot read are left out).
   */
  async eventsAfter<Payload>(manager: EntityManager, type: EventDefinition<Payload>, afterId: number): Promise<OutboxEvent<Payload>[]> {
    const rows = await manager.find(OutboxEventEntity, { where: { topic: type.topic, id: MoreThan(afterId) }, order: { id: 'ASC' } });
    return rows.flatMap((row) => {
      const event = this.read(row);
      return event && type.matches(event) ? [event] : [];
    });
  }

  addConsumer(consumer: OutboxConsumer): void {
    this.consumers.push(consumer);
  }

  /** Registered on every transaction that writes outbox rows, once per transaction. */
  private readonly kickAfterCommit = () => this.kick();

  protected claim(manager: EntityManager, { owner, now }: Lease): Promise<OutboxEventEntity[]> {
    return claimLeasedRows(manager, OutboxEventEntity, {
      where: { publishedAt: IsNull() },
      order: { id: 'ASC' },
      owner,
      leaseUntil: new Date(now.getTime() + LEASE_MS),
      now,
      take: BATCH_SIZE,
    });
  }

  /**
   * Publishes the claimed rows in id order, then marks them (see `settle`). A row this release cannot
   * read (an unknown type, a newer version, a payload that fails its schema) is neither published nor
   * consumed: it keeps its lease, so it is claimed again once the lease lapses, by a process that may
   * read it (docs/decisions/0150).
   */
  protected async work(claimed: OutboxEventEntity[], lease: Lease): Promise<void> {
    const published: OutboxEvent[] = [];
    const done = new Set<number>();
    try {
      for (const row of claimed) {
        const event = this.read(row);
        if (event) {
          await this.bus.publish(event.type.topic, event.key, { ...event.type.encode(event.payload), eventId: event.id });
          published.push(event);
        }
        done.add(row.id);
      }
    } catch (error) {
      // The bus refused (Redis away): record what did go out, and hand the rest back at once rather
      // than leaving it leased, so the first drain after Redis returns publishes it.
      await this.settle(
        lease,
        published,
        claimed.filter((row) => !done.has(row.id)).map((row) => row.id),
      );
      throw error;
    }
    await this.settle(lease, published, []);
  }

  /** A row through its event type's definition, or null (logged) when this release cannot read it. */
  private read(row: OutboxEventEntity): OutboxEvent | null {
    const stored = JSON.parse(row.payload) as StoredEvent;
    const version = stored.version ?? 1;
    const type = this.definitions.get(row.topic);
    const result = type ? type.read(version, stored.payload) : { ok: false as const, reason: `no event type ${row.topic} in this release` };
    if (!result.ok || !type) {
      this.logger.warn(
        { eventId: row.id, topic: row.topic, version, reason: result.ok ? undefined : result.reason },
        'outbox event left unpublished: this release cannot read it; it is claimed again when its lease lapses',
      );
      return null;
    }
    return { id: row.id, type, key: stored.key, createdAt: row.createdAt, payload: result.payload };
  }

  /**
   * Marks what was published, running the consumers in the same transaction (so an event counts as
   * consumed exactly when it is marked), and hands back what was not.
   */
  private async settle(lease: Lease, published: OutboxEvent[], unpublishedIds: number[]): Promise<void> {
    await this.runner.transaction(async (manager) => {
      if (published.length > 0) {
        for (const consumer of this.consumers) await consumer.consume(manager, published);
        await manager.update(OutboxEventEntity, { id: In(published.map((event) => event.id)), leaseOwner: lease.owner }, { publishedAt: new Date() });
      }
      if (unpublishedIds.length > 0) {
        await manager.update(
          OutboxEventEntity,
          { id: In(unpublishedIds), leaseOwner: lease.owner, publishedAt: IsNull() },
          { leaseOwner: null, leaseUntil: null },
        );
      }
    });
    if (published.length > 0) for (const consumer of this.consumers) consumer.afterCommit?.();
  }
}
