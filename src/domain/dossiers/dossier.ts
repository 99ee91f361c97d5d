/** Where an administrative dossier (hồ sơ) stands, as the agency reports it. */
export const DOSSIER_STATUSES = [
  'received',
  'processing',
  'needs_more_info',
  'completed',
  'rejected',
  'returned',
] as const;
/** One of {@link DOSSIER_STATUSES}. */
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

/**
 * The one form of a dossier code, in which codes are stored, compared and shown: ASCII letters in upper case.
 * Codes are case-insensitive (`hs-001` is `HS-001`), so no two dossiers differ only by case. Codes are ASCII
 * (letters, digits, `. _ / -`: checked at the API), and only ASCII letters change: a non-ASCII character that
 * upper-cases to ASCII (`ſ` to `S`, `ı` to `I`) stays what it is, so it never matches a code.
 */
export function normalizeDossierCode(code: string): string {
  return code.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

/** A dossier of a citizen at an agency, with its current status. */
export interface Dossier {
  readonly id: string;
  /**
   * The agency's code of the dossier, unique across the service ignoring case, in its normal form
   * ({@link normalizeDossierCode}), e.g. `000.00.20.H17-261127-0001`.
   */
  readonly code: string;
  readonly agency: { readonly id: string; readonly code: string; readonly name: string };
  readonly citizenId: string;
  /** The procedure, as the citizen reads it: "Đăng ký khai sinh". */
  readonly procedure: string;
  readonly status: DossierStatus;
  /** YYYY-MM-DD, when the agency expects to finish. */
  readonly expectedAt: string | null;
  /** The agency's note to the citizen (what to bring, why it was rejected); stored encrypted. */
  readonly note: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** One entry of a dossier's history: every change of status, note or expected date. */
export interface DossierEvent {
  readonly seq: number;
  readonly status: DossierStatus;
  readonly note: string | null;
  readonly expectedAt: string | null;
  readonly at: Date;
}

/** What an agency says about a dossier (`PUT /api/v1/agency/dossiers/{code}`). */
export interface DossierUpdate {
  readonly agencyId: string;
  readonly code: string;
  readonly citizenId: string;
  readonly procedure: string;
  readonly status: DossierStatus;
  readonly expectedAt: string | null;
  readonly note: string | null;
  readonly at: Date;
}

/** The outcome of {@link DossierRepository.upsert}. */
export type UpsertDossierOutcome =
  | {
      readonly type: 'created' | 'updated' | 'unchanged';
      readonly dossier: Dossier;
      /** True when the status is new (always on creation): the citizen is told. */
      readonly statusChanged: boolean;
    }
  /** The code belongs to a dossier of another agency: nothing is changed or revealed. */
  | { readonly type: 'other_agency' }
  /** The dossier belongs to another citizen: a dossier never changes hands. */
  | { readonly type: 'other_citizen' };

/**
 * Storage of dossiers and their history. Contract (test/contracts/dossier-repository.contract.ts):
 * - codes are case-insensitive: stored in their normal form ({@link normalizeDossierCode}), unique in it, and
 *   found, updated and claimed in any case; only the agency that created a dossier may change it;
 * - every change of status, note or expected date appends one event (seq 1, 2, ...); repeating the same update
 *   changes nothing (`unchanged`), so an agency may retry a PUT safely;
 * - notes are stored encrypted;
 * - `listByCitizen` is most recently updated first.
 */
export interface DossierRepository {
  upsert(update: DossierUpdate): Promise<UpsertDossierOutcome>;
  findById(id: string): Promise<Dossier | null>;
  findByCode(code: string): Promise<Dossier | null>;
  listByCitizen(citizenId: string, limit: number): Promise<Dossier[]>;
  /** The dossier's events, oldest first. */
  history(dossierId: string): Promise<DossierEvent[]>;
  /** Deletes every dossier of a citizen with its history (account purge). */
  deleteByCitizen(citizenId: string): Promise<void>;
}
