import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors.ts';
import type { Agency } from '../agencies/agency.ts';
import type { CitizenRepository } from '../citizens/citizen-repository.ts';
import { resolveVerifiedCitizen } from '../citizens/resolve-citizen.ts';
import { CONTENT_TYPE_SNIFF_BYTES, detectContentType } from './content-type.ts';
import type { DocumentContentType, DocumentRecord, DocumentRepository } from './document.ts';
import { type DocumentSigner, signedDocumentRecord } from './document-signature.ts';
import type { FileStore } from './file-store.ts';

/** The largest paper an agency may upload: 10 MB. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** What {@link issueDocument} works with. */
export interface IssueDocumentDeps {
  readonly citizens: CitizenRepository;
  readonly documents: DocumentRepository;
  readonly files: FileStore;
  readonly signer: DocumentSigner;
  /** Defaults to {@link MAX_DOCUMENT_BYTES}. */
  readonly maxBytes?: number;
}

/** What an agency says about a paper it issues (the file comes separately, as a stream). */
export interface DocumentIssue {
  readonly agency: Agency;
  /** Account code, phone number or CCCD of the holder. */
  readonly citizen: string;
  readonly typeCode: string;
  readonly title: string;
  readonly number: string;
  /** YYYY-MM-DD. */
  readonly issuedAt: string;
  /** YYYY-MM-DD or null. */
  readonly expiresAt: string | null;
}

/**
 * Issues a paper into a citizen's data store: finds the holder, streams the file into the {@link FileStore}
 * while checking its type from its first bytes (PDF, PNG or JPEG) and its size, signs the record and stores it.
 *
 * Idempotent on the agency's number: the same paper again resolves `existing` with the first id (and the new
 * copy of the file is deleted). Errors (AppError codes): `CITIZEN_NOT_FOUND`, `CITIZEN_NOT_VERIFIED` (the
 * registry has not confirmed the account), `UNSUPPORTED_FILE_TYPE`,
 * `FILE_TOO_LARGE`, `DOCUMENT_NUMBER_REUSED` (another paper under this number). A refused upload leaves no file.
 * The caller disposes of `content` when this rejects before reading it to the end.
 */
export async function issueDocument(
  deps: IssueDocumentDeps,
  issue: DocumentIssue,
  content: AsyncIterable<Uint8Array>,
): Promise<{ readonly type: 'created' | 'existing'; readonly document: DocumentRecord }> {
  const citizen = await resolveVerifiedCitizen(deps.citizens, issue.citizen);
  const id = randomUUID();
  const fileKey = id;
  const detected: { type?: DocumentContentType } = {};
  const stored = await deps.files.put(
    fileKey,
    checkedContent(content, deps.maxBytes ?? MAX_DOCUMENT_BYTES, (type) => {
      detected.type = type;
    }),
  );
  try {
    const contentType = detected.type;
    if (contentType === undefined) throw new AppError('UNSUPPORTED_FILE_TYPE', 'file type was not detected');
    const { agency } = issue;
    const record = {
      id,
      citizenId: citizen.id,
      agency: { id: agency.id, code: agency.code, name: agency.name },
      typeCode: issue.typeCode,
      title: issue.title,
      number: issue.number,
      issuedAt: issue.issuedAt,
      expiresAt: issue.expiresAt,
      contentType,
      sizeBytes: stored.sizeBytes,
      sha256: stored.sha256,
      fileKey,
    };
    const { agency: _agency, ...fields } = record;
    const outcome = await deps.documents.issue({
      ...fields,
      agencyId: agency.id,
      signature: deps.signer.sign(signedDocumentRecord(record)),
      signingKeyId: deps.signer.keyId,
    });
    if (outcome.type === 'existing') await deps.files.delete(fileKey);
    if (outcome.type === 'number_reused') {
      throw new AppError(
        'DOCUMENT_NUMBER_REUSED',
        'This agency already issued another paper under this number',
      );
    }
    return outcome;
  } catch (error) {
    // Refused (number reused) or failed: the new copy of the file goes.
    await deps.files.delete(fileKey);
    throw error;
  }
}

/**
 * Passes `content` through, failing it as soon as it is longer than `maxBytes` or its first bytes are not a
 * PDF, PNG or JPEG; reports the detected type before the first byte goes on.
 */
async function* checkedContent(
  content: AsyncIterable<Uint8Array>,
  maxBytes: number,
  onType: (type: DocumentContentType) => void,
): AsyncGenerator<Buffer> {
  let head: Buffer | null = Buffer.alloc(0);
  let size = 0;
  const sniff = (bytes: Buffer) => {
    const type = detectContentType(bytes);
    if (type === null) {
      throw new AppError('UNSUPPORTED_FILE_TYPE', 'The file must be a PDF, PNG or JPEG (checked by content)');
    }
    onType(type);
  };
  for await (const chunk of content) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    size += bytes.length;
    if (size > maxBytes) {
      throw new AppError('FILE_TOO_LARGE', `The file is larger than ${maxBytes} bytes`, {
        context: { maxBytes },
      });
    }
    if (head === null) {
      yield bytes;
      continue;
    }
    head = Buffer.concat([head, bytes]);
    if (head.length < CONTENT_TYPE_SNIFF_BYTES) continue;
    sniff(head);
    const first = head;
    head = null;
    yield first;
  }
  if (head !== null) {
    sniff(head);
    yield head;
  }
}
