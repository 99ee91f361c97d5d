import { collapseSpaces, foldForMatch } from '../../src/shared/text.ts';

/** The shortest and longest postal address accepted. */
export const ADDRESS_LENGTH = { min: 10, max: 200 } as const;

/** A profile field the citizen may change. */
export type ProfileField = 'address' | 'email';

/** A typed address: the cleaned value, or why it is refused. */
export type AddressResult =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly reason: 'too_short' | 'too_long' | 'letters' };

/** A typed email: the lower-cased value, or refused. */
export type EmailResult = { readonly ok: true; readonly value: string } | { readonly ok: false };

/**
 * Reads a postal address as typed: spaces collapsed, 10 to 200 characters, with letters in it (a street or a
 * ward, not only numbers); control characters are refused with the rest.
 */
export function parseAddress(text: string): AddressResult {
  const value = collapseSpaces(text);
  const length = [...value].length;
  if (length < ADDRESS_LENGTH.min) return { ok: false, reason: 'too_short' };
  if (length > ADDRESS_LENGTH.max) return { ok: false, reason: 'too_long' };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused.
  if (!/\p{L}.*\p{L}/u.test(value) || /[\u0000-\u001f\u007f]/u.test(value)) {
    return { ok: false, reason: 'letters' };
  }
  return { ok: true, value };
}

/** Local part, @, a domain of dot-separated labels ending in a top-level domain of letters. */
const EMAIL =
  /^[a-z0-9](?:[a-z0-9._%+-]{0,62}[a-z0-9_%+-])?@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$/;

/** Reads an email address: trimmed and lower-cased, a simple sane shape, at most 254 characters. */
export function parseEmail(text: string): EmailResult {
  const value = text.trim().toLowerCase();
  if (value.length > 254 || value.includes('..') || !EMAIL.test(value)) return { ok: false };
  return { ok: true, value };
}

/** The words that name a field in the one-shot form (`TTCN DC <address>`, `TTCN EMAIL <email>`), folded. */
const FIELD_WORDS: readonly (readonly [string, ProfileField])[] = [
  ['dia chi', 'address'],
  ['dc', 'address'],
  ['address', 'address'],
  ['email', 'email'],
  ['e-mail', 'email'],
  ['mail', 'email'],
];

/**
 * Reads the one-shot form after `TTCN`: "DC 12 Trần Phú, Hải Châu" or "Địa chỉ: ..." gives the address,
 * "EMAIL an@example.vn" the email (the value as typed, not yet checked). Null when the text names no field.
 */
export function parseFieldUpdate(args: string): { field: ProfileField; value: string } | null {
  for (const [words, field] of FIELD_WORDS) {
    const count = words.split(' ').length;
    const match = new RegExp(`^\\s*((?:\\S+?[\\s:]+){${count - 1}}[^\\s:]+)[\\s:]+(\\S.*)$`, 'su').exec(args);
    if (match?.[1] !== undefined && match[2] !== undefined && foldForMatch(match[1]) === words) {
      return { field, value: match[2] };
    }
  }
  return null;
}

/** A CCCD as its owner sees it in the profile: the first 4 and last 2 digits (`0480******34`). */
export function maskOwnCccd(cccd: string): string {
  if (cccd.length < 7) return '*'.repeat(cccd.length);
  return `${cccd.slice(0, 4)}${'*'.repeat(cccd.length - 6)}${cccd.slice(-2)}`;
}
