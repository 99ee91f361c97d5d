/**
 * Data requests (issue 13): an agency asks a citizen for items of their data and papers of their data store, for
 * a stated purpose; the citizen agrees or refuses in the chat; the agency reads exactly what was asked and agreed.
 */

/** The items of a citizen's data an agency may ask for, in the order they are shown. */
export const DATA_FIELDS = ['fullName', 'dateOfBirth', 'cccd', 'phone', 'address', 'email'] as const;

/** One item of a citizen's data an agency may ask for. */
export type DataField = (typeof DATA_FIELDS)[number];

/** Where a request stands. Only `pending` changes by the citizen's answer or by time. */
export const DATA_REQUEST_STATUSES = ['pending', 'approved', 'refused', 'expired', 'withdrawn'] as const;

/** Where a request stands. */
export type DataRequestStatus = (typeof DATA_REQUEST_STATUSES)[number];

/** How many requests of one agency may wait for one citizen's answer at once. */
export const MAX_PENDING_PER_AGENCY = 20;

/** How long after approval the agency may read the data: 7 days. */
export const DATA_READ_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** A request as stored. */
export interface DataRequest {
  readonly id: string;
  readonly agency: { readonly id: string; readonly code: string; readonly name: string };
  readonly citizenId: string;
  /** Why the agency asks, as the citizen reads it ("Đăng ký thường trú"); stored encrypted. */
  readonly purpose: string;
  /** The data items asked for, in {@link DATA_FIELDS} order. */
  readonly fields: readonly DataField[];
  /** The paper types asked for (`KHAISINH`), as the agency sent them (upper case, no repeats). */
  readonly documentTypes: readonly string[];
  /** Where the agency wants `{"id","status"}` posted when the request is decided or expires; null for none. */
  readonly callbackUrl: string | null;
  readonly status: DataRequestStatus;
  readonly createdAt: Date;
  /** When a pending request expires unanswered. */
  readonly expiresAt: Date;
  /** When the citizen agreed or refused, the request expired, or the citizen withdrew an approval. */
  readonly decidedAt: Date | null;
  /** The channel the citizen answered on (`twilio-sms`, `telegram`…); null until answered. */
  readonly decidedVia: string | null;
  /** Until when an approved request's data can be read ({@link DATA_READ_WINDOW_MS} after approval). */
  readonly readableUntil: Date | null;
  /** When the notice reached the outbox (the citizen's chat); null before. */
  readonly noticedAt: Date | null;
  /** When the agency first and last read the approved data; null before its first read. */
  readonly firstReadAt: Date | null;
  readonly lastReadAt: Date | null;
}

/** What an agency asks for; the repository adds the id and the status. */
export interface NewDataRequest {
  readonly agencyId: string;
  readonly citizenId: string;
  readonly purpose: string;
  readonly fields: readonly DataField[];
  readonly documentTypes: readonly string[];
  readonly callbackUrl: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** The outcome of {@link DataRequestRepository.create}. */
export type CreateDataRequestOutcome =
  | { readonly type: 'created'; readonly request: DataRequest }
  /** The agency already has `max` requests waiting for this citizen. */
  | { readonly type: 'too_many_pending' };

/** The citizen's answer, as recorded with the consent. */
export interface DataRequestAnswer {
  readonly answer: 'approved' | 'refused';
  readonly at: Date;
  /** The channel the answer came on. */
  readonly channel: string;
}

/** The outcome of a change of status: the request as it now is, or why it did not change. */
export type DataRequestChange =
  | { readonly type: 'changed'; readonly request: DataRequest }
  /** It is no longer in the status the change needs (already answered, expired, withdrawn…). */
  | { readonly type: 'unchanged'; readonly request: DataRequest }
  | { readonly type: 'not_found' };

/**
 * Storage of data requests. Contract (test/contracts/data-request-repository.contract.ts):
 * - the purpose is stored encrypted; `create` refuses an agency's request when `maxPending` of its requests
 *   already wait for that citizen, and is atomic with that count;
 * - `answer` changes only a pending request that has not expired at `at`, and records the consent (who, what,
 *   when, how) in the append-only audit log; `expire` changes only a pending request whose `expiresAt` is at or
 *   before `at`; `withdraw` only an approved one of that citizen still readable at `at`; each writes its audit
 *   entry, never with personal data;
 * - `recordRead` keeps the first and last read and audits each one;
 * - lists are oldest first, so "request 2" keeps its number as new requests arrive.
 */
export interface DataRequestRepository {
  create(request: NewDataRequest, maxPending: number): Promise<CreateDataRequestOutcome>;
  findById(id: string): Promise<DataRequest | null>;
  /** The requests waiting for the citizen's answer (not expired at `at`), oldest first. */
  listPending(citizenId: string, at: Date): Promise<DataRequest[]>;
  /** Every request addressed to the citizen, oldest first. */
  listByCitizen(citizenId: string): Promise<DataRequest[]>;
  answer(id: string, citizenId: string, answer: DataRequestAnswer): Promise<DataRequestChange>;
  expire(id: string, at: Date): Promise<DataRequestChange>;
  withdraw(
    id: string,
    citizenId: string,
    withdrawal: { at: Date; channel: string },
  ): Promise<DataRequestChange>;
  /** Pending requests whose `expiresAt` is at or before `before` (their expiry job was lost), oldest first. */
  overdue(before: Date, limit: number): Promise<string[]>;
  /** Records that the notice was queued to the citizen's chat. */
  markNoticed(id: string, at: Date): Promise<void>;
  /** Records and audits one read of an approved request's data (or the download of one of its papers). */
  recordRead(id: string, at: Date, documentId?: string): Promise<void>;
}

/** Whether an approved request's data may be read at `at`. */
export function isReadable(request: DataRequest, at: Date): boolean {
  return (
    request.status === 'approved' &&
    request.readableUntil !== null &&
    at.getTime() < request.readableUntil.getTime()
  );
}
