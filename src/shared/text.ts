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
  return collapseSpaces(stripDiacritics(text).toLowerCase()).replace(
    /^[\s.,;:!?'"()-]+|[\s.,;:!?'"()-]+$/g,
    '',
  );
}
