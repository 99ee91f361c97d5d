import type { Citizen, CitizenIdentity, CitizenStatus, ConsentRecord, MismatchField } from './citizen.ts';

/** What it takes to store a new account. */
export interface NewCitizen extends CitizenIdentity {
  readonly accountCode: string;
  readonly phone: string;
  readonly createdVia: string;
  /** The reference of what created the account (an inbound message): creating twice with it is one creation. */
  readonly createdByRef: string;
  readonly consent: ConsentRecord;
}

/** The outcome of {@link CitizenRepository.create}. */
export type CreateCitizenOutcome =
  | { readonly type: 'created'; readonly citizen: Citizen }
  | { readonly type: 'phone_taken'; readonly citizen: Citizen }
  | { readonly type: 'cccd_taken' }
  | { readonly type: 'code_taken' };

/** The outcome of a registry check, as stored. */
export type VerificationOutcome =
  | { readonly outcome: 'verified' }
  | { readonly outcome: 'not_matched'; readonly field: MismatchField };

/**
 * Storage of accounts. Contract (checked by test/contracts/citizen-repository.contract.ts on every
 * implementation):
 * - one phone holds one account, one CCCD belongs to one account, account codes are unique;
 * - `create` stores the account, its consent record and an audit entry atomically, or nothing;
 *   creating again with the same `createdByRef` returns the same account as `created`;
 * - personal data (phone, CCCD, name, date of birth) is stored encrypted, and looked up by keyed hash;
 * - every change writes an append-only audit entry.
 */
export interface CitizenRepository {
  create(citizen: NewCitizen): Promise<CreateCitizenOutcome>;
  findByPhone(phone: string): Promise<Citizen | null>;
  findById(id: string): Promise<Citizen | null>;
  /** By account code, as stored (8 characters, no dash: see `parseAccountCode`). */
  findByAccountCode(accountCode: string): Promise<Citizen | null>;
  /** By CCCD (12 digits), through its keyed hash. */
  findByCccd(cccd: string): Promise<Citizen | null>;
  findIdentity(id: string): Promise<CitizenIdentity | null>;
  /** Records the outcome of a registry check; returns the updated account, or null if it does not exist. */
  recordVerification(id: string, result: VerificationOutcome): Promise<Citizen | null>;
  /** Audits an attempt to register a CCCD that belongs to another account (no personal data stored). */
  recordCccdConflict(attempt: { channel: string; phone: string }): Promise<void>;
  countByStatus(): Promise<Record<CitizenStatus, number>>;
}
