import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Agency } from '../../src/domain/agencies/agency.ts';
import type { DocumentRepository } from '../../src/domain/documents/document.ts';
import { type DocumentSigner, signedDocumentRecord } from '../../src/domain/documents/document-signature.ts';
import type { FileStore } from '../../src/domain/documents/file-store.ts';

/**
 * Stores a paper as the agency API does (file in the store, record signed) straight through the ports, for tests
 * that start from an issued paper: a birth certificate `KS-1` of `citizenId`, issued by `agency` on 2025-05-01.
 * Resolves the paper's id and file key.
 */
export async function storeSignedPaper(
  deps: { documents: DocumentRepository; files: FileStore; signer: DocumentSigner },
  paper: { agency: Agency; citizenId: string; bytes: Buffer; at: Date },
): Promise<{ id: string; fileKey: string }> {
  const id = randomUUID();
  const fileKey = `doc-${id}`;
  const stored = await deps.files.put(fileKey, Readable.from([paper.bytes]));
  const { agency } = paper;
  const fields = {
    id,
    citizenId: paper.citizenId,
    typeCode: 'KHAISINH',
    title: 'Giấy khai sinh',
    number: 'KS-1',
    issuedAt: '2025-05-01',
    expiresAt: null,
    contentType: 'application/pdf' as const,
    sizeBytes: stored.sizeBytes,
    sha256: stored.sha256,
    fileKey,
  };
  const record = {
    ...fields,
    agency: { id: agency.id, code: agency.code, name: agency.name },
    createdAt: paper.at,
  };
  await deps.documents.issue({
    ...fields,
    agencyId: agency.id,
    signature: deps.signer.sign(signedDocumentRecord(record)),
    signingKeyId: deps.signer.keyId,
  });
  return { id, fileKey };
}
