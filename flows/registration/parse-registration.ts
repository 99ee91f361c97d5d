import { findBirthDate } from '../../src/domain/citizens/birth-date.ts';
import { findCccd } from '../../src/domain/citizens/cccd.ts';
import { isVietnameseMobile, normalizePhone } from '../../src/shared/phone.ts';
import { collapseSpaces } from '../../src/shared/text.ts';

/** The raw pieces of a one-message registration; each is validated by the flow like a conversational answer. */
export interface RegistrationParts {
  readonly name: string | null;
  readonly cccd: string | null;
  readonly birthDate: string | null;
}

/** The pieces of a one-message assisted registration (`DKH`): the neighbour's phone as well. */
export interface AssistedRegistrationParts extends RegistrationParts {
  /** The Vietnamese mobile number found (E.164), or null when none was given. */
  readonly phone: string | null;
}

/**
 * A Vietnamese mobile number written as one token: 0905123456, +84905123456 or 84905123456, with optional
 * dots or spaces between groups (0905.123.456, 0905 123 456), not part of a longer run of digits.
 */
const PHONE = /(?<![\d+])(?:\+?84|0)\d{2,3}(?:[ .]?\d{3}){2}\d?(?!\d)/g;

/**
 * Splits a `DKH` message ("0905123456, Tran Thi Be, 048150001234, 01/01/1950", fields in any order) into the
 * neighbour's phone and the registration parts of {@link parseRegistrationParts}. The phone is the first token
 * that reads as a Vietnamese mobile number; what is left is read as for `DK`.
 */
export function parseAssistedRegistrationParts(text: string): AssistedRegistrationParts {
  const normalized = text.normalize('NFC');
  for (const match of normalized.matchAll(PHONE)) {
    const phone = normalizePhone(match[0]);
    if (phone === null || !isVietnameseMobile(phone)) continue;
    const rest = `${normalized.slice(0, match.index)} ${normalized.slice(match.index + match[0].length)}`;
    return { phone, ...parseRegistrationParts(rest) };
  }
  return { phone: null, ...parseRegistrationParts(normalized) };
}

/** A token made of digits and date punctuation only: a CCCD or date the finders could not read. */
const NUMBER_TOKEN = /^\d[\d/-]*$/;

/**
 * Splits "Nguyen Van An, 048090001234, 15/02/1990" (fields in any order, separated by commas, spaces or dots;
 * also the legacy "Ho va ten,CCCD,NgaySinh") into its parts: the 12-digit run is the CCCD, the date-looking token
 * is the date of birth, and the words left over are the name. Numbers left over ("048 090 001 234", "15/02/90")
 * stand for the missing CCCD or date, so the citizen is told what is wrong with that field, not with the name.
 */
export function parseRegistrationParts(text: string): RegistrationParts {
  let rest = text.normalize('NFC');
  const cccd = findCccd(rest);
  if (cccd) rest = `${rest.slice(0, cccd.start)} ${rest.slice(cccd.end)}`;
  const date = findBirthDate(rest);
  if (date) rest = `${rest.slice(0, date.start)} ${rest.slice(date.end)}`;
  const tokens = collapseSpaces(rest.replace(/[,.;:]+/g, ' ')).split(' ');
  const numbers = tokens.filter((token) => NUMBER_TOKEN.test(token)).join(' ');
  const words = tokens.filter((token) => !NUMBER_TOKEN.test(token)).join(' ');
  const digits = numbers.replace(/\D/g, '').length;
  const numbersAreCccd = numbers !== '' && !cccd && (date !== null || digits > 8);
  const numbersAreDate = numbers !== '' && !date && !numbersAreCccd;
  const name = numbersAreCccd || numbersAreDate ? words : tokens.join(' ');
  return {
    name: name === '' ? null : name,
    cccd: cccd?.value ?? (numbersAreCccd ? numbers : null),
    birthDate: date?.value ?? (numbersAreDate ? numbers : null),
  };
}
