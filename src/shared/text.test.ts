import { describe, expect, it } from 'vitest';
import { collapseSpaces, foldForMatch, stripDiacritics } from './text.ts';

describe('stripDiacritics', () => {
  it.each([
    ['Đăng ký', 'Dang ky'],
    ['Nguyễn Văn An', 'Nguyen Van An'],
    ['Trần Thị Ánh Tuyết', 'Tran Thi Anh Tuyet'],
    ['Đà Nẵng', 'Da Nang'],
    ['đường Lê Lợi', 'duong Le Loi'],
    ['Hồ Chí Minh', 'Ho Chi Minh'],
    ['Thừa Thiên Huế', 'Thua Thien Hue'],
    ['ƯƠ ươ', 'UO uo'],
    ['dang ky', 'dang ky'],
    ['', ''],
  ])('turns %j into %j', (input, expected) => {
    expect(stripDiacritics(input)).toBe(expected);
  });

  it('reads NFD input like NFC input', () => {
    expect(stripDiacritics('Nguyễn Văn Đạt'.normalize('NFD'))).toBe('Nguyen Van Dat');
  });
});

describe('collapseSpaces', () => {
  it.each([
    ['  dk   an  ', 'dk an'],
    ['dk\tan\nbinh', 'dk an binh'],
    ['dk\u00a0an', 'dk an'],
    ['   ', ''],
    ['an', 'an'],
  ])('turns %j into %j', (input, expected) => {
    expect(collapseSpaces(input)).toBe(expected);
  });

  it('returns NFC text', () => {
    const out = collapseSpaces(' Nguyễn  Văn '.normalize('NFD'));
    expect(out).toBe('Nguyễn Văn'.normalize('NFC'));
    expect(out.length).toBe(10);
  });
});

describe('foldForMatch', () => {
  it.each([
    ['  Đăng   KÝ! ', 'dang ky'],
    ['dang ky', 'dang ky'],
    ['DK', 'dk'],
    ['dk?', 'dk'],
    ['"dk".', 'dk'],
    ['(dk)', 'dk'],
    ['...Đăng ký...', 'dang ky'],
    ['Trạng thái', 'trang thai'],
    ['TRANG-THAI', 'trang-thai'],
    ['!?', ''],
  ])('folds %j to %j', (input, expected) => {
    expect(foldForMatch(input)).toBe(expected);
  });

  it('folds NFD input like NFC input', () => {
    expect(foldForMatch('Đăng ký'.normalize('NFD'))).toBe(foldForMatch('Đăng ký'));
  });
});
