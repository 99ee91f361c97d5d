import { describe, expect, it } from 'vitest';
import { countSmsSegments, isGsm7, toGsm7 } from './sms-segments.ts';

const ACCENTED = 'ạ';

describe('countSmsSegments', () => {
  it.each([
    [0, 1],
    [1, 1],
    [160, 1],
    [161, 2],
    [306, 2],
    [307, 3],
    [459, 3],
    [460, 4],
  ])('counts %i GSM-7 characters as %i segment(s)', (length, segments) => {
    expect(countSmsSegments('a'.repeat(length))).toEqual({ encoding: 'GSM-7', units: length, segments });
  });

  it.each([
    [70, 1],
    [71, 2],
    [134, 2],
    [135, 3],
    [201, 3],
    [202, 4],
  ])('counts %i UCS-2 characters as %i segment(s)', (length, segments) => {
    expect(countSmsSegments(ACCENTED.repeat(length))).toEqual({ encoding: 'UCS-2', units: length, segments });
  });

  it.each([
    ['€', 2],
    ['[', 2],
    [']', 2],
    ['{', 2],
    ['}', 2],
    ['~', 2],
    ['^', 2],
    ['|', 2],
    ['\\', 2],
    ['a', 1],
    ['à', 1],
  ])('counts %j as %i unit(s)', (ch, units) => {
    expect(countSmsSegments(ch)).toEqual({ encoding: 'GSM-7', units, segments: 1 });
  });

  it.each([
    [`${'a'.repeat(158)}€`, 160, 1],
    [`${'a'.repeat(159)}€`, 161, 2],
    ['€'.repeat(80), 160, 1],
    ['€'.repeat(81), 162, 2],
  ])('counts extension characters twice against the 160 limit (%#)', (text, units, segments) => {
    expect(countSmsSegments(text)).toEqual({ encoding: 'GSM-7', units, segments });
  });

  it('starts a new part rather than split an extension character across parts', () => {
    // 152 + 2 would overflow the first 153-septet part, so the escape sequence moves to part two.
    const text = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    expect(countSmsSegments(text)).toEqual({ encoding: 'GSM-7', units: 306, segments: 3 });
  });

  it('starts a new part rather than split a surrogate pair across parts', () => {
    const text = `${ACCENTED.repeat(66)}😀${ACCENTED.repeat(66)}`;
    expect(countSmsSegments(text)).toEqual({ encoding: 'UCS-2', units: 134, segments: 3 });
  });

  it('counts an emoji as two UCS-2 units', () => {
    expect(countSmsSegments('😀')).toEqual({ encoding: 'UCS-2', units: 2, segments: 1 });
  });

  it.each([
    ['Xin chào', 'GSM-7'],
    ['Bạn khỏe không?', 'UCS-2'],
    ['Dang ky thanh cong. Ma tai khoan: ABCD-2345', 'GSM-7'],
    ['Đăng ký', 'UCS-2'],
  ])('encodes %j as %s', (text, encoding) => {
    expect(countSmsSegments(text).encoding).toBe(encoding);
  });

  it.each([
    ['Xin chào', { encoding: 'GSM-7', units: 8, segments: 1 }],
    [ACCENTED.repeat(70), { encoding: 'UCS-2', units: 70, segments: 1 }],
    ['Bạn khỏe không?', { encoding: 'UCS-2', units: 15, segments: 1 }],
  ])('counts NFD input %j as its NFC form', (text, expected) => {
    const nfd = text.normalize('NFD');
    expect(nfd).not.toBe(text.normalize('NFC'));
    expect(countSmsSegments(nfd)).toEqual(expected);
  });
});

describe('isGsm7', () => {
  it.each(['à', 'è', 'é', 'ì', 'ò', 'ù', 'É', 'Xin chào', '@£$¥', 'a\nb\rc', '€[]'])('accepts %j', (text) => {
    expect(isGsm7(text)).toBe(true);
  });

  it.each(['á', 'ạ', 'ă', 'â', 'đ', 'Đ', 'ê', 'ô', 'ơ', 'ư', 'ý', 'È', 'À', '’', '😀'])(
    'rejects %j',
    (text) => {
      expect(isGsm7(text)).toBe(false);
    },
  );
});

const VOWELS: ReadonlyArray<readonly [string, string]> = [
  ['a', 'a'],
  ['ă', 'a'],
  ['â', 'a'],
  ['e', 'e'],
  ['ê', 'e'],
  ['i', 'i'],
  ['o', 'o'],
  ['ô', 'o'],
  ['ơ', 'o'],
  ['u', 'u'],
  ['ư', 'u'],
  ['y', 'y'],
];
/** No tone, huyền, sắc, hỏi, ngã, nặng. */
const TONES = ['', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323'];

const VIETNAMESE_LETTERS: ReadonlyArray<readonly [string, string]> = [
  ...VOWELS.flatMap(([vowel, base]) =>
    TONES.flatMap((tone) => {
      const lower = (vowel + tone).normalize('NFC');
      return [
        [lower, base],
        [lower.toUpperCase(), base.toUpperCase()],
      ] as const;
    }),
  ),
  ['đ', 'd'],
  ['Đ', 'D'],
];

describe('toGsm7', () => {
  it('covers the 146 Vietnamese letters, each one code point', () => {
    expect(new Set(VIETNAMESE_LETTERS.map(([letter]) => letter)).size).toBe(146);
    for (const [letter] of VIETNAMESE_LETTERS) expect([...letter]).toHaveLength(1);
  });

  it.each(VIETNAMESE_LETTERS)('turns %j into GSM-7 %j', (letter, base) => {
    const out = toGsm7(letter);
    expect(out).toBe(base);
    expect(isGsm7(out)).toBe(true);
  });

  it.each(VIETNAMESE_LETTERS)('turns NFD %j into GSM-7 %j', (letter, base) => {
    expect(toGsm7(letter.normalize('NFD'))).toBe(base);
  });

  it.each([
    ['Bạn khỏe không?', 'Ban khoe khong?'],
    ['Đăng ký thành công', 'Dang ky thanh cong'],
    ['Nguyễn Thị Ánh', 'Nguyen Thi Anh'],
    ['‘a’ “b” c–d e—f g… •h', '\'a\' "b" c-d e-f g... -h'],
    ['a\u00a0b', 'a b'],
    ['ok 😀', 'ok ?'],
    ['中文', '??'],
    ['€5 [x]', '€5 [x]'],
    ['', ''],
  ])('turns %j into %j', (input, expected) => {
    const out = toGsm7(input);
    expect(out).toBe(expected);
    expect(isGsm7(out)).toBe(true);
  });
});
