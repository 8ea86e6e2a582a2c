/**
 * Where code that stamps records takes "now" from. Production uses the system clock; a fixed clock
 * back-dates what is written with it (the demo seed's history, tests that post at chosen moments),
 * given to a copy of the service (e.g. `ledger.withClock(fixedClock(at))`), never as a request field.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that always reads `instant`. */
export function fixedClock(instant: Date): Clock {
  return { now: () => new Date(instant.getTime()) };
}

/** The first instant of the calendar month (UTC) that `at` falls in: where monthly caps restart. */
export function monthStartUtc(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}
