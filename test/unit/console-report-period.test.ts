import { addDays, csvQuery, daysOf, reportPeriodInput, startOfDay } from '../../console/src/partner/reports/period';

describe("the console's report period (whole days in a named time zone)", () => {
  it("turns days in Vietnam into the API's period: local midnights, the last day included", () => {
    expect(reportPeriodInput({ from: '2026-11-01', to: '2026-11-30', timeZone: 'Asia/Ho_Chi_Minh', customerAccountId: '' })).toEqual({
      from: '2026-10-31T17:00:00.000Z',
      to: '2026-11-30T17:00:00.000Z',
      timeZone: 'Asia/Ho_Chi_Minh',
    });
  });

  it('finds the local midnight on both sides of a daylight-saving change', () => {
    // Berlin moves from +01:00 to +02:00 on 29 March 2026 at 02:00, and back on 25 October.
    expect(startOfDay('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDay('2026-03-30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfDay('2026-10-25', 'Europe/Berlin').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(startOfDay('2026-10-26', 'Europe/Berlin').toISOString()).toBe('2026-10-25T23:00:00.000Z');
    // New York moves from -05:00 to -04:00 on 8 March 2026.
    expect(startOfDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfDay('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(startOfDay('2026-12-01', 'UTC').toISOString()).toBe('2026-12-01T00:00:00.000Z');
    // Beirut springs forward at midnight (29 March 2026, 00:00 +02:00 becomes 01:00 +03:00): the day
    // starts at the change; the offset at the first guess (+03:00) alone would give 23:00 the day before.
    expect(startOfDay('2026-03-29', 'Asia/Beirut').toISOString()).toBe('2026-03-28T22:00:00.000Z');
  });

  it('lists every day of the period, across months and a leap day', () => {
    expect(daysOf({ from: '2028-02-27', to: '2028-03-02' })).toEqual(['2028-02-27', '2028-02-28', '2028-02-29', '2028-03-01', '2028-03-02']);
    expect(daysOf({ from: '2026-12-31', to: '2026-12-31' })).toEqual(['2026-12-31']);
    expect(daysOf({ from: '2026-12-02', to: '2026-12-01' })).toEqual([]);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('gives the CSV routes the same days as dates, and the customer only when one is chosen', () => {
    const period = { from: '2026-11-01', to: '2026-11-30', timeZone: 'Asia/Ho_Chi_Minh', customerAccountId: '' };
    expect(csvQuery(period)).toEqual({ from: '2026-11-01', to: '2026-11-30', timeZone: 'Asia/Ho_Chi_Minh', customerAccountId: undefined });
    expect(csvQuery({ ...period, customerAccountId: 'c-1' }).customerAccountId).toBe('c-1');
  });
});
