import type { KeyedHash } from '../../shared/crypto.ts';

/** How many bytes of the keyed hash make a token: 16 bytes = 128 bits, 22 base64url characters. */
const TOKEN_BYTES = 16;

/** What a well-formed token looks like; anything else is refused before any lookup. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * The token of the share created by `ref` (the inbound message that asked for it): 128 bits of
 * `keyedHash('share-token', ref)` in base64url. The same turn replayed gives the same token, so the same link;
 * without the data key nobody can compute or guess one.
 */
export function deriveShareToken(keyedHash: KeyedHash, ref: string): string {
  return Buffer.from(keyedHash('share-token', ref), 'hex').subarray(0, TOKEN_BYTES).toString('base64url');
}

/** What is stored of a token: its keyed hash, never the token. */
export function shareTokenHash(keyedHash: KeyedHash, token: string): string {
  return keyedHash('share-token-hash', token);
}

/** Whether `token` has the shape of a share token (22 URL-safe characters). */
export function isWellFormedShareToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/**
 * The public link of a share: `${baseUrl}/s/${token}` (65 characters with a 40-character base URL, so it fits
 * in one SMS with its text).
 */
export function shareUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/s/${token}`;
}
