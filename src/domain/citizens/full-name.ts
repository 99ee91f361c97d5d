import { collapseSpaces, stripDiacritics } from '../../shared/text.ts';

/**
 * Full names as typed by SMS: any Unicode letters (Vietnamese with or without diacritics), spaces, apostrophes
 * and hyphens. Kept as typed, except that names typed all in upper or all in lower case are title-cased.
 */

/** The result of {@link parseFullName}: the cleaned name or the reason it was refused. */
export type FullNameResult =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly reason: 'empty' | 'too_short' | 'too_long' | 'characters' };

/** Longest accepted name, in characters (code points, after NFC). */
const MAX_LENGTH = 40;
/** Letters (with any combining marks), spaces, straight or typographic apostrophes, hyphens. */
const ALLOWED = /^[\p{L}\p{M} '’-]+$/u;
const LETTER = /\p{L}/u;

function titleCase(name: string): string {
  return name.toLowerCase().replace(/(^|[ -])(\p{L})/gu, (_, before: string, letter: string) => {
    return before + letter.toUpperCase();
  });
}

/**
 * Reads a full name: spaces are collapsed and the text put in NFC. Refuses blank text (`empty`), any character
 * other than a letter, space, apostrophe or hyphen, or a word without a letter (`characters`), more than 40
 * characters (`too_long`) and fewer than 2 words (`too_short`). A name typed all upper or all lower case is
 * title-cased ("NGUYỄN VĂN AN" gives "Nguyễn Văn An"; each part of a hyphenated word too); any other mix of
 * cases is kept as typed ("Nguyễn văn An").
 */
export function parseFullName(text: string): FullNameResult {
  const name = collapseSpaces(text);
  if (name === '') return { ok: false, reason: 'empty' };
  const words = name.split(' ');
  if (!ALLOWED.test(name) || !words.every((word) => LETTER.test(word))) {
    return { ok: false, reason: 'characters' };
  }
  if ([...name].length > MAX_LENGTH) return { ok: false, reason: 'too_long' };
  if (words.length < 2) return { ok: false, reason: 'too_short' };
  const upper = name.toUpperCase();
  const lower = name.toLowerCase();
  const singleCase = upper !== lower && (name === upper || name === lower);
  return { ok: true, value: singleCase ? titleCase(name) : name };
}

function fold(name: string): string {
  return collapseSpaces(stripDiacritics(name).toLowerCase());
}

/**
 * True when two names are the same once diacritics are stripped, case is ignored and spaces are collapsed:
 * "Nguyễn Văn An" matches "NGUYEN  VAN AN". Used to compare a typed name with the registry's.
 */
export function namesMatch(a: string, b: string): boolean {
  return fold(a) === fold(b);
}
