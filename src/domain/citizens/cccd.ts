import { CCCD_PROVINCE_CODES } from './province-codes.ts';

/**
 * CCCD (citizen identity card) numbers: 12 digits, no check digit. Digits 1-3: province where the birth was
 * registered; digit 4: century and gender; digits 5-6: last two digits of the birth year; digits 7-12: serial.
 * The number can be cross-checked against a date of birth; only the population registry proves it belongs to
 * the person.
 */

/** The result of {@link parseCccd}: the 12-digit number or the reason it was refused. */
export type CccdResult =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly reason: 'format' | 'province' };

/** The result of {@link checkCccdAgainstBirthDate}. */
export type CccdBirthDateCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'year_mismatch'; readonly expectedYear: number };

/** A 12-digit run found in a longer text, with its [start, end) indices. */
export interface FoundCccd {
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

const TWELVE_DIGITS = /^\d{12}$/;

function centuryDigit(cccd: string): number {
  if (!TWELVE_DIGITS.test(cccd)) throw new RangeError('Expected a 12-digit CCCD number');
  return Number(cccd[3]);
}

/**
 * Reads a CCCD number, allowing spaces, dots or dashes between digit groups ("048 090 001 234",
 * "048.090.001.234"). Refuses anything that is not exactly 12 digits once those are removed (`format`) and
 * numbers whose first three digits are not one of the 63 province codes (`province`).
 */
export function parseCccd(text: string): CccdResult {
  const digits = text.replace(/[\s.-]/gu, '');
  if (!TWELVE_DIGITS.test(digits)) return { ok: false, reason: 'format' };
  if (!CCCD_PROVINCE_CODES.has(digits.slice(0, 3))) return { ok: false, reason: 'province' };
  return { ok: true, value: digits };
}

/**
 * The full birth year encoded in digits 4-6: digit 4 gives the century (0/1: 1900s, 2/3: 2000s, 4/5: 2100s,
 * 6/7: 2200s, 8/9: 2300s) and digits 5-6 the year within it. `048090001234` gives 1990.
 * @throws RangeError when `cccd` is not 12 digits.
 */
export function cccdBirthYear(cccd: string): number {
  return 1900 + Math.floor(centuryDigit(cccd) / 2) * 100 + Number(cccd.slice(4, 6));
}

/**
 * The gender encoded in digit 4: even is male, odd is female.
 * @throws RangeError when `cccd` is not 12 digits.
 */
export function cccdGender(cccd: string): 'male' | 'female' {
  return centuryDigit(cccd) % 2 === 0 ? 'male' : 'female';
}

/**
 * Checks that the birth year encoded in a CCCD number is the year of an ISO date of birth (`YYYY-MM-DD`).
 * A number whose century lies in the future can never match a date of birth that is not in the future.
 * @throws RangeError when `cccd` is not 12 digits.
 */
export function checkCccdAgainstBirthDate(cccd: string, isoDate: string): CccdBirthDateCheck {
  const expectedYear = cccdBirthYear(cccd);
  return Number(isoDate.slice(0, 4)) === expectedYear
    ? { ok: true }
    : { ok: false, reason: 'year_mismatch', expectedYear };
}

/**
 * Masks a CCCD number for logs and screens: the first 3 and last 2 digits stay, the rest becomes `*`, keeping
 * the length (`048090001234` gives `048*******34`). Anything too short to keep both is masked entirely.
 */
export function maskCccd(cccd: string): string {
  const hidden = cccd.length - 5;
  if (hidden < 1) return '*'.repeat(cccd.length);
  return `${cccd.slice(0, 3)}${'*'.repeat(hidden)}${cccd.slice(-2)}`;
}

/**
 * Finds the first run of exactly 12 contiguous digits in a longer text ("DK Nguyen Van An 048090001234
 * 15.02.1990"), not part of a longer run of digits. Returns it with its indices, `end` exclusive, or null.
 * The province code is not checked: pass the value to {@link parseCccd}.
 */
export function findCccd(text: string): FoundCccd | null {
  const match = /(?<!\d)\d{12}(?!\d)/.exec(text);
  if (match === null) return null;
  return { value: match[0], start: match.index, end: match.index + match[0].length };
}
