import { describe, expect, it } from 'vitest';
import { collapseSpaces, foldForMatch, foldName, stripDiacritics, unsafeCharacterIn } from './text.ts';

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

describe('foldName', () => {
  it.each([
    ['UBND phường Hải Châu', 'ubnd phuong hai chau'],
    ['  ubnd   PHUONG hai\u00a0chau ', 'ubnd phuong hai chau'],
    ['UBND phường Hải Châu'.normalize('NFD'), 'ubnd phuong hai chau'],
    ['ＵＢＮＤ phường Hải Châu', 'ubnd phuong hai chau'],
    ['Sở Tư pháp, Đà Nẵng.', 'so tu phap, da nang.'],
  ])('folds %j to %j', (input, expected) => {
    expect(foldName(input)).toBe(expected);
  });
});

describe('unsafeCharacterIn', () => {
  it.each([
    ['Giấy\u0000khai sinh', 'U+0000'],
    ['Giấy\tkhai sinh', 'U+0009'],
    ['Giấy\u0085khai sinh', 'U+0085'],
    ['HS\u202E100', 'U+202E'],
    ['HS\u2067100', 'U+2067'],
    ['HS\u200B100', 'U+200B'],
    ['HS\u061C100', 'U+061C'],
    ['HS\uFEFF100', 'U+FEFF'],
    ['HS\u2028100', 'U+2028'],
    ['HS\uD800100', 'U+D800'],
    ['HS\uE000100', 'U+E000'],
    ['HS\u{E0041}100', 'U+E0041'],
    ['Gi\uFFFDy', 'U+FFFD'],
    ['one\ntwo', 'U+000A'],
  ])('finds the first unsafe character of %j: %s', (text, expected) => {
    expect(unsafeCharacterIn(text)).toBe(expected);
  });

  it('finds none in Vietnamese text, punctuation and ordinary spaces', () => {
    expect(
      unsafeCharacterIn('Giấy khai sinh (bản sao) – số 123/2025/KS, 000.00.20.H17 «Đà Nẵng»\u00a0ư'),
    ).toBeNull();
  });

  it('allows line feeds, and only them, when asked', () => {
    expect(unsafeCharacterIn('Cần mang:\n- bản chính', { lineFeeds: true })).toBeNull();
    expect(unsafeCharacterIn('Cần mang:\r\n- bản chính', { lineFeeds: true })).toBe('U+000D');
  });
});
