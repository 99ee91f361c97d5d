import { findBirthDate } from '../../src/domain/citizens/birth-date.ts';
import { findCccd } from '../../src/domain/citizens/cccd.ts';
import { collapseSpaces } from '../../src/shared/text.ts';

/** The raw pieces of a one-message registration; each is validated by the flow like a conversational answer. */
export interface RegistrationParts {
  readonly name: string | null;
  readonly cccd: string | null;
  readonly birthDate: string | null;
}

/**
 * Splits "Nguyen Van An, 048090001234, 15/02/1990" (fields in any order, separated by commas, spaces or dots;
 * also the legacy "Ho va ten,CCCD,NgaySinh") into its parts: the 12-digit run is the CCCD, the date-looking token
 * is the date of birth, and the words left over are the name.
 */
export function parseRegistrationParts(text: string): RegistrationParts {
  let rest = text.normalize('NFC');
  const cccd = findCccd(rest);
  if (cccd) rest = `${rest.slice(0, cccd.start)} ${rest.slice(cccd.end)}`;
  const date = findBirthDate(rest);
  if (date) rest = `${rest.slice(0, date.start)} ${rest.slice(date.end)}`;
  const name = collapseSpaces(rest.replace(/[,.;:]+/g, ' '));
  return { name: name === '' ? null : name, cccd: cccd?.value ?? null, birthDate: date?.value ?? null };
}
