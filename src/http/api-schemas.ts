import { z } from 'zod';
import { unsafeCharacterIn } from '../shared/text.ts';

/**
 * The building blocks of the admin and agency API schemas, so that every text and every date sent to the API
 * is held to the same rules, whatever the route or the field.
 */

/** A validation message: `is required` when the value is missing, otherwise `must be <what>`. */
export const required = (what: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? 'is required' : `must be ${what}`;

/**
 * Text from outside, in one form: surrounding whitespace trimmed, Unicode NFC, 1 to `max` characters, free of
 * controls (C0, DEL, C1), bidirectional and other format characters (U+202A-U+202E, U+2066-U+2069, U+200E,
 * U+200F, U+061C, zero-width spaces and joiners, the BOM...), unpaired surrogates, private-use characters, line
 * and paragraph separators and U+FFFD (bytes that were not UTF-8): text of people shows no invisible
 * characters, and none can turn what a citizen reads around. Single-line unless `lineFeeds` (notes): then a
 * line feed is kept, and CRLF is written LF.
 */
export function apiText(max: number, options: { lineFeeds?: boolean } = {}) {
  const trimmed = z
    .string({ error: required('text') })
    .trim()
    .normalize('NFC');
  const text = options.lineFeeds ? trimmed.overwrite((value) => value.replaceAll('\r\n', '\n')) : trimmed;
  return text
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => unsafeCharacterIn(value, options) === null, {
      error: (issue) =>
        `must not contain ${unsafeCharacterIn(String(issue.input), options)}: control, bidirectional and ` +
        `invisible characters are refused${options.lineFeeds ? '' : ' (the text is one line)'}`,
    });
}

/** The years a date sent to the API may fall in. */
export const DATE_YEARS = { min: 1900, max: 2100 } as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What is wrong with a date written YYYY-MM-DD, or null when it is a real date of {@link DATE_YEARS}. */
function dateProblem(text: string): string | null {
  if (!DATE.test(text)) return 'must be a real date written YYYY-MM-DD';
  const [year = 0, month = 0, day = 0] = text.split('-').map(Number);
  if (year < DATE_YEARS.min || year > DATE_YEARS.max) {
    return `must be a date in the years ${DATE_YEARS.min}-${DATE_YEARS.max}`;
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? null : 'must be a real date written YYYY-MM-DD';
}

/**
 * A date sent to the API: exactly `YYYY-MM-DD` (no time, sign or extra digits), a day that exists in the
 * Gregorian calendar (no 30 February), in the years 1900-2100. The papers and dossiers are those of living
 * people (no date of birth before 1900 is accepted either), and nothing issued today is valid past 2100: a year
 * outside is a typing error (0202, 20255) that a calendar check alone would store and show to the citizen.
 */
export const apiDate = z
  .string({ error: required('a real date written YYYY-MM-DD') })
  .regex(DATE, { error: 'must be a real date written YYYY-MM-DD', abort: true })
  .refine((text) => dateProblem(text) === null, { error: (issue) => dateProblem(String(issue.input)) ?? '' })
  .meta({ format: 'date' });
