import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDataCipher } from '../../shared/crypto.ts';
import { deriveShareToken, isWellFormedShareToken, shareTokenHash, shareUrl } from './share-token.ts';

const cipher = createDataCipher(randomBytes(32));
const keyedHash = (purpose: string, value: string) => cipher.keyedHash(purpose, value);

describe('share tokens', () => {
  it('are 22 URL-safe characters (128 bits), the same for the same creating message', () => {
    const token = deriveShareToken(keyedHash, 'inbound-42');
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(16);
    expect(deriveShareToken(keyedHash, 'inbound-42')).toBe(token);
    expect(isWellFormedShareToken(token)).toBe(true);
  });

  it('differ for every message and every key, so nobody can derive one without the key', () => {
    const tokens = new Set(Array.from({ length: 500 }, (_, i) => deriveShareToken(keyedHash, `ref-${i}`)));
    expect(tokens.size).toBe(500);
    const other = createDataCipher(randomBytes(32));
    expect(deriveShareToken((p, v) => other.keyedHash(p, v), 'inbound-42')).not.toBe(
      deriveShareToken(keyedHash, 'inbound-42'),
    );
  });

  it('are stored only as a keyed hash that does not contain the token', () => {
    const token = deriveShareToken(keyedHash, 'inbound-42');
    const hash = shareTokenHash(keyedHash, token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(Buffer.from(token, 'base64url').toString('hex'));
    expect(shareTokenHash(keyedHash, token)).toBe(hash);
  });

  it('refuses malformed tokens before any lookup', () => {
    for (const bad of [
      '',
      'short',
      `${'a'.repeat(21)}!`,
      'a'.repeat(23),
      `${'a'.repeat(21)}/`,
      '../../etc/passwd',
    ]) {
      expect(isWellFormedShareToken(bad)).toBe(false);
    }
  });

  it('make a link that fits one SMS with its text, from a 40-character base URL', () => {
    const base = 'https://congdanso.danang.gov.vn/assist/a';
    expect(base).toHaveLength(40);
    const url = shareUrl(`${base}/`, deriveShareToken(keyedHash, 'x'));
    expect(url).toMatch(/^https:\/\/congdanso\.danang\.gov\.vn\/assist\/a\/s\/[A-Za-z0-9_-]{22}$/);
    expect(url.length).toBeLessThanOrEqual(65);
  });
});
