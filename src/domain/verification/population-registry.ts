import { AppError } from '../../shared/errors.ts';

/**
 * One person as the population registry (Cơ sở dữ liệu quốc gia về dân cư) knows them.
 *
 * Every implementation returns the same shape, whatever the source looks like:
 * - `cccd`: the 12-digit citizen ID number, ASCII digits only, equal to the number that was looked up;
 * - `fullName`: the name as registered, with diacritics, in Unicode NFC, trimmed;
 * - `dateOfBirth`: a calendar date written `YYYY-MM-DD`;
 * - `gender`: `'male'` or `'female'`.
 *
 * These are personal data: never log them, never put them in error messages.
 */
export interface RegistryRecord {
  /** The 12-digit CCCD (citizen ID) number. */
  cccd: string;
  /** The registered full name, with diacritics, NFC-normalised and trimmed. */
  fullName: string;
  /** The date of birth, `YYYY-MM-DD`. */
  dateOfBirth: string;
  /** The registered gender. */
  gender: 'male' | 'female';
}

/**
 * The port to the population registry: the one source that proves a CCCD number belongs to a person.
 *
 * Contract, shared by every implementation (test/contracts/population-registry.contract.ts checks it):
 * - `lookup(cccd)` resolves the person's {@link RegistryRecord} when the registry knows that CCCD; the
 *   record's `cccd` equals the one asked for. The caller owns the returned object (changing it changes nothing
 *   in the registry).
 * - It resolves `null` when the registry answers that it has no such person. A `cccd` that is not exactly
 *   12 ASCII digits cannot belong to anyone: the implementation resolves `null` without asking the registry.
 * - It rejects with {@link RegistryUnavailableError} (retryable) when the registry cannot answer right now:
 *   network error, timeout, overload (HTTP 5xx, 429), or an answer it cannot understand. Callers retry later
 *   (the verification job backs off exponentially); they must never read this as "not found".
 * - It rejects with a non-retryable {@link AppError} when the registry refuses the request itself (bad
 *   credentials, a request it calls invalid): retrying would not help, an operator must look.
 * - Lookups are independent: concurrent calls are allowed and answer as if made one at a time.
 * - `close()`, when present, releases connections or files; no lookup may be made after it.
 */
export interface PopulationRegistry {
  /**
   * Finds the person registered under `cccd`.
   *
   * @param cccd the 12-digit CCCD number, already normalised by the caller (no spaces).
   * @returns the record, or `null` when the registry has no such person (or `cccd` is not 12 digits).
   * @throws {RegistryUnavailableError} when the registry cannot answer now (retry later).
   * @throws {AppError} non-retryable when the registry refuses the request.
   */
  lookup(cccd: string): Promise<RegistryRecord | null>;

  /** Releases whatever the implementation holds (connections, handles). Optional; resolves once done. */
  close?(): Promise<void>;
}

/**
 * The population registry could not answer: it is down, slow, overloaded or answered something unreadable.
 * Always `retryable`; the code is `REGISTRY_UNAVAILABLE`. The message and context never carry personal data.
 */
export class RegistryUnavailableError extends AppError {
  /**
   * @param message what went wrong, without personal data (no CCCD, no name, no response body).
   * @param options `cause` (the underlying network error, if any) and non-personal `context`
   *   (for instance `{ reason: 'timeout' }` or `{ status: 503 }`).
   */
  constructor(
    message: string,
    options: { cause?: unknown; context?: Record<string, string | number | boolean> } = {},
  ) {
    super('REGISTRY_UNAVAILABLE', message, { retryable: true, ...options });
  }
}
