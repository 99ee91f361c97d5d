import { VIETNAM_OFFSET_MS } from '../../shared/vietnam-time.ts';

/**
 * Quiet hours: a daily window, in Vietnam time (Asia/Ho_Chi_Minh, UTC+7 all year, no daylight saving), during
 * which non-urgent messages wait until the window ends. `start` and `end` are minutes after local midnight; a
 * window may wrap midnight (21:00-07:00).
 */
export interface QuietHours {
  readonly start: number;
  readonly end: number;
}

const DAY_MS = 24 * 3600 * 1000;
const MINUTE_MS = 60 * 1000;

/**
 * Reads `HH:MM-HH:MM` (or `off`, which gives null). Returns a string describing the problem when the text
 * cannot be read.
 */
export function parseQuietHours(text: string): QuietHours | null | string {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'off') return null;
  const match = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(trimmed);
  if (!match) return 'must be HH:MM-HH:MM (e.g. 21:00-07:00) or off';
  const [, h1, m1, h2, m2] = match.map(Number) as [number, number, number, number, number];
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) return 'hours must be 00-23 and minutes 00-59';
  const start = h1 * 60 + m1;
  const end = h2 * 60 + m2;
  if (start === end) return 'start and end must differ (use off to disable quiet hours)';
  return { start, end };
}

/**
 * The earliest moment at or after `at` outside the quiet hours: `at` itself outside them, otherwise the end of
 * the window (the next morning).
 */
export function nextSendableAt(at: Date, quiet: QuietHours | null): Date {
  if (quiet === null) return at;
  const local = at.getTime() + VIETNAM_OFFSET_MS;
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
  const minute = (local - dayStart) / MINUTE_MS;
  const wraps = quiet.start > quiet.end;
  const inside = wraps
    ? minute >= quiet.start || minute < quiet.end
    : minute >= quiet.start && minute < quiet.end;
  if (!inside) return at;
  // The window ends today, or (for a window that wraps and started this evening) tomorrow.
  const endDay = wraps && minute >= quiet.start ? dayStart + DAY_MS : dayStart;
  return new Date(endDay + quiet.end * MINUTE_MS - VIETNAM_OFFSET_MS);
}
