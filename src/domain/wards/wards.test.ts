import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { foldName } from '../../shared/text.ts';
import { createWardMatcher } from './ward-matcher.ts';
import { findWard, type Ward, wardOfAddress, wards } from './wards.ts';
import { parseWardsCsv } from './wards-csv.ts';

const CSV = readFileSync(new URL('../../../data/danang-wards.csv', import.meta.url), 'utf8');

describe('wards', () => {
  it('lists the 94 units of Resolution 1659/NQ-UBTVQH15: 23 phường, 70 xã, 1 đặc khu', () => {
    expect(wards).toHaveLength(94);
    const count = (kind: Ward['kind']) => wards.filter((ward) => ward.kind === kind).length;
    expect([count('phuong'), count('xa'), count('dac_khu')]).toEqual([23, 70, 1]);
  });

  it('has unique 5-digit codes, sorted, and unique names even without diacritics', () => {
    expect(wards.every((ward) => /^\d{5}$/.test(ward.code))).toBe(true);
    const codes = wards.map((ward) => ward.code);
    expect(new Set(codes).size).toBe(94);
    expect(codes).toEqual([...codes].sort());
    expect(new Set(wards.map((ward) => foldName(ward.name))).size).toBe(94);
  });

  it('writes every name in NFC, opening with its kind word', () => {
    const word = { phuong: 'Phường ', xa: 'Xã ', dac_khu: 'Đặc khu ' };
    expect(wards.filter((ward) => ward.name !== ward.name.normalize('NFC'))).toEqual([]);
    expect(wards.filter((ward) => !ward.name.startsWith(word[ward.kind]))).toEqual([]);
  });

  it.each([
    ['20242', 'Phường Hải Châu', 'phuong'],
    ['20194', 'Phường Hải Vân', 'phuong'],
    ['20308', 'Xã Bà Nà', 'xa'],
    ['20320', 'Xã Hòa Vang', 'xa'],
    ['20333', 'Đặc khu Hoàng Sa', 'dac_khu'],
    ['20341', 'Phường Tam Kỳ', 'phuong'],
    ['20410', 'Phường Hội An', 'phuong'],
    ['20965', 'Xã Núi Thành', 'xa'],
    ['20752', 'Xã Phước Thành', 'xa'],
  ])('knows %s as %s (%s)', (code, name, kind) => {
    expect(findWard(code)).toEqual({ code, name, kind });
  });

  it('finds no unit for a code outside Đà Nẵng or a pre-2025 code', () => {
    expect(findWard('00004')).toBeUndefined(); // Phường Ba Đình, Hà Nội
    expect(findWard('20206')).toBeUndefined(); // a Thanh Khê ward merged on 1 July 2025
    expect(findWard('')).toBeUndefined();
  });

  it('is frozen', () => {
    expect(Object.isFrozen(wards)).toBe(true);
    expect(Object.isFrozen(wards[0])).toBe(true);
  });
});

