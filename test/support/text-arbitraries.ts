import fc from 'fast-check';

/**
 * Random text for the property tests (fast-check): what people, phones and attackers may type. `anyText` mixes
 * arbitrary Unicode (whole graphemes and lone code units, including unpaired surrogates) with text biased towards
 * the real grammar, so that most runs reach past the first check of a parser: Vietnamese letters with and
 * without diacritics (NFC and NFD), digits (ASCII and full-width), the keywords and their prefixes, separators,
 * zero-width and bidi characters, emoji and very long runs.
 */

/**
 * How many runs a property makes: 2,000 by default (enough to find edge cases, few enough for the unit project),
 * or `PROPERTY_RUNS` from the environment to hunt longer.
 */
export const PROPERTY_RUNS = Number(process.env.PROPERTY_RUNS ?? 2_000);

/**
 * The time a property test may take: far above what its runs need (a few seconds), so that a machine busy with
 * other work does not fail it; properties are never timed assertions.
 */
export const PROPERTY_TIMEOUT_MS = 120_000;

/**
 * Replaying a counterexample: fast-check prints `{ seed: …, path: "…" }` when a property fails; run the same
 * test with `FC_SEED=<seed> FC_PATH=<path>` (and `-t '<test name>'`) to get the same inputs again at once.
 */
if (process.env.FC_SEED !== undefined) {
  fc.configureGlobal({
    seed: Number(process.env.FC_SEED),
    ...(process.env.FC_PATH === undefined ? {} : { path: process.env.FC_PATH }),
    endOnFailure: true,
  });
}

/** Vietnamese letters, lower and upper case, with every tone mark the language has. */
const VIETNAMESE_LETTERS = [
  ...'aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ',
];

/** Characters that have tripped up parsers elsewhere: invisible, bidi, look-alike, wide and combining ones. */
const AWKWARD = [
  '\u200b', // zero-width space
  '\u200c',
  '\u200d',
  '\u2060', // word joiner
  '\ufeff', // byte order mark
  '\u00ad', // soft hyphen
  '\u202e', // right-to-left override
  '\u2066',
  '\u0301', // combining acute
  '\u0323', // combining dot below
  '\u00a0', // no-break space
  '\u3000', // ideographic space
  '\u2028', // line separator
  '\t',
  '\n',
  '\r',
  '\u0000',
  '\u001b',
  '\ufffd',
  '\ud800', // unpaired surrogate
  '\udc00',
  '０',
  '１',
  '９',
  '٣', // Arabic-Indic three
  '𝟗', // mathematical bold nine
  'Ｄ',
  'Ｋ',
  '＋',
  'ſ',
  'ı',
  'İ',
  'ß',
  '😀',
  '👨‍👩‍👧',
  '🇻🇳',
  '∞',
  '€',
  '"',
  "'",
  '\\',
  '$',
  '{',
  '}',
  '<',
  '>',
  '%',
  '&',
];

/** Words of the command grammar, as typed: keywords in several spellings, yes/no words, page and day words. */
const GRAMMAR_WORDS = [
  'DK',
  'dk',
  'Đăng ký',
  'dang ky',
  'DKH',
  'dkh',
  'TT',
  'tt',
  'trạng thái',
  'GT',
  'giấy tờ',
  'CS',
  'chia sẻ',
  'LS',
  'THUHOI',
  'TTCN',
  'DC',
  'EMAIL',
  'DULIEU',
  'XOATK',
  'RUTDONGY',
  'KHOIPHUC',
  'TNV',
  'ROI',
  'GAP',
  'NHAN',
  'XONG',
  'HD',
  'HUY',
  'EN',
  'VI',
  'LK',
  'STOP',
  'START',
  'YES',
  'TUCHOI',
  'CO',
  'có',
  'KHONG',
  'không',
  'OK',
  'trang',
  'page',
  'ngày',
  'days',
  '#stuck',
  '?',
  '/',
];

/** Separators between fields, as phones and people write them. */
const SEPARATORS = [' ', '  ', ',', ', ', '.', ';', ':', '-', '/', '\n', ' , '];

const one = <T>(values: readonly T[]) => fc.constantFrom(...values);

