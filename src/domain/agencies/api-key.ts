import { randomBytes } from 'node:crypto';
import type { DataCipher } from '../../shared/crypto.ts';

/** Every agency API key starts with this, so a leaked key is easy to recognise (and to scan for). */
export const AGENCY_KEY_PREFIX = 'dcz_ak_';

const KEY_SHAPE = /^dcz_ak_[A-Za-z0-9_-]{43}$/;

/**
 * A new agency API key: {@link AGENCY_KEY_PREFIX} followed by 256 random bits in base64url (43 characters).
 * It is shown once to the admin who creates it; only {@link hashAgencyApiKey} of it is stored.
 */
export function generateAgencyApiKey(): string {
  return `${AGENCY_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The keyed hash under which an agency API key is stored and looked up. */
export function hashAgencyApiKey(cipher: Pick<DataCipher, 'keyedHash'>, key: string): string {
  return cipher.keyedHash('agency-key', key);
}

/** Whether `text` has the shape of an agency API key (a cheap check before any lookup). */
export function isAgencyApiKeyShaped(text: string): boolean {
  return KEY_SHAPE.test(text);
}
