import type { EventDefinition, PublishedEvent } from '../common/event-definition';
import type { NotificationBus } from './bus';

/**
 * The events of one type and key from the bus, each read through the type's definition (typed
 * payload and event id); a message that does not read (a later release's shape) is passed over.
 */
export async function* eventsOf<Payload>(
  bus: Pick<NotificationBus, 'subscribe'>,
  type: EventDefinition<Payload>,
  key: string,
): AsyncGenerator<PublishedEvent<Payload>> {
  for await (const message of bus.subscribe(type.topic, key)) {
    const event = type.readPublished(message);
    if (event) yield event;
  }
}

/**
 * Filters a bus subscription so that each event is re-authorised before it is sent: the token
 * must still be valid when the event arrives, and the event must be about the subscribed key.
 */
export async function* authorisedEvents<T>(
  source: AsyncIterable<T>,
  options: { tokenExpiresAt: number | null; isAbout: (event: T) => boolean },
): AsyncGenerator<T> {
  for await (const event of source) {
    if (options.tokenExpiresAt !== null && Date.now() >= options.tokenExpiresAt) return;
    if (options.isAbout(event)) yield event;
  }
}

/** What a subscription resolver uses: the bus it listens on. */
export interface SubscriptionServices {
  bus: Pick<NotificationBus, 'subscribe' | 'listening'>;
}

/** The part of a resolver's context a subscription reads (the GraphQL context has it). */
export interface SubscriptionContext {
  services: SubscriptionServices;
  tokenExpiresAt: number | null;
}

/**
 * A subscription's source: the events of one type and key from the bus, read through the type's
 * definition, each re-authorised before it is sent (the token still valid, `isAbout` true).
 */
export function subscriptionEvents<Payload>(
  context: SubscriptionContext,
  type: EventDefinition<Payload>,
  key: string,
  isAbout: (event: PublishedEvent<Payload>) => boolean,
): AsyncGenerator<PublishedEvent<Payload>> {
  return authorisedEvents(eventsOf(context.services.bus, type, key), { tokenExpiresAt: context.tokenExpiresAt, isAbout });
}

/**
 * The event id of a subscription's first message, the state when the client subscribed: no outbox
 * event has it (their ids start at 1), and every change after it has a larger one.
 */
export const CURRENT_STATE_EVENT_ID = 0;

/**
 * A subscription that starts with the current state, so a client that subscribes after the change
 * it waits for (a payment confirmed before the console listened) still learns of it. The live
 * events are listened to first (`listening` resolves once the bus hears them) and the state is read
 * after, so no change falls between the two, and the first message tells the client it is live. A
 * change the state already counts that is still on its way from the bus is not sent again: the
 * leading events that `sameState` finds equal to the first message are dropped.
 */
export async function* currentStateFirst<T>(
  live: AsyncIterable<T>,
  options: { listening: () => Promise<void>; current: () => Promise<T>; sameState: (event: T, current: T) => boolean },
): AsyncGenerator<T> {
  const events = live[Symbol.asyncIterator]();
  // Asking for the first event starts the bus subscription now, before the state is read.
  const first = events.next();
  try {
    await options.listening();
    const current = await options.current();
    yield current;
    let catchingUp = true;
    for (let next = await first; !next.done; next = await events.next()) {
      if (catchingUp && options.sameState(next.value, current)) continue;
      catchingUp = false;
      yield next.value;
    }
  } finally {
    // Not awaited: the bus's iterator may be waiting for an event, and its return waits behind it.
    void events.return?.()?.catch(() => undefined);
  }
}
