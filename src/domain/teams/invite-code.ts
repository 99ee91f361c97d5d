import { generateAccountCode, parseAccountCode } from '../citizens/account-code.ts';

/**
 * A team's invite code (`TNV <invite code>`): 8 characters from the account-code alphabet (no 0/O, no 1/I),
 * drawn and read exactly as account codes are, so a volunteer types it the same way.
 */

/** Draws a new random invite code: 8 characters from `ACCOUNT_CODE_ALPHABET`, no dash, as stored. */
export function generateInviteCode(): string {
  return generateAccountCode();
}

/**
 * Reads an invite code as typed: case, spaces and dashes are ignored ("abcd-2345", "ABCD 2345"). Returns the
 * 8-character code as stored, or null when it cannot be one (another length, or 0, O, 1, I).
 */
export function parseInviteCode(text: string): string | null {
  return parseAccountCode(text);
}
