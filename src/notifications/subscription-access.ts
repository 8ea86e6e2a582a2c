import type { Principal } from '../auth/principal';
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
  options: { principal: Principal; tokenExpiresAt: number | null; isAbout: (event: T) => boolean },
): AsyncGenerator<T> {
  for await (const event of source) {
    if (options.tokenExpiresAt !== null && Date.now() >= options.tokenExpiresAt) return;
    if (options.isAbout(event)) yield event;
  }
}

/** What a subscription resolver uses: the bus it listens on. */
export interface SubscriptionServices {
  bus: Pick<NotificationBus, 'subscribe'>;
}
