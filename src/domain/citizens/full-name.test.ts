import { describe, expect, it } from 'vitest';
import { namesMatch, parseFullName } from './full-name.ts';

describe('parseFullName', () => {
  it.each([
    ['Nguyễn Văn An', 'Nguyễn Văn An', 'keeps a mixed-case name as typed'],
    ['Nguyễn văn An', 'Nguyễn văn An', 'keeps an irregular mixed-case name as typed'],
    ['NGUYỄN VĂN AN', 'Nguyễn Văn An', 'title-cases an all-upper name'],
    ['nguyễn văn an', 'Nguyễn Văn An', 'title-cases an all-lower name'],
    ['nguyen van an', 'Nguyen Van An', 'title-cases an all-lower unaccented name'],
    ['ĐẶNG THỊ ĐÀO', 'Đặng Thị Đào', 'title-cases Đ'],
    ['đỗ đức', 'Đỗ Đức', 'title-cases đ'],
    ['  Nguyễn   Văn  An  ', 'Nguyễn Văn An', 'collapses spaces'],
    ['Nguyễn\tVăn\nAn', 'Nguyễn Văn An', 'turns tabs and new lines into spaces'],
    ['Lê An', 'Lê An', 'accepts two words'],
    ['Hồ-Trần Thị Mai', 'Hồ-Trần Thị Mai', 'accepts a hyphen'],
    ['HỒ-TRẦN THỊ MAI', 'Hồ-Trần Thị Mai', 'title-cases each part of a hyphenated word'],
    ["Y'Bih Niê", "Y'Bih Niê", 'accepts an apostrophe'],
    ['Y’Bih Niê', 'Y’Bih Niê', 'accepts a typographic apostrophe'],
    ['Ksor H Lan', 'Ksor H Lan', 'accepts a one-letter word'],
    ['Jean Dupont', 'Jean Dupont', 'accepts non-Vietnamese Latin names'],
    ['Иван Петров', 'Иван Петров', 'accepts other scripts'],
    [
      'Tôn Thất Nữ Hoàng Anh Phương Thảo Nguyên',
      'Tôn Thất Nữ Hoàng Anh Phương Thảo Nguyên',
      'accepts 40 characters',
    ],
  ])('%j gives %j (%s)', (input, expected) => {
    expect(parseFullName(input)).toEqual({ ok: true, value: expected });
  });

  it('returns NFC for NFD input', () => {
    const result = parseFullName('Nguyễn Văn An'.normalize('NFD'));
    expect(result).toEqual({ ok: true, value: 'Nguyễn Văn An'.normalize('NFC') });
  });

  it('counts NFD input in NFC characters', () => {
    const name = 'Tôn Thất Nữ Hoàng Anh Phương Thảo Nguyên';
    expect([...name]).toHaveLength(40);
    expect(parseFullName(name.normalize('NFD')).ok).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['\n\t', 'empty'],
    ['An', 'too_short'],
    ['  Nguyễn  ', 'too_short'],
    ['Tôn Thất Nữ Hoàng Anh Phương Thảo Nguyên A', 'too_long'],
    ['Tôn Thất Nữ Hoàng Anh Phương Thảo Nguyệtt', 'too_long'],
    ['A B C D E F G H I J K L M N O P Q R S T U', 'too_long'],
    ['Nguyen Van An 1990', 'characters'],
    ['Nguyen Van 4n', 'characters'],
    ['Nguyen, Van An', 'characters'],
    ['Nguyen.Van An', 'characters'],
    ['Nguyen Van An!', 'characters'],
    ['Nguyen - An', 'characters'],
    ["An ' Binh", 'characters'],
    ['Nguyễn Văn An 😀', 'characters'],
    ['<b>An</b> Binh', 'characters'],
  ])('refuses %j as %s', (input, reason) => {
    expect(parseFullName(input)).toEqual({ ok: false, reason });
  });
});

describe('namesMatch', () => {
  it.each([
    ['Nguyễn Văn An', 'Nguyễn Văn An'],
    ['Nguyễn Văn An', 'Nguyen Van An'],
    ['Nguyễn Văn An', 'NGUYEN VAN AN'],
    ['Nguyễn Văn An', '  nguyen   van an '],
    ['Đặng Thị Đào', 'dang thi dao'],
    ['Nguyễn Văn An'.normalize('NFD'), 'Nguyễn Văn An'],
  ])('matches %j with %j', (a, b) => {
    expect(namesMatch(a, b)).toBe(true);
    expect(namesMatch(b, a)).toBe(true);
  });

  it.each([
    ['Nguyễn Văn An', 'Nguyễn Văn Anh'],
    ['Nguyễn Văn An', 'Nguyễn An'],
    ['Nguyễn Văn An', 'An Văn Nguyễn'],
    ['Nguyễn Văn An', 'NguyễnVăn An'],
  ])('does not match %j with %j', (a, b) => {
    expect(namesMatch(a, b)).toBe(false);
  });
});
