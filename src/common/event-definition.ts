import { z } from 'zod';

/** Money in an event: a decimal string of micro-credits on the wire (exact at any size), a bigint in code. */
export const micros = z.codec(z.string().regex(/^-?\d+$/), z.bigint(), {
  decode: (wire) => BigInt(wire),
  encode: (value) => value.toString(),
});

/** A moment in an event: an ISO-8601 UTC string on the wire (`Date#toISOString`), a Date in code. */
export const instant = z.codec(z.iso.datetime(), z.date(), {
  decode: (wire) => new Date(wire),
  encode: (value) => value.toISOString(),
});

/**
 * What a webhook announcing an event carries: its webhook type, the account it goes to, and `data`
 * (money as decimal credit strings, moments as ISO strings). The envelope around it, the
 * endpoints and the deliveries are the outbound webhooks' (notifications/webhooks).
 */
export interface WebhookAnnouncement {
  type: string;
  accountId: string;
  data: Record<string, unknown>;
}

/** A committed outbox event as its consumers see it: its id (unique and stable), its type and its payload, read through that type. */
export interface OutboxEvent<Payload = unknown> {
  id: number;
  type: EventDefinition<Payload>;
  key: string;
  createdAt: Date;
  payload: Payload;
}

/** An event as a subscriber receives it from the bus: the payload, read through its type, and the outbox event's id. */
export type PublishedEvent<Payload> = Payload & { eventId: number };

/** What reading a stored or published payload gave: the typed payload, or why this release cannot read it. */
export type ReadResult<Payload> = { ok: true; payload: Payload } | { ok: false; reason: string };

/**
 * One event type: its topic (the bus channel and the outbox row's `topic`), the version of its
 * payload, a zod schema from the wire format (plain JSON, money as strings) to the typed payload
 * (bigints, Dates), and the routing key of a payload. Events are written (`encode`, which
 * validates) and read (`read`) only through it.
 */
export interface EventDefinition<Payload = unknown> {
  readonly topic: string;
  readonly version: number;
  /** The routing key: subscribers listen to one topic and one key (an account id, a top-up id). */
  keyOf(payload: Payload): string;
  /** The wire form of a payload; throws when the payload does not satisfy the schema. */
  encode(payload: Payload): Record<string, unknown>;
  /**
   * A payload written at `version`: the current version is checked against the schema; an older one
   * goes through the definition's `upgrade` first; a newer one (written by a later release) is not
   * read, nor is a payload that fails the schema.
   */
  read(version: number, wire: unknown): ReadResult<Payload>;
  /** A message from the bus: the payload (checked against the schema) and the event id beside it, or null. */
  readPublished(message: unknown): PublishedEvent<Payload> | null;
  /** The webhook announcing a payload, or null when no webhook announces it. */
  webhookOf(payload: Payload): WebhookAnnouncement | null;
  /** Whether a consumed event is of this type (its payload then has this type). */
  matches(event: OutboxEvent): event is OutboxEvent<Payload>;
  /** The events of this type in a batch, in batch order. */
  of(events: readonly OutboxEvent[]): OutboxEvent<Payload>[];
}

/** The typed payload of an event definition. */
export type PayloadOf<Definition> = Definition extends EventDefinition<infer Payload> ? Payload : never;

export interface EventSpec<Schema extends z.ZodObject> {
  topic: string;
  version: number;
  schema: Schema;
  keyOf(payload: z.output<Schema>): string;
  /** The webhook announcing a payload (none when absent or when it returns null). */
  webhook?(payload: z.output<Schema>): WebhookAnnouncement | null;
  /**
   * Turns a payload written at an older version into the wire form of the current one (when the
   * version goes up, so that rows an older release left in the outbox are still read).
   */
  upgrade?(wire: unknown, fromVersion: number): unknown;
}

const eventId = z.object({ eventId: z.number().int().nonnegative() });

export function defineEvent<Schema extends z.ZodObject>(spec: EventSpec<Schema>): EventDefinition<z.output<Schema>> {
  type Payload = z.output<Schema>;
  if (!Number.isInteger(spec.version) || spec.version < 1) throw new Error(`event ${spec.topic}: the version is a positive integer`);
  const check = (wire: unknown): ReadResult<Payload> => {
    const parsed = spec.schema.safeParse(wire);
    if (parsed.success) return { ok: true, payload: parsed.data };
    return { ok: false, reason: `the payload does not match ${spec.topic} v${spec.version}: ${z.prettifyError(parsed.error)}` };
  };
  const definition: EventDefinition<Payload> = {
    topic: spec.topic,
    version: spec.version,
    keyOf: spec.keyOf,
    webhookOf: (payload) => spec.webhook?.(payload) ?? null,
    encode: (payload) => spec.schema.encode(payload) as Record<string, unknown>,
    read(version, wire) {
      if (version === spec.version) return check(wire);
      if (version > spec.version) return { ok: false, reason: `${spec.topic} v${version} is newer than this release reads (v${spec.version})` };
      if (!spec.upgrade) return { ok: false, reason: `${spec.topic} v${version} has no upgrade to v${spec.version}` };
      return check(spec.upgrade(wire, version));
    },
    readPublished(message) {
      const id = eventId.safeParse(message);
      const read = check(message);
      return id.success && read.ok ? { ...read.payload, eventId: id.data.eventId } : null;
    },
    matches: (event): event is OutboxEvent<Payload> => event.type === definition,
    of: (events) => events.filter(definition.matches),
  };
  return definition;
}
