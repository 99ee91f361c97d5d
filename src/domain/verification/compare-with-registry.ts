import { foldName } from '../../shared/text.ts';
import type { RegistryRecord } from './population-registry.ts';

/** What the citizen told us about themselves, to be checked against the registry. */
export interface IdentityClaim {
  /** The 12-digit CCCD number, normalised (no spaces). */
  cccd: string;
  /** The full name as typed: any case, with or without diacritics, stray spaces allowed. */
  fullName: string;
  /** The date of birth, `YYYY-MM-DD`. */
  dateOfBirth: string;
}

/** The result of checking a claim: either it matches the registry, or the first field that does not. */
export type RegistryComparison =
  | { outcome: 'verified' }
  | { outcome: 'not_matched'; field: 'cccd' | 'full_name' | 'date_of_birth' };

/**
 * Compares what a citizen claims with what the population registry holds. Pure.
 *
 * - No record (the registry does not know the CCCD), or a record under another CCCD: `cccd` does not match.
 * - Names match when they are equal ignoring case, diacritics and extra spaces ("nguyen  van AN" matches
 *   "Nguyễn Văn An"): people on feature phones type without accents.
 * - Dates of birth must be equal.
 * When several fields differ, the one reported is `full_name`, then `date_of_birth`.
 * Gender is not part of the claim and is not compared.
 */
export function compareWithRegistry(claim: IdentityClaim, record: RegistryRecord | null): RegistryComparison {
  if (record === null || record.cccd !== claim.cccd) {
    return { outcome: 'not_matched', field: 'cccd' };
  }
  if (foldName(claim.fullName) !== foldName(record.fullName)) {
    return { outcome: 'not_matched', field: 'full_name' };
  }
  if (claim.dateOfBirth !== record.dateOfBirth) {
    return { outcome: 'not_matched', field: 'date_of_birth' };
  }
  return { outcome: 'verified' };
}
