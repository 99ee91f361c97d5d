/**
 * Assisted registration (DKH): a team member asks to open an account for a neighbour, and nothing is created until
 * the neighbour consents, by answering `CO` to the SMS sent to their phone or by reading its 6-digit code out to the
 * volunteer. A request lives from the volunteer's summary to the neighbour's decision (or its expiry).
 */

/** Where a request stands. `consented` is the short moment between the decision and the account being opened. */
export type AssistedStatus = 'pending' | 'consented' | 'refused' | 'expired' | 'failed' | 'opened';

/** How the neighbour consented: a reply from their own phone, or the code read out to the volunteer. */
export type ConsentHow = 'reply' | 'code';

/** Why a consented or pending request ended without an account. */
export type AssistedFailure = 'wrong_codes' | 'phone_taken' | 'cccd_taken';

/** The personal data of a request: the neighbour's, and the volunteer's chat. Erased once decided. */
export interface AssistedSubject {
  /** E.164. */
  readonly neighbourPhone: string;
  readonly fullName: string;
  /** 12 digits. */
  readonly cccd: string;
  /** YYYY-MM-DD. */
  readonly dateOfBirth: string;
}

/** A consent request, as stored. */
export interface AssistedRequest extends AssistedSubject {
  readonly id: string;
  readonly teamId: string;
  readonly memberId: string;
  /** The volunteer's chat, where the outcome is told. */
  readonly volunteerChannel: string;
  readonly volunteerAddress: string;
  /** The language of the SMS to the neighbour. */
  readonly language: 'vi' | 'en';
  readonly status: AssistedStatus;
  readonly wrongCodes: number;
  /** The keyed hash of the consent code while the request waits (see `consentCodeHash`); null once decided. */
  readonly codeHash: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly decidedAt: Date | null;
  readonly how: ConsentHow | null;
  readonly failure: AssistedFailure | null;
  /** The account opened, once `opened`. */
  readonly citizenId: string | null;
}

/** What it takes to store a new request. */
export interface NewAssistedRequest extends AssistedSubject {
  readonly teamId: string;
  readonly memberId: string;
  readonly volunteerChannel: string;
  readonly volunteerAddress: string;
  readonly language: 'vi' | 'en';
  /** The keyed hash of the 6-digit code (see `consentCodeHash`); the code itself is never stored. */
  readonly codeHash: string;
  /** The inbound message that asked: creating again with it returns the same request. */
  readonly ref: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** The limits checked when a request is created. */
export interface AssistedLimits {
  /** Requests of one member waiting for consent at once. */
  readonly maxPending: number;
  /** Requests one member may make in any rolling hour. */
  readonly maxPerHour: number;
}

/** The outcome of {@link AssistedRequestRepository.create}. */
export type CreateAssistedOutcome =
  | { readonly type: 'created'; readonly request: AssistedRequest }
  | { readonly type: 'too_many_pending' }
  | { readonly type: 'hourly_limit' }
  /** Another request (of anyone) already waits for this phone's answer. */
  | { readonly type: 'phone_pending' };

/** What decides a pending request. */
export type AssistedDecision =
  | { readonly type: 'reply'; readonly answer: 'yes' | 'no' }
  | { readonly type: 'code'; readonly codeHash: string }
  | { readonly type: 'expire' };

/** The outcome of {@link AssistedRequestRepository.decide}; `request` is as it was before its data was erased. */
export type DecideOutcome =
  | { readonly type: 'consented'; readonly request: AssistedRequest }
  | { readonly type: 'refused'; readonly request: AssistedRequest }
  | { readonly type: 'expired'; readonly request: AssistedRequest }
  | { readonly type: 'wrong_code'; readonly request: AssistedRequest; readonly triesLeft: number }
  /** The last allowed wrong code: the request failed. */
  | { readonly type: 'failed'; readonly request: AssistedRequest }
  /** Decided before (by the other party, or by its expiry): nothing changed. */
  | { readonly type: 'not_pending'; readonly request: AssistedRequest };

/**
 * Storage of assisted-registration requests. Contract (test/contracts/assisted-request-repository.contract.ts, run
 * on PostgreSQL, PGlite and the in-memory fake):
 * - `create` is idempotent on `ref`; it refuses (storing nothing) a member with `maxPending` requests pending, or
 *   with `maxPerHour` requests created in the hour before `createdAt`, and a phone another request is pending for;
 * - `decide` is atomic: of any number of decisions on one request at once, exactly one moves it out of `pending`
 *   (a `CO` and a typed code at once: one `consented`, the other `not_pending`). A decision at or after
 *   `expiresAt` expires it instead (`expired`), and `expire` before `expiresAt` leaves it pending (`not_pending`).
 *   A wrong code counts; the `maxWrongCodes`-th fails the request (`failed`, failure `wrong_codes`);
 * - only a `consented` request becomes `opened` (with its account) or `failed` (`phone_taken`, `cccd_taken`);
 * - the neighbour's phone, name, CCCD, date of birth and the volunteer's address are stored encrypted (the phone
 *   also as a keyed hash, for lookup), and erased when the request ends (refused, expired, failed, opened): what
 *   stays is ids, status, times and how consent was given. The code is stored only as its keyed hash;
 * - every step is audited with the member who asked (`actor` volunteer, ids only, no personal data).
 */
export interface AssistedRequestRepository {
  create(request: NewAssistedRequest, limits: AssistedLimits): Promise<CreateAssistedOutcome>;
  findById(id: string): Promise<AssistedRequest | null>;
  /** The request waiting for this phone's answer (pending and not past `expiresAt` at `at`), or null. */
  pendingForPhone(phone: string, at: Date): Promise<AssistedRequest | null>;
  /** The member's requests still pending at `at`, newest first. */
  pendingOfMember(memberId: string, at: Date): Promise<AssistedRequest[]>;
  /** Decides a pending request (see the contract); null when there is no such request. */
  decide(
    id: string,
    decision: AssistedDecision,
    at: Date,
    maxWrongCodes: number,
  ): Promise<DecideOutcome | null>;
  /**
   * Requests still `pending` whose `expiresAt` is at or before `before`, oldest first (at most `limit`): their
   * expiry job was lost (the maintenance job expires them).
   */
  overdue(before: Date, limit: number): Promise<string[]>;
  /** A consented request's account was opened: `opened`. False when it was not `consented`. */
  markOpened(id: string, citizenId: string, at: Date): Promise<boolean>;
  /** A consented request's account could not be opened: `failed`. False when it was not `consented`. */
  markFailed(id: string, failure: 'phone_taken' | 'cccd_taken', at: Date): Promise<boolean>;
}
