/**
 * The rollup's bucket rule, in one place: a movement's hour bucket is the whole UTC hours since the
 * Unix epoch at its `occurredAt`, and its day bucket the whole UTC days since the epoch, which is
 * always its hour bucket divided by 24 (rounded down). The writer computes them in JavaScript for the
 * postings it sees; the backfills (the embedded start-up rebuild, the MySQL migrations, the
 * benchmark's data generator) compute the same in SQL over stored rows. Both spellings live here,
 * side by side, and `test/integration/reports-buckets.test.ts` checks on both databases that they
 * agree at the edges (the last millisecond of an hour and of a day).
 */

export const MILLISECONDS_PER_HOUR = 3_600_000;
export const HOURS_PER_DAY = 24;

export type BucketDialect = 'mysql' | 'sqlite';

/** The UTC hour bucket of an instant: whole hours since the Unix epoch. */
export const bucketHourOf = (instant: Date): number => Math.floor(instant.getTime() / MILLISECONDS_PER_HOUR);

/** The UTC day bucket an hour bucket belongs to: whole days since the Unix epoch. */
export const bucketDayOfHour = (bucketHour: number): number => Math.floor(bucketHour / HOURS_PER_DAY);

/**
 * SQL for `bucketHourOf` over a stored datetime column (the stored wall clock is UTC). MySQL's
 * TIMESTAMPDIFF ignores the session time zone; SQLite's strftime('%s') reads the text as UTC. Both
 * truncate, which is flooring for instants after 1970.
 */
export function bucketHourSql(dialect: BucketDialect, datetimeColumn: string): string {
  return dialect === 'mysql' ? `TIMESTAMPDIFF(HOUR, '1970-01-01 00:00:00', ${datetimeColumn})` : `(CAST(strftime('%s', ${datetimeColumn}) AS INTEGER) / 3600)`;
}

/** SQL for `bucketDayOfHour` over an hour-bucket expression (integer division of a non-negative integer). */
export function bucketDaySql(dialect: BucketDialect, hourExpression: string): string {
  return dialect === 'mysql' ? `(${hourExpression} DIV ${HOURS_PER_DAY})` : `((${hourExpression}) / ${HOURS_PER_DAY})`;
}

/** A half-open range of buckets, [from, to). */
export type BucketRange = readonly [from: number, to: number];

/**
 * How a period of whole UTC hours [fromHour, toHour) is read from the two tiers: its whole UTC days
 * from the daily table, and only the hours before the first whole day and after the last from the
 * hourly table. A period with no whole day in it is all hours. The ranges never overlap and cover
 * the period exactly, so the sums equal those of the hours alone.
 */
export function periodTiers(fromHour: number, toHour: number): { days: BucketRange | null; hours: BucketRange[] } {
  const firstDay = Math.ceil(fromHour / HOURS_PER_DAY);
  const endDay = Math.floor(toHour / HOURS_PER_DAY);
  if (firstDay >= endDay) return { days: null, hours: fromHour < toHour ? [[fromHour, toHour]] : [] };
  const hours: BucketRange[] = [];
  if (fromHour < firstDay * HOURS_PER_DAY) hours.push([fromHour, firstDay * HOURS_PER_DAY]);
  if (endDay * HOURS_PER_DAY < toHour) hours.push([endDay * HOURS_PER_DAY, toHour]);
  return { days: [firstDay, endDay], hours };
}
