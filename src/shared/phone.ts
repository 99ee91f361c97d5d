/**
 * Phone numbers as people type them in Vietnam, normalised to E.164 (the form stored and sent to providers).
 *
 * A Vietnamese number is +84 followed by its national significant number: 9 digits starting with 3, 5, 7, 8
 * or 9 for mobiles (10-digit `0xxx xxx xxx` since 2018), or 10 digits starting with 2 for landlines (area code
 * 2x/2xx since 2017, 11-digit `02xx xxx xxxx`). Any other country is accepted when already written in E.164.
 */

const SEPARATORS = /[\s.()-]/gu;
const VN_MOBILE = /^[35789]\d{8}$/;
const VN_LANDLINE = /^2\d{9}$/;

function vietnamese(national: string): string | null {
  return VN_MOBILE.test(national) || VN_LANDLINE.test(national) ? `+84${national}` : null;
}

/**
 * Normalises a typed phone number to E.164, or returns null when it is not a usable number.
 *
 * Vietnamese numbers may be written `0905123456`, `+84905123456`, `84905123456`, `+84 0905 123 456`, with
 * spaces, dots, dashes or brackets anywhere (`(+84) 905-123-456`); all give `+84905123456`. Other countries
 * must start with `+` and have 8 to 15 digits (`+15551234567`). Letters and other characters are rejected.
 */
export function normalizePhone(input: string): string | null {
  const compact = input.replace(SEPARATORS, '');
  const match = /^(\+?)(\d+)$/.exec(compact);
  if (match === null) return null;
  const plus = match[1] === '+';
  const digits = match[2] ?? '';
  if (digits.startsWith('84') && (plus || digits.length === 11 || digits.length === 12)) {
    const national = digits.slice(2);
    // "+84 0905…": the trunk 0 kept after the country code.
    return vietnamese(national.startsWith('0') ? national.slice(1) : national);
  }
  if (plus) return /^[1-9]\d{7,14}$/.test(digits) ? `+${digits}` : null;
  if (digits.startsWith('0')) return vietnamese(digits.slice(1));
  return null;
}

/** True when `e164` is a Vietnamese mobile number (+84 then 9 digits starting with 3, 5, 7, 8 or 9). */
export function isVietnameseMobile(e164: string): boolean {
  return e164.startsWith('+84') && VN_MOBILE.test(e164.slice(3));
}

/**
 * Masks a phone number for logs and screens: keeps the country prefix (`+84`, or `+` and the first digit for
 * other countries) and the last 3 digits, and replaces the rest with `*`, keeping the length:
 * `+84905123456` gives `+84******456`, `+15551234567` gives `+1*******567`. Anything too short to keep both is
 * masked entirely.
 */
export function maskPhone(e164: string): string {
  const prefix = e164.startsWith('+84') ? 3 : e164.startsWith('+') ? 2 : 0;
  const hidden = e164.length - prefix - 3;
  if (hidden < 1) return '*'.repeat(e164.length);
  return `${e164.slice(0, prefix)}${'*'.repeat(hidden)}${e164.slice(-3)}`;
}
