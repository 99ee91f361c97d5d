import { describe, expect, it } from 'vitest';
import { ACCOUNT_CODE_ALPHABET } from '../citizens/account-code.ts';
import { generateInviteCode, parseInviteCode } from './invite-code.ts';

describe('generateInviteCode', () => {
  it('draws 8 characters from the account-code alphabet', () => {
    const codes = Array.from({ length: 200 }, () => generateInviteCode());

    for (const code of codes) {
      expect(code).toHaveLength(8);
      expect([...code].every((c) => ACCOUNT_CODE_ALPHABET.includes(c))).toBe(true);
    }
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('parseInviteCode', () => {
  it.each([
    ['ABCD2345', 'ABCD2345'],
    ['abcd-2345', 'ABCD2345'],
    [' ABCD 2345 ', 'ABCD2345'],
    ['ABCD2345X', null],
    ['ABCD0345', null],
    ['', null],
  ])('reads %j as %j', (typed, expected) => {
    expect(parseInviteCode(typed)).toBe(expected);
  });
});
