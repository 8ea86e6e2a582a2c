import { badInput } from '../common/domain-error';
import { MILLISECONDS_PER_HOUR } from './buckets';

export const DEFAULT_REPORT_TIME_ZONE = 'Asia/Ho_Chi_Minh';
export const MAX_REPORT_PERIOD_DAYS = 366;

export interface ReportPeriodInput {
  from: Date;
  to: Date;
  timeZone?: string | null;
}

/** A validated period: [from, to) on whole hours, in a zone whose offset is whole hours throughout. */
export interface ReportPeriod {
  from: Date;
  to: Date;
  timeZone: string;
  /** The first and one-past-the-last UTC hour bucket of the period. */
  fromHour: number;
  toHour: number;
  /** The local calendar date (YYYY-MM-DD) of an hour bucket that lies in the period. */
  localDateOfHour(bucketHour: number): string;
}

/**
 * Validates a report period. The reports are answered from hourly UTC rollups, so the bounds must
 * be whole hours, and the zone's offset must be a whole number of hours at every hour of the
 * period (true of almost every zone; not of e.g. Asia/Kolkata +05:30 or Australia/Lord_Howe's
 * half-hour DST). Such zones are refused with BAD_USER_INPUT rather than answered inexactly.
 */
export function resolveReportPeriod(input: ReportPeriodInput): ReportPeriod {
  const { from, to } = input;
  if (!(from instanceof Date) || Number.isNaN(from.getTime())) throw badInput('from must be a date-time.', { field: 'from' });
  if (!(to instanceof Date) || Number.isNaN(to.getTime())) throw badInput('to must be a date-time.', { field: 'to' });
  if (from.getTime() >= to.getTime()) throw badInput('from must be before to.', { field: 'from' });
  if (to.getTime() - from.getTime() > MAX_REPORT_PERIOD_DAYS * 24 * MILLISECONDS_PER_HOUR) {
    throw badInput(`A report covers at most ${MAX_REPORT_PERIOD_DAYS} days.`, { field: 'to' });
  }
  if (from.getTime() % MILLISECONDS_PER_HOUR !== 0 || to.getTime() % MILLISECONDS_PER_HOUR !== 0) {
    throw badInput('from and to must be on a whole hour (e.g. 2026-11-01T00:00:00+07:00).', { field: 'from' });
  }
  const timeZone = input.timeZone?.trim() || DEFAULT_REPORT_TIME_ZONE;
  const fromHour = from.getTime() / MILLISECONDS_PER_HOUR;
  const toHour = to.getTime() / MILLISECONDS_PER_HOUR;
  const segments = offsetSegments(LocalClock.of(timeZone), { fromHour, toHour });
  const irregular = segments.find((segment) => segment.offsetMinutes % 60 !== 0);
  if (irregular) {
    throw badInput(
      `Reports need a time zone whose UTC offset is whole hours; ${timeZone} is not at ${new Date(irregular.startHour * MILLISECONDS_PER_HOUR).toISOString()}.`,
      { field: 'timeZone' },
    );
  }
  return {
    from,
    to,
    timeZone,
    fromHour,
    toHour,
    localDateOfHour(bucketHour) {
      if (bucketHour < fromHour || bucketHour >= toHour) throw new RangeError(`hour ${bucketHour} is outside the period`);
      const segment = segments.findLast((candidate) => candidate.startHour <= bucketHour)!;
      return new Date(bucketHour * MILLISECONDS_PER_HOUR + segment.offsetMinutes * 60_000).toISOString().slice(0, 10);
    },
  };
}

interface OffsetSegment {
  startHour: number;
  offsetMinutes: number;
}

/**
 * The zone's UTC offsets over the period as runs of hours. Intl costs tens of microseconds a call,
 * too much for every hour of a year, so it probes once a day and bisects the days whose offset
 * changed. A change and its undoing within one day (no zone does that) would go unseen.
 */
function offsetSegments(clock: LocalClock, hours: { fromHour: number; toHour: number }): OffsetSegment[] {
  const offsetAt = (hour: number) => clock.offsetMinutes(new Date(hour * MILLISECONDS_PER_HOUR));
  const lastHour = hours.toHour - 1;
  const segments: OffsetSegment[] = [{ startHour: hours.fromHour, offsetMinutes: offsetAt(hours.fromHour) }];
  let probe = hours.fromHour;
  while (probe < lastHour) {
    const next = Math.min(probe + 24, lastHour);
    const current = segments[segments.length - 1].offsetMinutes;
    if (offsetAt(next) === current) {
      probe = next;
      continue;
    }
    let unchanged = probe;
    let changed = next;
    while (changed - unchanged > 1) {
      const middle = Math.floor((unchanged + changed) / 2);
      if (offsetAt(middle) === current) unchanged = middle;
      else changed = middle;
    }
    segments.push({ startHour: changed, offsetMinutes: offsetAt(changed) });
    probe = changed;
  }
  return segments;
}

/** UTC offsets of one IANA zone, computed with Intl only (no time-zone package). */
export class LocalClock {
  private constructor(private readonly format: Intl.DateTimeFormat) {}

  static of(timeZone: string): LocalClock {
    try {
      return new LocalClock(
        new Intl.DateTimeFormat('en-US', {
          timeZone,
          hourCycle: 'h23',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
        }),
      );
    } catch {
      throw badInput(`"${timeZone.slice(0, 64)}" is not an IANA time zone such as Asia/Ho_Chi_Minh.`, { field: 'timeZone' });
    }
  }

  /** Local wall clock minus UTC, in minutes, at an instant. */
  offsetMinutes(instant: Date): number {
    const parts: Record<string, string> = {};
    for (const part of this.format.formatToParts(instant)) parts[part.type] = part.value;
    const wallMs = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
    return (wallMs - (instant.getTime() - instant.getUTCMilliseconds())) / 60_000;
  }
}
