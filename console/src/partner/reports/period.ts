/**
 * A report period as a person picks it: whole days `from`..`to` (both included) in a time zone,
 * turned into the API's ReportPeriodInput ([from, to) on whole hours: the local midnights) and into
 * the CSV routes' date bounds (which mean the same days).
 */
export interface ChosenPeriod {
  /** First day, YYYY-MM-DD. */
  from: string;
  /** Last day (included), YYYY-MM-DD. */
  to: string;
  timeZone: string;
  /** One customer, or '' for all of them and the partner. */
  customerAccountId: string;
}

/** Zones offered: whole-hour offsets all year, as the reports require. The API's default first. */
export const REPORT_TIME_ZONES = ['Asia/Ho_Chi_Minh', 'Asia/Singapore', 'Asia/Tokyo', 'Europe/Berlin', 'America/New_York', 'UTC'] as const;

const DAY_MS = 24 * 3600 * 1000;

/** A calendar day `days` after `day` (negative: before), as YYYY-MM-DD. */
export function addDays(day: string, days: number): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Every day of the period, in order (the usage chart draws one bar per day, zero or not). */
export function daysOf(period: Pick<ChosenPeriod, 'from' | 'to'>): string[] {
  const days: string[] = [];
  for (let day = period.from; day <= period.to && days.length <= 366; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The zone's UTC offset at an instant, in minutes (+420 for Asia/Ho_Chi_Minh). */
function offsetMinutes(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((item) => item.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'));
  return Math.round((wall - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

/** The instant a day starts in a zone (its local midnight), right on both sides of a DST change. */
export function startOfDay(day: string, timeZone: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  const wall = Date.UTC(year, month - 1, date);
  const guess = wall - offsetMinutes(wall, timeZone) * 60_000;
  return new Date(wall - offsetMinutes(guess, timeZone) * 60_000);
}

/** The API's ReportPeriodInput for the chosen days. */
export function reportPeriodInput(period: ChosenPeriod): { from: string; to: string; timeZone: string } {
  return {
    from: startOfDay(period.from, period.timeZone).toISOString(),
    to: startOfDay(addDays(period.to, 1), period.timeZone).toISOString(),
    timeZone: period.timeZone,
  };
}

/** The query of a CSV route for the same period: date bounds mean whole days in timeZone. */
export function csvQuery(period: ChosenPeriod): Record<string, string | undefined> {
  return { from: period.from, to: period.to, timeZone: period.timeZone, customerAccountId: period.customerAccountId || undefined };
}
