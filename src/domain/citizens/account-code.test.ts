import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_CODE_ALPHABET,
  ACCOUNT_CODE_LENGTH,
  formatAccountCode,
  generateAccountCode,
  parseAccountCode,
} from './account-code.ts';

describe('ACCOUNT_CODE_ALPHABET', () => {
  it('has 32 distinct characters', () => {
    expect(ACCOUNT_CODE_ALPHABET).toHaveLength(32);
    expect(new Set(ACCOUNT_CODE_ALPHABET).size).toBe(32);
  });

  it.each(['0', 'O', '1', 'I', 'o', 'i', 'l'])('leaves out the look-alike %j', (ch) => {
    expect(ACCOUNT_CODE_ALPHABET).not.toContain(ch);
  });

  it('is digits 2-9 and upper-case letters only', () => {
    expect(ACCOUNT_CODE_ALPHABET).toMatch(/^[2-9A-Z]+$/);
  });
});

describe('generateAccountCode', () => {
  it('draws 1000 codes that are all 8 valid characters', () => {
    const codes = Array.from({ length: 1000 }, () => generateAccountCode());
    for (const code of codes) {
      expect(code).toHaveLength(ACCOUNT_CODE_LENGTH);
      expect(code).toMatch(/^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{8}$/);
      expect(parseAccountCode(code)).toBe(code);
    }
  });

  it('rarely repeats itself', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => generateAccountCode()));
    expect(codes.size).toBe(1000);
  });

  it('uses the whole alphabet', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => generateAccountCode()).join(''));
    expect(seen.size).toBe(32);
  });
});

describe('formatAccountCode', () => {
  it.each([
    ['ABCD2345', 'ABCD-2345'],
    ['23456789', '2345-6789'],
  ])('formats %s as %s', (code, expected) => {
    expect(formatAccountCode(code)).toBe(expected);
  });

  it.each(['ABCD-2345', 'abcd2345', 'ABCD234', 'ABCD0345'])('throws on %j', (code) => {
    expect(() => formatAccountCode(code)).toThrow(RangeError);
  });

  it('round-trips with parseAccountCode', () => {
    const code = generateAccountCode();
    expect(parseAccountCode(formatAccountCode(code))).toBe(code);
  });
});

describe('parseAccountCode', () => {
  it.each([
    ['ABCD2345', 'ABCD2345'],
    ['ABCD-2345', 'ABCD2345'],
    ['abcd-2345', 'ABCD2345'],
    ['AbCd2345', 'ABCD2345'],
    ['ABCD 2345', 'ABCD2345'],
    ['  abcd - 2345  ', 'ABCD2345'],
    ['A B C D 2 3 4 5', 'ABCD2345'],
    ['ABCD–2345', 'ABCD2345'],
    ['XYZW-9876', 'XYZW9876'],
  ])('reads %j as %s', (input, expected) => {
    expect(parseAccountCode(input)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['ABCD234', '7 characters'],
    ['ABCD23456', '9 characters'],
    ['ABCD-0345', 'a zero'],
    ['ABCO-2345', 'a letter O'],
    ['ABC1-2345', 'a one'],
    ['ABCI-2345', 'a letter I'],
    ['abci-2345', 'a lower-case i'],
    ['ABCD_2345', 'an underscore'],
    ['ABCD.2345', 'a dot'],
    ['ĐBCD-2345', 'a Vietnamese letter'],
  ])('refuses %j (%s)', (input) => {
    expect(parseAccountCode(input)).toBeNull();
  });
});
