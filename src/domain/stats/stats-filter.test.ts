import { describe, expect, it } from 'vitest';
import { isCalendarDate, parseStatsFilter, periodBounds, vietnamDay } from './stats-filter.ts';

describe('the dashboard’s filter', () => {
  const now = new Date('2026-11-30T17:30:00Z'); // 1 December 00:30 in Vietnam

  it('defaults to the last 30 days, today in Vietnam included, and the whole city', () => {
    expect(parseStatsFilter({}, now)).toEqual({
      type: 'ok',
      filter: { from: '2026-11-02', to: '2026-12-01', wardCode: null },
    });
    expect(parseStatsFilter({ to: '2026-03-01' }, now)).toEqual({
      type: 'ok',
      filter: { from: '2026-01-31', to: '2026-03-01', wardCode: null },
    });
  });

  it('takes a period and a known ward', () => {
    expect(parseStatsFilter({ from: '2026-11-01', to: '2026-11-01', ward: ' 20194 ' }, now)).toEqual({
      type: 'ok',
      filter: { from: '2026-11-01', to: '2026-11-01', wardCode: '20194' },
    });
  });

  it('refuses a date that is not a calendar date, a period backwards and an unknown ward', () => {
    for (const from of ['2026-02-30', '2026-13-01', '1/11/2026', '2026-11-1', '']) {
      expect(parseStatsFilter({ from, to: '2026-11-30' }, now).type).toBe('invalid');
    }
    expect(parseStatsFilter({ from: '2026-11-02', to: '2026-11-01' }, now)).toEqual({
      type: 'invalid',
      message: 'from: must not be after to',
    });
    expect(parseStatsFilter({ ward: '99999' }, now)).toEqual({ type: 'unknown_ward' });
  });

  it('turns days at Vietnam midnight', () => {
    expect(periodBounds({ from: '2026-11-01', to: '2026-11-30' })).toEqual({
      start: new Date('2026-10-31T17:00:00Z'),
      end: new Date('2026-11-30T17:00:00Z'),
    });
    expect(vietnamDay(new Date('2026-10-31T16:59:59.999Z'))).toBe('2026-10-31');
    expect(vietnamDay(new Date('2026-10-31T17:00:00Z'))).toBe('2026-11-01');
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
  });
});
