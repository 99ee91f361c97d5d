import type { KeyedHash } from '../../shared/crypto.ts';
import { deriveCode, normalizeTypedCode } from '../contacts/phone-codes.ts';

/** Wrong codes a volunteer may type for one request: the fifth ends it. */
export const MAX_WRONG_CODES = 5;
/** Requests of one volunteer waiting for consent at once. */
export const MAX_PENDING_PER_MEMBER = 3;
/** Requests one volunteer may make in any rolling hour. */
export const MAX_REQUESTS_PER_HOUR = 60;

/**
 * The 6-digit consent code of the request asked by message `ref` for `phone`: derived with a keyed hash, so a
 * replayed turn texts the same code (and the stored hash matches it).
 */
export function consentCode(keyedHash: KeyedHash, phone: string, ref: string): string {
  return deriveCode(keyedHash, phone, `assisted:${ref}`);
}

/**
 * The keyed hash a consent code is stored and compared as, bound to the neighbour's phone; null when `typed` is
 * not 6 digits (spaces and dashes ignored), which counts as a wrong code.
 */
export function consentCodeHash(keyedHash: KeyedHash, phone: string, typed: string): string | null {
  const code = normalizeTypedCode(typed);
  return code === null ? null : keyedHash('assisted-code', JSON.stringify([phone, code]));
}
