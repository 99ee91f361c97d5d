import type { CitizenProfile } from '../citizens/citizen.ts';
import type { DocumentRecord } from '../documents/document.ts';
import type { DataField, DataRequest } from './data-request.ts';

/** A paper handed to an agency with an approved request: its signed record, without the file. */
export interface RequestedDocument {
  readonly id: string;
  readonly typeCode: string;
  readonly title: string;
  readonly issuer: { readonly code: string; readonly name: string };
  readonly issuedAt: string;
  readonly expiresAt: string | null;
  readonly number: string;
  readonly contentType: DocumentRecord['contentType'];
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly signature: string;
  readonly signingKeyId: string;
}

/** What an agency receives for an approved request: only the items asked for, and the types the citizen lacks. */
export interface RequestedData {
  /** Each field asked for; null when the citizen never gave it (address, email). */
  readonly values: Partial<Record<DataField, string | null>>;
  readonly documents: readonly RequestedDocument[];
  /** The document types asked for that the citizen holds no paper of. */
  readonly missing: readonly string[];
}

/**
 * Picks from the citizen's profile and papers exactly what `request` asked for: the fields named, and every
 * paper whose type was named (a type asked for and not held is `missing`). Nothing else leaves the store.
 */
export function requestedData(
  request: Pick<DataRequest, 'fields' | 'documentTypes'>,
  profile: CitizenProfile,
  papers: readonly DocumentRecord[],
): RequestedData {
  const values: Partial<Record<DataField, string | null>> = {};
  for (const field of request.fields) values[field] = profile[field] ?? null;
  const wanted = new Set(request.documentTypes.map((t) => t.toUpperCase()));
  const documents = papers
    .filter((paper) => wanted.has(paper.typeCode.toUpperCase()))
    .map((paper) => ({
      id: paper.id,
      typeCode: paper.typeCode,
      title: paper.title,
      issuer: { code: paper.agency.code, name: paper.agency.name },
      issuedAt: paper.issuedAt,
      expiresAt: paper.expiresAt,
      number: paper.number,
      contentType: paper.contentType,
      sizeBytes: paper.sizeBytes,
      sha256: paper.sha256,
      signature: paper.signature,
      signingKeyId: paper.signingKeyId,
    }));
  const held = new Set(documents.map((d) => d.typeCode.toUpperCase()));
  const missing = request.documentTypes.filter((type) => !held.has(type.toUpperCase()));
  return { values, documents, missing };
}
