import { queryBound, queryTimeZone } from '../../src/reports/csv-query';

const bound = (query: Record<string, string>, field: 'from' | 'to') => queryBound(query, field, queryTimeZone(query))?.toISOString();

describe('CSV period bounds', () => {
  it('reads a date as the start of that day in the time zone (Asia/Ho_Chi_Minh by default)', () => {
    expect(bound({ from: '2026-11-01' }, 'from')).toBe('2026-10-31T17:00:00.000Z');
    expect(bound({ from: '2026-11-01', timeZone: 'UTC' }, 'from')).toBe('2026-11-01T00:00:00.000Z');
    expect(bound({ from: '2026-11-01', timeZone: 'Asia/Tokyo' }, 'from')).toBe('2026-10-31T15:00:00.000Z');
  });

  it('reads a date as `to` through the end of that day (the start of the next; `to` is exclusive)', () => {
    expect(bound({ to: '2026-11-30' }, 'to')).toBe('2026-11-30T17:00:00.000Z');
    expect(bound({ to: '2026-12-31', timeZone: 'UTC' }, 'to')).toBe('2027-01-01T00:00:00.000Z');
    expect(bound({ to: '2028-02-29', timeZone: 'UTC' }, 'to')).toBe('2028-03-01T00:00:00.000Z');
  });

  it('follows the offset of that day on both sides of a daylight-saving change', () => {
    expect(bound({ from: '2026-07-01', timeZone: 'America/New_York' }, 'from')).toBe('2026-07-01T04:00:00.000Z');
    expect(bound({ from: '2026-12-01', timeZone: 'America/New_York' }, 'from')).toBe('2026-12-01T05:00:00.000Z');
    // 2026-11-01 is the day New York leaves daylight time (at 02:00): midnight is still -04:00.
    expect(bound({ from: '2026-11-01', timeZone: 'America/New_York' }, 'from')).toBe('2026-11-01T04:00:00.000Z');
    expect(bound({ to: '2026-11-01', timeZone: 'America/New_York' }, 'to')).toBe('2026-11-02T05:00:00.000Z');
    expect(bound({ from: '2026-03-29', timeZone: 'Europe/Berlin' }, 'from')).toBe('2026-03-28T23:00:00.000Z');
    expect(bound({ to: '2026-03-29', timeZone: 'Europe/Berlin' }, 'to')).toBe('2026-03-29T22:00:00.000Z');
  });

  it('takes an ISO 8601 date-time with an offset as it is, whatever the zone', () => {
    expect(bound({ from: '2026-11-01T00:00:00+07:00', timeZone: 'UTC' }, 'from')).toBe('2026-10-31T17:00:00.000Z');
  });

  it('refuses what is neither, a day that does not exist and an unknown zone', () => {
    expect(() => bound({ from: 'yesterday' }, 'from')).toThrow(/a date \(2026-11-01/);
    expect(() => bound({ from: '2026-11-01T00:00:00' }, 'from')).toThrow(/with an offset/);
    expect(() => bound({ from: '2026-02-29' }, 'from')).toThrow(/not a calendar date/);
    expect(() => bound({ to: '2026-13-01' }, 'to')).toThrow(/not a calendar date/);
    expect(() => bound({ from: '2026-11-01', timeZone: 'Mars/Olympus' }, 'from')).toThrow(/not an IANA time zone/);
  });

  it('leaves an absent bound absent', () => {
    expect(bound({}, 'from')).toBeUndefined();
  });
});
