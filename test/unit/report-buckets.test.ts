import { bucketDayOfHour, bucketHourOf, periodTiers } from '../../src/reports/buckets';

const HOUR = 3_600_000;
const hourOf = (iso: string) => new Date(iso).getTime() / HOUR;

/** Every hour a tiering covers, days expanded to their 24 hours, in order. */
function coveredHours(tiers: ReturnType<typeof periodTiers>): number[] {
  const covered: number[] = [];
  const push = (from: number, to: number) => {
    for (let hour = from; hour < to; hour++) covered.push(hour);
  };
  for (const [from, to] of tiers.hours) push(from, to);
  if (tiers.days) push(tiers.days[0] * 24, tiers.days[1] * 24);
  return covered.sort((a, b) => a - b);
}

describe('rollup buckets', () => {
  it('puts the last millisecond of an hour and of a day in that hour and day', () => {
    expect(bucketHourOf(new Date('2026-10-01T23:59:59.999Z'))).toBe(hourOf('2026-10-01T23:00:00Z'));
    expect(bucketHourOf(new Date('2026-10-02T00:00:00.000Z'))).toBe(hourOf('2026-10-02T00:00:00Z'));
    expect(bucketDayOfHour(hourOf('2026-10-01T23:00:00Z'))).toBe(Date.UTC(2026, 9, 1) / (24 * HOUR));
    expect(bucketDayOfHour(hourOf('2026-10-02T00:00:00Z'))).toBe(Date.UTC(2026, 9, 2) / (24 * HOUR));
  });

  it.each([
    ['whole UTC days', '2026-10-01T00:00:00Z', '2026-10-03T00:00:00Z', { days: 2, hours: 0 }],
    ['days with edge hours on both sides', '2026-09-30T17:00:00Z', '2026-10-02T17:00:00Z', { days: 1, hours: 24 }],
    ['less than a day across midnight', '2026-09-30T20:00:00Z', '2026-10-01T05:00:00Z', { days: 0, hours: 9 }],
    ['exactly one day off midnight', '2026-09-30T17:00:00Z', '2026-10-01T17:00:00Z', { days: 0, hours: 24 }],
    ['a single hour', '2026-10-01T17:00:00Z', '2026-10-01T18:00:00Z', { days: 0, hours: 1 }],
    ['a year in UTC+7', '2025-01-01T00:00:00+07:00', '2026-01-01T00:00:00+07:00', { days: 364, hours: 24 }],
  ])('covers %s exactly once, whole days from the daily tier', (_name, from, to, expected) => {
    const fromHour = hourOf(from);
    const toHour = hourOf(to);
    const tiers = periodTiers(fromHour, toHour);
    expect(coveredHours(tiers)).toEqual(Array.from({ length: toHour - fromHour }, (_, index) => fromHour + index));
    expect(tiers.days ? tiers.days[1] - tiers.days[0] : 0).toBe(expected.days);
    expect(tiers.hours.reduce((sum, [start, end]) => sum + end - start, 0)).toBe(expected.hours);
  });
});