/** A Vietnamese word: 1 to 8 letters, sometimes upper case, sometimes decomposed (NFD). */
export const vietnameseWord: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(one(VIETNAMESE_LETTERS), { minLength: 1, maxLength: 8 }),
    one(['as is', 'upper', 'nfd', 'no marks'] as const),
  )
  .map(([letters, form]) => {
    const word = letters.join('');
    if (form === 'upper') return word.toUpperCase();
    if (form === 'nfd') return word.normalize('NFD');
    if (form === 'no marks')
      return word
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/đ/g, 'd');
    return word;
  });

/** A person's name: 1 to 5 Vietnamese words. */
export const vietnameseName: fc.Arbitrary<string> = fc
  .array(vietnameseWord, { minLength: 1, maxLength: 5 })
  .map((words) => words.join(' '));

/** A run of digits, ASCII or full-width, sometimes grouped with spaces, dots or dashes. */
export const digitRun: fc.Arbitrary<string> = fc
  .tuple(fc.array(one([...'0123456789']), { minLength: 1, maxLength: 14 }), one(['', ' ', '.', '-', 'wide']))
  .map(([digits, group]) => {
    if (group === 'wide') return digits.map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
    return digits.map((d, i) => (i > 0 && i % 3 === 0 ? group + d : d)).join('');
  });

/** A date in one of the ways people type one, real or not. */
export const typedDate: fc.Arbitrary<string> = fc
  .tuple(
    fc.integer({ min: 0, max: 40 }),
    fc.integer({ min: 0, max: 14 }),
    fc.integer({ min: 1800, max: 2200 }),
    one(['/', '-', '.', ' / ', '']),
  )
  .map(([day, month, year, separator]) =>
    separator === ''
      ? `${String(day).padStart(2, '0')}${String(month).padStart(2, '0')}${year}`
      : `${day}${separator}${month}${separator}${year}`,
  );

/** A CCCD-looking number: 12 digits (sometimes 11 or 13), with a real province code most of the time. */
export const typedCccd: fc.Arbitrary<string> = fc
  .tuple(
    one(['001', '048', '079', '092', '999', '000']),
    fc.integer({ min: 0, max: 9 }),
    fc.stringMatching(/^\d{2}$/),
    fc.stringMatching(/^\d{5,7}$/),
  )
  .map(([province, century, year, serial]) => `${province}${century}${year}${serial}`);

/** A Vietnamese phone number in one of the forms people type: 0…, +84…, 84…, with separators, or not quite. */
export const typedPhone: fc.Arbitrary<string> = fc
  .tuple(
    one(['0', '+84', '84', '+84 0', '(+84) ', '+1', '']),
    one(['3', '5', '7', '8', '9', '2', '1']),
    fc.stringMatching(/^\d{7,10}$/),
    one(['', ' ', '.', '-']),
  )
  .map(([prefix, first, rest, separator]) =>
    `${prefix}${first}${rest}`.replace(/(\d{3})(?=\d)/g, `$1${separator}`),
  );

/** One token of the real grammar or of awkward text. */
const token: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: one(GRAMMAR_WORDS) },
  { weight: 4, arbitrary: vietnameseWord },
  { weight: 3, arbitrary: digitRun },
  { weight: 2, arbitrary: typedDate },
  { weight: 2, arbitrary: typedCccd },
  { weight: 2, arbitrary: typedPhone },
  { weight: 2, arbitrary: one(AWKWARD) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
);

/** Text shaped like a message: grammar tokens joined by separators, in any case. */
export const grammarText: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.tuple(token, one(SEPARATORS)), { minLength: 1, maxLength: 8 }),
    one(['as is', 'upper', 'lower'] as const),
  )
  .map(([parts, casing]) => {
    const text = parts.map(([t, s]) => t + s).join('');
    return casing === 'upper' ? text.toUpperCase() : casing === 'lower' ? text.toLowerCase() : text;
  });

/** A very long message: a grammar message or a character repeated to thousands of characters. */
export const longText: fc.Arbitrary<string> = fc
  .tuple(fc.oneof(grammarText, one(['1', ',', ' ', 'a ', '1/', '0905 ', 'đ', '😀', '\u200b'])), fc.nat(5_000))
  .map(([text, length]) => text.repeat(Math.ceil(length / Math.max(text.length, 1))).slice(0, length));

/**
 * Any text a message may hold: random Unicode (graphemes, and code units that include unpaired surrogates),
 * grammar-shaped text, and very long text.
 */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 40 }) },
  { weight: 5, arbitrary: grammarText },
  { weight: 1, arbitrary: longText },
);
