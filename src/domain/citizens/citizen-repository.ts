import type {
  AccountOpenedBy,
  AuditActor,
  Citizen,
  CitizenIdentity,
  CitizenProfile,
  CitizenStatus,
  CloseReason,
  ConsentEntry,
  ConsentRecord,
  MismatchField,
  ProfileChanges,
  RegisteredBy,
} from './citizen.ts';

/** What it takes to store a new account. */
export interface NewCitizen extends CitizenIdentity {
  readonly accountCode: string;
  readonly phone: string;
  readonly createdVia: string;
  /** The reference of what created the account (an inbound message): creating twice with it is one creation. */
  readonly createdByRef: string;
  readonly consent: ConsentRecord;
  /** Who opened the account: recorded in the `account_opened` audit entry (kind and id only). */
  readonly actor: AccountOpenedBy;
  /** The volunteer's team and member for an account registered on the citizen's behalf (DKH), else null. */
  readonly registeredBy: RegisteredBy | null;
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
 * - `create` stores the account, its consent record and an `account_opened` audit entry naming the actor (its
 *   kind as the entry's actor, its id in the details) atomically, or nothing; creating again with the same
 *   `createdByRef` returns the same account as `created`; `registeredBy` is kept and read back with the account;
 * - personal data (phone, CCCD, name, date of birth, address, email) is stored encrypted, and looked up by keyed
 *   hash;
 * - every change writes an append-only audit entry, never with personal data in it;
 * - closing sets `closedAt` and `purgeAfter` and withdraws every consent; reopening before `purgeAfter` clears
 *   them and records a new consent; closing a closed account or reopening an open one changes nothing;
 * - a purged account is gone for every lookup (it is null everywhere and not counted); its row keeps only what
 *   the audit log needs, and its phone and CCCD can register again.
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
  /** The identity, phone, address and email of an account; null when unknown or purged. */
  findProfile(id: string): Promise<CitizenProfile | null>;
  /** Stores the given profile fields (encrypted) and audits which fields changed; false when unknown or purged. */
  updateProfile(id: string, changes: ProfileChanges, actor: AuditActor): Promise<boolean>;
  /** Every consent the account gave, oldest first, withdrawn ones included. */
  listConsents(id: string): Promise<ConsentEntry[]>;
  /**
   * Closes an open account: sets `closedAt` and `purgeAfter`, withdraws every consent, audits the reason.
   * Resolves the account as it now is (an account already closed is returned unchanged), or null when unknown
   * or purged.
   */
  close(
    id: string,
    closing: { at: Date; purgeAfter: Date; reason: CloseReason; channel: string },
  ): Promise<Citizen | null>;
  /**
   * Reopens a closed account before its `purgeAfter`: clears the closing, records the new consent, audits it.
   * Resolves the account as it now is (an open account is returned unchanged), or null when unknown, purged or
   * too late (at or after `purgeAfter`).
   */
  reopen(id: string, reopening: { at: Date; consent: ConsentRecord }): Promise<Citizen | null>;
  /** Closed accounts whose `purgeAfter` is at or before `at` and that are not purged yet, oldest first. */
  duePurges(at: Date, limit?: number): Promise<string[]>;
  /**
   * Wipes the personal data of a closed account due for purging: encrypted fields emptied, keyed hashes
   * replaced by `purged:<id>` (so the phone and CCCD may register again), `purgedAt` set, audited. The row and
   * its consent records stay for the append-only audit log. False when not closed, not due, or already purged.
   */
  purge(id: string, at: Date): Promise<boolean>;
  /** Audits that the citizen asked for a copy of their data (a data-export link). */
  recordDataExport(id: string, details: { channel: string; shareId: string }): Promise<void>;
}
