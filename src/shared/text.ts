/**
 * Text helpers for Vietnamese input typed on any phone: with or without diacritics, any case, stray spaces.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Removes Vietnamese (and other Latin) diacritics: "Đăng ký" becomes "Dang ky". đ/Đ are mapped by hand. */
export function stripDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}

/** Collapses runs of whitespace to one space and trims. Keeps the text in NFC. */
export function collapseSpaces(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/**
 * The form used to compare keywords and names: no diacritics, lower case, single spaces, no surrounding
 * punctuation. "  Đăng   KÝ! " and "dang ky" both give "dang ky".
 */
export function foldForMatch(text: string): string {
  // ASCII has no diacritics and is its own NFC and NFD: the normalisations are skipped (most messages are).
  const spaced = ASCII.test(text)
    ? text.toLowerCase().replace(/\s+/g, ' ').trim()
    : collapseSpaces(stripDiacritics(text).toLowerCase());
  return spaced.replace(SURROUNDING_PUNCTUATION, '');
}

/** Text made only of ASCII characters. */
const ASCII = /^\p{ASCII}*$/u;
const SURROUNDING_PUNCTUATION = /^[\s.,;:!?'"()-]+|[\s.,;:!?'"()-]+$/g;

/**
 * The form names are compared in: compatibility forms folded (full-width letters are letters), no diacritics,
 * lower case, single spaces, trimmed. "  UBND  Phường HẢI Châu " and "ubnd phuong hai chau" give the same key.
 */
export function foldName(text: string): string {
  return collapseSpaces(stripDiacritics(text.normalize('NFKC')).toLowerCase());
}

/**
 * Characters that text from outside may not hold: controls (C0, DEL, C1), format characters (the
 * bidirectional embeddings, overrides, isolates and marks, zero-width spaces and joiners, the soft hyphen, the
 * byte order mark, tags), unpaired surrogates, private-use characters, the line and paragraph separators, and
 * U+FFFD, which stands where bytes were not UTF-8.
 */
const UNSAFE_CHARACTERS = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}\uFFFD]/gu;

/**
 * The first character of `text` that text from outside may not hold (see {@link UNSAFE_CHARACTERS}), written
 * `U+XXXX`, or null when there is none. With `lineFeeds`, U+000A is allowed (multi-line text).
 */
export function unsafeCharacterIn(text: string, options: { lineFeeds?: boolean } = {}): string | null {
  for (const [character] of text.matchAll(UNSAFE_CHARACTERS)) {
    if (options.lineFeeds && character === '\n') continue;
    const codePoint = character.codePointAt(0) ?? 0;
    return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return null;
}
