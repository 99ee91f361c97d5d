import { VIETNAM_OFFSET_MS, vietnamDates } from '../../shared/vietnam-time.ts';

/**
 * Dates of birth as typed by SMS: day first (Vietnamese order), with `/`, `-` or `.` between the parts or as
 * 8 digits `ddmmyyyy`. Stored as ISO `YYYY-MM-DD`, shown `dd/mm/yyyy`.
 */

/** The result of {@link parseBirthDate}: an ISO date or the reason it was refused. */
export type BirthDateResult =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly reason: 'format' | 'invalid' | 'future' | 'too_old' };

/** A date-looking token found in a longer text: the raw text and its [start, end) indices. */
export interface FoundBirthDate {
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** Earliest accepted year of birth. */
const MIN_YEAR = 1900;

const SEPARATED = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$/;
const COMPACT = /^(\d{2})(\d{2})(\d{4})$/;
/** A separated date, or 8 digits standing alone as a token (not inside a longer number or a word). */
const FIND =
  /(?<!\d)\d{1,2}[ \t]*[/.-][ \t]*\d{1,2}[ \t]*[/.-][ \t]*\d{4}(?!\d)|(?<![\p{L}\p{N}])\d{8}(?![\p{L}\p{N}])/u;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in `month` (1-12) of `year`, in the Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** The calendar date of `now` in Vietnam, as `YYYY-MM-DD`. */
function vietnamToday(now: Date): string {
  return new Date(now.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Reads a date of birth written `dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy` or `ddmmyyyy`, with stray
 * spaces around it or around the separators. Refuses text that is not such a date (`format`), days that do not
 * exist such as 31/02 or 29/02 of a non-leap year (`invalid`), years before 1900 (`too_old`) and dates after
 * `today` as a calendar day in Vietnam (`future`; today itself is accepted).
 */
export function parseBirthDate(text: string, today: Date): BirthDateResult {
  const trimmed = text.trim();
  const match = SEPARATED.exec(trimmed) ?? COMPACT.exec(trimmed);
  if (match === null) return { ok: false, reason: 'format' };
  const day = Number(match[1]);
  const month = Number(match[2]);
  const year = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, reason: 'invalid' };
  }
  if (year < MIN_YEAR) return { ok: false, reason: 'too_old' };
  const value = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  if (value > vietnamToday(today)) return { ok: false, reason: 'future' };
  return { ok: true, value };
}

/**
 * Finds the first date-looking token in a longer text, such as the date in
 * "DK Nguyen Van An 048090001234 15.02.1990". Separated dates (`d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy`) count
 * when not glued to other digits; 8-digit `ddmmyyyy` tokens count only as a whole token, never inside a
 * 12-digit ID number. Returns the raw token (pass it to {@link parseBirthDate}) and its indices, `end`
 * exclusive, or null when there is none. The token is not checked to be a real date.
 */
export function findBirthDate(text: string): FoundBirthDate | null {
  const match = FIND.exec(text);
  if (match === null) return null;
  return { value: match[0], start: match.index, end: match.index + match[0].length };
}

/**
 * Formats an ISO date `YYYY-MM-DD` the Vietnamese way, `dd/mm/yyyy`.
 * @throws RangeError when `iso` is not `YYYY-MM-DD`.
 */
export function formatBirthDate(iso: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new RangeError('Expected an ISO date YYYY-MM-DD');
  return vietnamDates.isoDate(iso);
}
