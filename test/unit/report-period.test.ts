// The period rules of the reports: pure, so they run once (jest project `unit`).
import { resolveReportPeriod } from '../../src/reports/report-period';

const HOUR = 3_600_000;

describe('report periods', () => {
  it.each(['Asia/Ho_Chi_Minh', 'Europe/Berlin', 'America/New_York', 'UTC', 'Pacific/Apia', 'America/Santiago'])(
    'gives every hour of a year in %s the local date Intl gives it',
    (timeZone) => {
      const from = new Date('2025-01-01T00:00:00Z');
      const period = resolveReportPeriod({ from, to: new Date(from.getTime() + 365 * 24 * HOUR), timeZone });
      const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
      const actual: string[] = [];
      const expected: string[] = [];
      for (let hour = period.fromHour; hour < period.toHour; hour += 1) {
        actual.push(period.localDateOfHour(hour));
        expected.push(format.format(new Date(hour * HOUR)));
      }
      expect(actual).toEqual(expected);
    },
  );

  it('puts 23:30 and 00:30 in Ho Chi Minh City on different days', () => {
    const period = resolveReportPeriod({ from: new Date('2026-10-05T00:00:00+07:00'), to: new Date('2026-10-07T00:00:00+07:00') });
    expect(period.timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(period.localDateOfHour(new Date('2026-10-05T16:30:00Z').getTime() / HOUR - 0.5)).toBe('2026-10-05');
    expect(period.localDateOfHour(new Date('2026-10-05T17:30:00Z').getTime() / HOUR - 0.5)).toBe('2026-10-06');
  });

  it('finds a half-hour offset that starts inside the period', () => {
    // Lord Howe Island moves from +10:30 to +11:00 on the first Sunday of October.
    expect(() =>
      resolveReportPeriod({ from: new Date('2026-09-01T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z'), timeZone: 'Australia/Lord_Howe' }),
    ).toThrow(/whole hours/);
  });

  it('answers a year in a DST zone quickly', () => {
    const started = Date.now();
    resolveReportPeriod({ from: new Date('2025-01-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z'), timeZone: 'Europe/Berlin' });
    expect(Date.now() - started).toBeLessThan(300);
  });
});
