import type { KeyedHash } from '../../shared/crypto.ts';
import { AppError } from '../../shared/errors.ts';

/** How long a phone code stays valid after it is issued. */
export const CODE_TTL_MS = 5 * 60_000;
/** Wrong answers allowed per code: the MAX_TRIES-th wrong answer locks it. */
export const MAX_TRIES = 5;
/** Codes issued to one phone (distinct requests) in any rolling {@link ISSUE_WINDOW_MS}. */
export const MAX_CODES_PER_HOUR = 3;
/** The rolling window of {@link MAX_CODES_PER_HOUR}. */
export const ISSUE_WINDOW_MS = 60 * 60_000;
/** The number of digits of a phone code. */
export const CODE_LENGTH = 6;

/**
 * What {@link PhoneCodeStore.issue} did: a code to send (`fresh: false` when this request already had it), or
 * a refusal until `retryAt`.
 */
export type IssueResult =
  | { type: 'issued'; code: string; expiresAt: Date; fresh: boolean }
  | { type: 'rate_limited'; retryAt: Date };

/**
 * What {@link PhoneCodeStore.check} found: `ok` (the code was right and is now used up), `wrong` with the
 * tries left, `expired`, `none` (no code waiting for this phone) or `locked` (too many wrong answers).
 */
export type CheckResult =
  | { type: 'ok' }
  | { type: 'wrong'; triesLeft: number }
  | { type: 'expired' }
  | { type: 'none' }
  | { type: 'locked' };

/**
 * One-time codes sent by SMS to prove a phone number typed in a messenger chat. Phones are E.164. Neither the
 * phone nor the code is ever stored in clear: only keyed hashes.
 * Contract (test/contracts/phone-code-store.contract.ts):
 * - at most one code waits per phone; a new one replaces the previous one and starts with all tries;
 * - a code is valid for {@link CODE_TTL_MS} from its issue and is used up by the right answer;
 * - time is the `now` passed in, never the clock of the storage, so callers (and tests) decide it.
 */
export interface PhoneCodeStore {
  /**
   * Issues a 6-digit code for `phone`, idempotent on `ref` (the inbound message id that asked): issuing again
   * with the same ref returns the same code and expiry with fresh=false, changes nothing and does not count
   * against the limit. At most MAX_CODES_PER_HOUR distinct refs per phone in any rolling hour, else
   * rate_limited with the time the oldest drops out. A new code replaces the previous one and resets its
   * tries.
   */
  issue(phone: string, ref: string, now: Date): Promise<IssueResult>;
  /**
   * Checks a typed code (spaces/dashes ignored; must be 6 digits or it counts as wrong). ok consumes the code
   * (a second check says none). Wrong answers count; the MAX_TRIES-th wrong answer locks the code (later
   * checks say locked even with the right code). From CODE_TTL_MS after its issue: expired (whether locked or not).
   */
  check(phone: string, typed: string, now: Date): Promise<CheckResult>;
}

/** The keyed hash codes are derived and stored with (a `DataCipher`'s). */
export type { KeyedHash } from '../../shared/crypto.ts';

/**
 * The code for (phone, ref), derived with a keyed hash so replaying a crashed turn sends the same code:
 * 6 digits, zero-padded, from the first 52 bits of the hash (a bias below 1e-9 between codes).
 */
export function deriveCode(keyedHash: KeyedHash, phone: string, ref: string): string {
  const hex = keyedHash('otp-derive', JSON.stringify([phone, ref])).slice(0, 13);
  if (!/^[0-9a-f]{13}$/i.test(hex)) {
    throw new AppError('BAD_KEYED_HASH', 'deriveCode needs a hex keyed hash of 52 bits or more');
  }
  return (Number.parseInt(hex, 16) % 10 ** CODE_LENGTH).toString().padStart(CODE_LENGTH, '0');
}

/** The code a person typed, without spaces and dashes; null unless that leaves exactly 6 ASCII digits. */
export function normalizeTypedCode(typed: string): string | null {
  const compact = typed.replace(/[\s\-\u2010-\u2015\u2212]/g, '');
  return new RegExp(`^[0-9]{${CODE_LENGTH}}$`).test(compact) ? compact : null;
}

/** The keyed hash a code is stored as: bound to its phone, so equal codes of two phones hash apart. */
export function codeHashOf(keyedHash: KeyedHash, phone: string, code: string): string {
  return keyedHash('otp-code', `${phone}:${code}`);
}

/** The keyed hash a phone's codes are filed under. */
export function phoneKeyOf(keyedHash: KeyedHash, phone: string): string {
  return keyedHash('otp-phone', phone);
}
