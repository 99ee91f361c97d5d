import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cccdBirthYear,
  cccdGender,
  checkCccdAgainstBirthDate,
  findCccd,
  maskCccd,
  parseCccd,
} from './cccd.ts';
import { CCCD_PROVINCE_CODES } from './province-codes.ts';

describe('CCCD_PROVINCE_CODES', () => {
  it('holds the 63 provinces', () => {
    expect(CCCD_PROVINCE_CODES.size).toBe(63);
  });

  it('matches data/cccd-province-codes.csv', () => {
    const csv = readFileSync(new URL('../../../data/cccd-province-codes.csv', import.meta.url), 'utf8');
    const rows = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => {
        const comma = line.indexOf(',');
        return [line.slice(0, comma), line.slice(comma + 1)] as const;
      });
    expect([...CCCD_PROVINCE_CODES]).toEqual(rows);
  });

  it.each([
    ['001', 'Hà Nội'],
    ['048', 'Đà Nẵng'],
    ['079', 'Hồ Chí Minh'],
    ['096', 'Cà Mau'],
  ])('names %s as %s', (code, province) => {
    expect(CCCD_PROVINCE_CODES.get(code)).toBe(province);
  });

  it('keeps names in NFC', () => {
    for (const name of CCCD_PROVINCE_CODES.values()) expect(name).toBe(name.normalize('NFC'));
  });
});

describe('parseCccd', () => {
  it.each([
    ['048090001234', '048090001234'],
    ['048 090 001 234', '048090001234'],
    ['048.090.001.234', '048090001234'],
    ['048-090-001-234', '048090001234'],
    ['  048090001234 ', '048090001234'],
    ['0480 9000 1234', '048090001234'],
    ['001190123456', '001190123456'],
    ['096305000001', '096305000001'],
  ])('reads %j as %s', (input, expected) => {
    expect(parseCccd(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'format'],
    ['04809000123', 'format'],
    ['0480900012345', 'format'],
    ['04809000123a', 'format'],
    ['048/090/001/234', 'format'],
    ['０４８０９０００１２３４', 'format'],
    ['003090001234', 'province'],
    ['000090001234', 'province'],
    ['097090001234', 'province'],
    ['999090001234', 'province'],
  ])('refuses %j as %s', (input, reason) => {
    expect(parseCccd(input)).toEqual({ ok: false, reason });
  });
});

describe('cccdBirthYear and cccdGender', () => {
  it.each([
    ['048090001234', 1990, 'male'],
    ['048190001234', 1990, 'female'],
    ['048205001234', 2005, 'male'],
    ['048305001234', 2005, 'female'],
    ['048400001234', 2100, 'male'],
    ['048501001234', 2101, 'female'],
    ['048699001234', 2299, 'male'],
    ['048700001234', 2200, 'female'],
    ['048801001234', 2301, 'male'],
    ['048999001234', 2399, 'female'],
    ['001000000001', 1900, 'male'],
  ])('reads %s as born in %i, %s', (cccd, year, gender) => {
    expect(cccdBirthYear(cccd)).toBe(year);
    expect(cccdGender(cccd)).toBe(gender);
  });

  it.each(['04809000123', '048 090 001 234', 'abcdefghijkl'])('throws on %j', (cccd) => {
    expect(() => cccdBirthYear(cccd)).toThrow(RangeError);
    expect(() => cccdGender(cccd)).toThrow(RangeError);
  });
});

describe('checkCccdAgainstBirthDate', () => {
  it.each([
    ['048090001234', '1990-02-15'],
    ['048190001234', '1990-12-31'],
    ['048205001234', '2005-01-01'],
  ])('accepts %s with %s', (cccd, date) => {
    expect(checkCccdAgainstBirthDate(cccd, date)).toEqual({ ok: true });
  });

  it.each([
    ['048090001234', '1991-02-15', 1990],
    ['048290001234', '1990-02-15', 2090],
    ['048005001234', '2005-01-01', 1905],
    ['048405001234', '2005-01-01', 2105],
  ])('refuses %s with %s, expecting %i', (cccd, date, expectedYear) => {
    expect(checkCccdAgainstBirthDate(cccd, date)).toEqual({
      ok: false,
      reason: 'year_mismatch',
      expectedYear,
    });
  });
});

describe('maskCccd', () => {
  it.each([
    ['048090001234', '048*******34'],
    ['001190123456', '001*******56'],
    ['12345', '*****'],
    ['', ''],
  ])('masks %j as %j', (input, expected) => {
    const masked = maskCccd(input);
    expect(masked).toBe(expected);
    expect(masked).toHaveLength(input.length);
  });
});

describe('findCccd', () => {
  it.each([
    ['DK Nguyen Van An 048090001234 15.02.1990', '048090001234', 17],
    ['048090001234', '048090001234', 0],
    ['TK,Nguyen Van An,048090001234,15021990', '048090001234', 17],
    ['so 048090001234.', '048090001234', 3],
    ['cccd:048090001234', '048090001234', 5],
    ['0480900012345 048090001234', '048090001234', 14],
    ['003090001234', '003090001234', 0],
  ])('finds the number in %j', (text, value, start) => {
    expect(findCccd(text)).toEqual({ value, start, end: start + 12 });
  });

  it.each([
    ['DK Nguyen Van An 15.02.1990', 'no long number'],
    ['DK 048 090 001 234', 'digits in groups'],
    ['DK 04809000123', '11 digits'],
    ['DK 0480900012345', '13 digits'],
    ['DK 0905123456', 'a phone number'],
    ['', 'empty text'],
  ])('finds nothing in %j (%s)', (text) => {
    expect(findCccd(text)).toBeNull();
  });
});
