import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDataCipher, safeEqual } from './crypto.ts';

describe('createDataCipher', () => {
  const cipher = createDataCipher(randomBytes(32));

  it('round-trips Vietnamese text and hides it', () => {
    const sealed = cipher.encrypt('Nguyễn Văn An 048090001234');

    expect(sealed).not.toContain('048090001234');
    expect(cipher.decrypt(sealed)).toBe('Nguyễn Văn An 048090001234');
  });

  it('gives different ciphertexts for equal inputs', () => {
    expect(cipher.encrypt('x')).not.toBe(cipher.encrypt('x'));
  });

  it('refuses a tampered ciphertext', () => {
    const sealed = cipher.encrypt('048090001234');
    const [version, payload] = sealed.split('.');
    const raw = Buffer.from(payload ?? '', 'base64url');
    raw[raw.length - 1] = (raw.at(-1) ?? 0) ^ 0x01;
    const tampered = `${version}.${raw.toString('base64url')}`;

    expect(() => cipher.decrypt(tampered)).toThrow(/could not be decrypted/);
  });

  it('refuses a ciphertext made with another key', () => {
    const other = createDataCipher(randomBytes(32));

    expect(() => other.decrypt(cipher.encrypt('secret'))).toThrow(/could not be decrypted/);
  });

  it('hashes stably per purpose and key', () => {
    expect(cipher.keyedHash('cccd', '048090001234')).toBe(cipher.keyedHash('cccd', '048090001234'));
    expect(cipher.keyedHash('cccd', '048090001234')).not.toBe(cipher.keyedHash('phone', '048090001234'));
    expect(createDataCipher(randomBytes(32)).keyedHash('cccd', '1')).not.toBe(cipher.keyedHash('cccd', '1'));
  });

  it('rejects a key of the wrong length', () => {
    expect(() => createDataCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('safeEqual', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
  ])('compares %s and %s as %s', (a, b, expected) => {
    expect(safeEqual(a, b)).toBe(expected);
  });
});
