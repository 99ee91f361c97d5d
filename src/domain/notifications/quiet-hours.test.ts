import { describe, expect, it } from 'vitest';
import { nextSendableAt, parseQuietHours, type QuietHours } from './quiet-hours.ts';

/** A moment given in Vietnam time (UTC+7). */
const vn = (local: string) => new Date(`${local}:00+07:00`);
const NIGHT: QuietHours = { start: 21 * 60, end: 7 * 60 };

describe('parseQuietHours', () => {
  it('reads a window that wraps midnight as minutes after local midnight', () => {
    expect(parseQuietHours('21:00-07:00')).toEqual({ start: 1260, end: 420 });
  });

  it('accepts single-digit hours and spaces around the dash', () => {
    expect(parseQuietHours(' 9:30 - 17:45 ')).toEqual({ start: 570, end: 1065 });
  });

  it('reads off, in any case, as no quiet hours', () => {
    expect(parseQuietHours('off')).toBeNull();
    expect(parseQuietHours('OFF')).toBeNull();
  });

  it('explains text it cannot read', () => {
    expect(parseQuietHours('21-7')).toBe('must be HH:MM-HH:MM (e.g. 21:00-07:00) or off');
    expect(parseQuietHours('')).toBe('must be HH:MM-HH:MM (e.g. 21:00-07:00) or off');
  });

  it('refuses hours and minutes out of range', () => {
    expect(parseQuietHours('24:00-07:00')).toBe('hours must be 00-23 and minutes 00-59');
    expect(parseQuietHours('21:60-07:00')).toBe('hours must be 00-23 and minutes 00-59');
  });

  it('refuses an empty window', () => {
    expect(parseQuietHours('07:00-07:00')).toBe('start and end must differ (use off to disable quiet hours)');
  });
});

describe('nextSendableAt', () => {
  it('keeps a moment outside the quiet hours', () => {
    const at = vn('2026-03-10T10:00');
    expect(nextSendableAt(at, NIGHT)).toEqual(at);
  });

  it('moves an evening moment to 07:00 the next morning, Vietnam time', () => {
    expect(nextSendableAt(vn('2026-03-10T22:30'), NIGHT)).toEqual(vn('2026-03-11T07:00'));
  });

  it('moves a moment after midnight to 07:00 the same morning', () => {
    expect(nextSendableAt(vn('2026-03-11T03:15'), NIGHT)).toEqual(vn('2026-03-11T07:00'));
  });

  it('treats the start as inside the window and the end as outside', () => {
    expect(nextSendableAt(vn('2026-03-10T21:00'), NIGHT)).toEqual(vn('2026-03-11T07:00'));
    expect(nextSendableAt(vn('2026-03-10T20:59'), NIGHT)).toEqual(vn('2026-03-10T20:59'));
    expect(nextSendableAt(vn('2026-03-11T07:00'), NIGHT)).toEqual(vn('2026-03-11T07:00'));
  });

  it('uses the UTC+7 offset: 15:00 UTC is 22:00 in Vietnam, so it waits until 00:00 UTC', () => {
    expect(nextSendableAt(new Date('2026-03-10T15:00:00Z'), NIGHT)).toEqual(new Date('2026-03-11T00:00:00Z'));
    // 13:59 UTC is 20:59 in Vietnam: outside the window, although it is evening nowhere near UTC midnight.
    expect(nextSendableAt(new Date('2026-03-10T13:59:00Z'), NIGHT)).toEqual(new Date('2026-03-10T13:59:00Z'));
  });

  it('handles the last evening of a month and of a year', () => {
    expect(nextSendableAt(vn('2026-12-31T23:30'), NIGHT)).toEqual(vn('2027-01-01T07:00'));
  });

  it('handles a window that does not wrap midnight', () => {
    const lunch: QuietHours = { start: 12 * 60, end: 13 * 60 + 30 };
    expect(nextSendableAt(vn('2026-03-10T12:10'), lunch)).toEqual(vn('2026-03-10T13:30'));
    expect(nextSendableAt(vn('2026-03-10T23:10'), lunch)).toEqual(vn('2026-03-10T23:10'));
  });

  it('sends at once when quiet hours are off', () => {
    const at = vn('2026-03-10T23:00');
    expect(nextSendableAt(at, null)).toEqual(at);
  });
});
