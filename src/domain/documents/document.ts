/** The content types a paper may have; checked from the file's first bytes, never from its name. */
export type DocumentContentType = 'application/pdf' | 'image/png' | 'image/jpeg';

/**
 * An official paper in a citizen's data store, issued by an agency. The file itself is in the {@link FileStore}
 * under `fileKey`; `sha256` and `signature` let anyone check that it came from this store unaltered.
 */
export interface DocumentRecord {
  readonly id: string;
  readonly citizenId: string;
  readonly agency: { readonly id: string; readonly code: string; readonly name: string };
  /** The kind of paper, e.g. `KHAISINH` (birth certificate); agencies share one list of codes. */
  readonly typeCode: string;
  /** What the paper is, as the citizen reads it: "Giấy khai sinh". */
  readonly title: string;
  /** The agency's own number of the paper (unique per agency). */
  readonly number: string;
  /** YYYY-MM-DD. */
  readonly issuedAt: string;
  /** YYYY-MM-DD, or null for a paper that does not expire. */
  readonly expiresAt: string | null;
  readonly contentType: DocumentContentType;
  readonly sizeBytes: number;
  /** Hex SHA-256 of the file's bytes. */
  readonly sha256: string;
  readonly fileKey: string;
  /** Ed25519 signature (base64url) of {@link signedDocumentRecord} under the key `signingKeyId`. */
  readonly signature: string;
  readonly signingKeyId: string;
  readonly createdAt: Date;
}

/** What an agency issues; the repository adds the id and creation time. */
export type NewDocument = Omit<DocumentRecord, 'createdAt' | 'agency'> & { readonly agencyId: string };

/** Whether a stored paper is the same paper as a new issue of it (ids, keys and signatures aside). */
export function samePaper(stored: DocumentRecord, issued: NewDocument): boolean {
  return (
    stored.citizenId === issued.citizenId &&
    stored.typeCode === issued.typeCode &&
    stored.title === issued.title &&
    stored.issuedAt === issued.issuedAt &&
    stored.expiresAt === issued.expiresAt &&
    stored.contentType === issued.contentType &&
    stored.sizeBytes === issued.sizeBytes &&
    stored.sha256 === issued.sha256
  );
}

/** The outcome of {@link DocumentRepository.issue}. */
export type IssueDocumentOutcome =
  /** Stored now (`created`) or earlier with the same number and the same content (`existing`). */
  | { readonly type: 'created' | 'existing'; readonly document: DocumentRecord }
  /** The agency already issued another paper (other content or holder) under this number. */
  | { readonly type: 'number_reused'; readonly document: DocumentRecord };

/**
 * Storage of papers. Contract (test/contracts/document-repository.contract.ts):
 * - `issue` is idempotent on (agency, number): the same paper again is `existing` with the same id; a
 *   different paper under a used number is `number_reused` and changes nothing;
 * - the number is stored encrypted (looked up by keyed hash);
 * - `listByCitizen` is in issue order (oldest first), so "paper 3" keeps its number as new papers arrive.
 */
export interface DocumentRepository {
  issue(document: NewDocument): Promise<IssueDocumentOutcome>;
  findById(id: string): Promise<DocumentRecord | null>;
  listByCitizen(citizenId: string): Promise<DocumentRecord[]>;
  /** Deletes every paper record of an account (account purge); the caller deletes their files first. */
  deleteByCitizen(citizenId: string): Promise<void>;
}
