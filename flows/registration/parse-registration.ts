import { findBirthDate } from '../../src/domain/citizens/birth-date.ts';
import { findCccd } from '../../src/domain/citizens/cccd.ts';
import { collapseSpaces } from '../../src/shared/text.ts';

/** The raw pieces of a one-message registration; each is validated by the flow like a conversational answer. */
export interface RegistrationParts {
  readonly name: string | null;
  readonly cccd: string | null;
  readonly birthDate: string | null;
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
