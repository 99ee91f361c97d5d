import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDataCipher } from '../../shared/crypto.ts';
import { generateAgencyApiKey, hashAgencyApiKey, isAgencyApiKeyShaped } from './api-key.ts';

describe('agency API keys', () => {
  it('starts with a recognisable prefix followed by 256 random bits in base64url', () => {
    const key = generateAgencyApiKey();

    expect(key).toMatch(/^dcz_ak_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice('dcz_ak_'.length), 'base64url')).toHaveLength(32);
    expect(isAgencyApiKeyShaped(key)).toBe(true);
  });

  it('never draws the same key twice', () => {
    const keys = new Set(Array.from({ length: 200 }, generateAgencyApiKey));

    expect(keys.size).toBe(200);
  });

  it('hashes a key stably under the data key, and differently under another data key', () => {
    const cipher = createDataCipher(randomBytes(32));
    const key = generateAgencyApiKey();

    expect(hashAgencyApiKey(cipher, key)).toBe(hashAgencyApiKey(cipher, key));
    expect(hashAgencyApiKey(cipher, key)).not.toContain(key.slice(7));
    expect(hashAgencyApiKey(createDataCipher(randomBytes(32)), key)).not.toBe(hashAgencyApiKey(cipher, key));
  });

  it('tells a key from text of another shape', () => {
    expect(isAgencyApiKeyShaped('admin-token-for-tests-0123456789')).toBe(false);
    expect(isAgencyApiKeyShaped(`dcz_ak_${'a'.repeat(42)}`)).toBe(false);
    expect(isAgencyApiKeyShaped(`dcz_ak_${'a'.repeat(42)}=`)).toBe(false);
  });
});
