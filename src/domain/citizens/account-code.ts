import { randomInt } from 'node:crypto';

/**
 * Account codes: 8 characters from a 32-character alphabet without look-alikes (no 0/O, no 1/I), read back to
 * citizens as `XXXX-XXXX`. 32^8 ≈ 1.1 × 10^12 codes, drawn with a cryptographic random generator.
 */

/** The characters an account code is made of: digits 2-9 and upper-case letters without I and O. */
export const ACCOUNT_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Length of an account code, without the dash. */
export const ACCOUNT_CODE_LENGTH = 8;

const CODE = new RegExp(`^[${ACCOUNT_CODE_ALPHABET}]{${ACCOUNT_CODE_LENGTH}}$`);

/** Draws a new random account code: 8 characters from {@link ACCOUNT_CODE_ALPHABET}, no dash. */
export function generateAccountCode(): string {
  let code = '';
  for (let i = 0; i < ACCOUNT_CODE_LENGTH; i += 1) {
    code += ACCOUNT_CODE_ALPHABET.charAt(randomInt(ACCOUNT_CODE_ALPHABET.length));
  }
  return code;
}

/**
 * Formats an account code for people to read and type: `ABCD2345` gives `ABCD-2345`.
 * @throws RangeError when `code` is not a valid 8-character account code.
 */
export function formatAccountCode(code: string): string {
  if (!CODE.test(code)) throw new RangeError('Expected an 8-character account code');
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * Reads an account code as typed: case is ignored and spaces and dashes anywhere are dropped ("abcd-2345",
 * "ABCD 2345"). Returns the 8-character code, or null when it has another length or a character outside
 * {@link ACCOUNT_CODE_ALPHABET} (0, O, 1 and I are refused, not guessed).
 */
export function parseAccountCode(text: string): string | null {
  const code = text.toUpperCase().replace(/[\s\-‐‑–—]/gu, '');
  return CODE.test(code) ? code : null;
}
