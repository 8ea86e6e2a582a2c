import type { Principal } from '../auth/principal';
import type { NotificationBus } from './bus';

/**
 * Filters a bus subscription so that each event is re-authorised before it is sent: the token
 * must still be valid when the event arrives, and the event must be about the subscribed key.
 */
export async function* authorisedEvents<T extends Record<string, unknown>>(
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
