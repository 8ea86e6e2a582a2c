import type { Request } from 'express';
import { badInput } from '../common/domain-error';
import { DEFAULT_REPORT_TIME_ZONE, LocalClock } from './report-period';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MILLISECONDS_PER_MINUTE = 60_000;

/** A query parameter given at most once, as text (undefined when absent). */
export function queryText(query: Request['query'], field: string): string | undefined {
  const value = query[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badInput(`${field} must be given once.`, { field });
  return value;
}

/** `timeZone=` of a CSV route: the zone date-only bounds are read in, Asia/Ho_Chi_Minh by default. */
export function queryTimeZone(query: Request['query']): string {
  return queryText(query, 'timeZone')?.trim() || DEFAULT_REPORT_TIME_ZONE;
}

/**
 * A period bound of a CSV route: an ISO 8601 date-time with an offset, or a date (`2026-11-01`),
 * which means whole days in `timeZone`: `from` is the start of that day, `to` the end of it (the
 * start of the next day, since `to` is exclusive), so `from=2026-11-01&to=2026-11-30` is November.
 */
export function queryBound(query: Request['query'], field: 'from' | 'to', timeZone: string): Date | undefined {
  const value = queryText(query, field);
  if (value === undefined) return undefined;
  const date = ISO_DATE.exec(value);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate())
      throw badInput(`${field} is not a calendar date.`, { field });
    return startOfLocalDay(Date.UTC(year, month - 1, day + (field === 'to' ? 1 : 0)), timeZone);
  }
  if (!ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw badInput(`${field} must be a date (2026-11-01, whole days in timeZone) or an ISO 8601 date-time with an offset, e.g. 2026-11-01T00:00:00+07:00.`, {
      field,
    });
  }
  return new Date(value);
}

/** The instant at which a zone's wall clock shows `wallMs` (a calendar day's midnight, written as if in UTC). */
function startOfLocalDay(wallMs: number, timeZone: string): Date {
  const clock = LocalClock.of(timeZone);
  // The offset at the guessed instant, then at the corrected one: right on both sides of a change.
  const guess = wallMs - clock.offsetMinutes(new Date(wallMs)) * MILLISECONDS_PER_MINUTE;
  return new Date(wallMs - clock.offsetMinutes(new Date(guess)) * MILLISECONDS_PER_MINUTE);
}