describe('wardOfAddress', () => {
  it.each([
    ['12 Lê Lợi, phường Hải Châu, Đà Nẵng', '20242'],
    ['12 le loi phuong hai chau da nang', '20242'],
    ['12 Lê Lợi, P. Hải Châu', '20242'],
    ['12 Lê Lợi, P.Hải Châu', '20242'],
    ['Hai Chau', '20242'],
    ['  HẢI   CHÂU  ', '20242'],
    ['to 5 thon 2 xa Ba Na', '20308'],
    ['Tổ 5, thôn 2, X. Bà Nà, TP Đà Nẵng', '20308'],
    ['đặc khu Hoàng Sa', '20333'],
    ['thôn Lộc Thượng, xã Phước Thành', '20752'],
    ['Xã La Dêê', '20704'],
    ['xa la ee', '20698'],
    ['phường Hòa Xuân', '20314'],
    ['phuong hoa xuan', '20314'],
    ['Phường Hoà Xuân', '20314'], // the older tone-mark placement
  ])('finds %j in %s', (address, code) => {
    expect(wardOfAddress(address)?.code).toBe(code);
  });

  it('prefers the longest name', () => {
    expect(wardOfAddress('phường Hội An Tây')?.name).toBe('Phường Hội An Tây');
    expect(wardOfAddress('phường Hội An')?.name).toBe('Phường Hội An');
    expect(wardOfAddress('Dien Ban Dong')?.name).toBe('Phường Điện Bàn Đông');
    expect(wardOfAddress('xã Nam Trà My')?.name).toBe('Xã Nam Trà My');
    expect(wardOfAddress('xã Trà My')?.name).toBe('Xã Trà My');
    expect(wardOfAddress('Quế Sơn Trung')?.name).toBe('Xã Quế Sơn Trung');
  });

  it('prefers a name after a kind word to a bare one (a street named after a place)', () => {
    expect(wardOfAddress('45 Núi Thành, phường Hòa Cường')?.name).toBe('Phường Hòa Cường');
    expect(wardOfAddress('Hải Châu, xã Núi Thành')?.name).toBe('Xã Núi Thành');
  });

  it('does not take a district, town, street or village for the unit of the same name', () => {
    expect(wardOfAddress('đường Hoàng Sa, phường Sơn Trà')?.name).toBe('Phường Sơn Trà');
    expect(wardOfAddress('quận Sơn Trà')).toBeNull();
    expect(wardOfAddress('Q. Hải Châu')).toBeNull();
    expect(wardOfAddress('huyện Núi Thành')).toBeNull();
    expect(wardOfAddress('thị xã Điện Bàn, Quảng Nam')).toBeNull();
    expect(wardOfAddress('thành phố Tam Kỳ')).toBeNull();
    expect(wardOfAddress('thôn Hà Nha')).toBeNull();
  });

  it('does not take an older, longer ward name for the unit it starts with', () => {
    expect(wardOfAddress('phường Hòa Khánh Bắc')).toBeNull();
    expect(wardOfAddress('phường An Hải Đông, quận Sơn Trà')).toBeNull();
  });

  it('answers null when two units are named', () => {
    expect(wardOfAddress('Hải Châu hoặc Sơn Trà')).toBeNull();
    expect(wardOfAddress('phường Hải Châu, phường Thanh Khê')).toBeNull();
    expect(wardOfAddress('45 Núi Thành, Hòa Cường')).toBeNull();
  });

  it('answers null when no unit is named', () => {
    expect(wardOfAddress('')).toBeNull();
    expect(wardOfAddress('12 Lê Lợi, Đà Nẵng')).toBeNull();
    expect(wardOfAddress('phường Ba Đình, Hà Nội')).toBeNull();
    expect(wardOfAddress('DK 0905123456')).toBeNull();
    expect(wardOfAddress('Haichau')).toBeNull();
  });

  it('answers the same unit named twice', () => {
    expect(wardOfAddress('P. Hải Châu (Hải Châu), Đà Nẵng')?.code).toBe('20242');
  });
});

describe('createWardMatcher', () => {
  // Two units sharing a name, as happens between provinces (Đà Nẵng itself has none: see above).
  const units: Ward[] = [
    { code: '00001', name: 'Phường An Phú', kind: 'phuong' },
    { code: '00002', name: 'Xã An Phú', kind: 'xa' },
    { code: '00003', name: 'Xã Bình Minh', kind: 'xa' },
  ];
  const match = createWardMatcher(units);

  it('needs the kind word to choose between units sharing a name', () => {
    expect(match('An Phu')).toBeNull();
    expect(match('phường An Phú')?.code).toBe('00001');
    expect(match('x. An Phu')?.code).toBe('00002');
  });

  it('accepts a mistaken kind word for a name that only one unit has', () => {
    expect(match('phường Bình Minh')?.code).toBe('00003');
  });
});

describe('parseWardsCsv', () => {
  const parse = (text: string) => () => parseWardsCsv(text, 'test.csv');

  it('reads data/danang-wards.csv as the module did', () => {
    expect(parseWardsCsv(CSV, 'data/danang-wards.csv')).toEqual(wards);
  });

  it('reads a byte order mark and CRLF line ends', () => {
    expect(parseWardsCsv('\uFEFFcode,name,kind\r\n20308,Xã Bà Nà,xa\r\n', 'test.csv')).toEqual([
      { code: '20308', name: 'Xã Bà Nà', kind: 'xa' },
    ]);
  });

  it.each([
    ['code,kind,name\n', /line 1: the header must be exactly code,name,kind/],
    ['code,name,kind\n2030,Xã Bà Nà,xa\n', /line 2: code must be 5 digits/],
    ['code,name,kind\n20308,Xã Bà Nà,commune\n', /line 2: kind must be phuong, xa or dac_khu/],
    ['code,name,kind\n20308,Phường Bà Nà,xa\n', /line 2: name must be "Xã" followed/],
    ['code,name,kind\n20308,Xã,xa\n', /line 2: name must be "Xã" followed/],
    ['code,name,kind\n20308,Xã Bà Nà\n', /line 2: expected 3 columns, found 2/],
    ['code,name,kind\n20308,Xã Bà Nà,xa\n20308,Xã Hòa Vang,xa\n', /line 3: code 20308 is repeated/],
    ['code,name,kind\n20308,Xã Bà Nà,xa\n20320,Xã Bà Nà,xa\n', /line 3: name Xã Bà Nà is repeated/],
    ['code,name,kind\n20308,"Xã Bà Nà,xa\n', /not valid CSV/],
  ])('rejects %j', (text, message) => {
    expect(parse(text)).toThrow(message);
    expect(parse(text)).toThrow(expect.objectContaining({ code: 'WARDS_FILE_INVALID' }));
  });
});
