import type { TypedEventTarget } from '@graphql-yoga/typed-event-target';

type ChannelEvent = CustomEvent;

/** The Redis channel of a pub/sub topic (`BALANCE_CHANGED:acct-1`) under a deployment's prefix. */
export const prefixedChannel = (prefix: string, topic: string) => `${prefix}notification:${topic}`;

/**
 * The Redis event target with every channel name behind `prefix` (REDIS_KEY_PREFIX): a
 * subscription to `BALANCE_CHANGED:acct-1` listens on `<prefix>notification:BALANCE_CHANGED:acct-1`,
 * so two deployments sharing one Redis never hear each other's events. The pub/sub above it keeps
 * its own unprefixed topic names; only what crosses Redis is renamed.
 */
export function withChannelPrefix(target: TypedEventTarget<ChannelEvent>, prefix: string): TypedEventTarget<ChannelEvent> {
  const channel = (topic: string) => prefixedChannel(prefix, topic);
  return {
    addEventListener: (topic, callback, options) => target.addEventListener(channel(topic), callback, options),
    removeEventListener: (topic, callback, options) => target.removeEventListener(channel(topic), callback, options),
    dispatchEvent: (event) => target.dispatchEvent(new CustomEvent(channel(event.type), { detail: event.detail })),
  };
}
