import { finished } from 'node:stream/promises';
import type { DataCipher } from '../../shared/crypto.ts';
import type { DocumentRecord, DocumentRepository } from '../documents/document.ts';
import { type DocumentSigner, signedDocumentRecord } from '../documents/document-signature.ts';
import { type FileStore, isFileStoreOutage } from '../documents/file-store.ts';
import { checkedFileStream } from './checked-file-stream.ts';
import type { Share, ShareRepository } from './share.ts';
import { isWellFormedShareToken, shareTokenHash } from './share-token.ts';

/** Whether a shared paper is what its agency issued. */
export type Authenticity =
  | { readonly authentic: true }
  | { readonly authentic: false; readonly reason: 'file_changed' | 'signature_invalid' | 'file_missing' };

/** A usable share, opened: the paper with its authenticity, or the owner's data export. */
export type OpenedShare =
  | {
      readonly kind: 'document';
      readonly share: Share;
      readonly document: DocumentRecord;
      /** Null when the check was not asked for (a download checks the file as it streams it). */
      readonly authenticity: Authenticity | null;
    }
  | { readonly kind: 'export'; readonly share: Share };

/** What {@link openShare} needs. */
export interface OpenShareDeps {
  readonly shares: Pick<ShareRepository, 'findUsable'>;
  readonly documents: Pick<DocumentRepository, 'findById'>;
  readonly files: Pick<FileStore, 'get'>;
  readonly signer: Pick<DocumentSigner, 'verify'>;
  readonly cipher: Pick<DataCipher, 'keyedHash'>;
}

/**
 * Opens the share of `token` at `at`: null when the token is malformed, unknown, expired, revoked or over its
 * view limit (the caller cannot tell which, and must not say). For a paper, checks by default that it is
 * authentic: the record's Ed25519 signature, then the SHA-256 of the stored file, streamed from the FileStore
 * (a file that cannot be read back, e.g. it fails decryption, counts as changed). A store outage
 * ({@link isFileStoreOutage}) rejects instead: it says nothing about the paper.
 */
export async function openShare(
  deps: OpenShareDeps,
  token: string,
  at: Date,
  options: { checkAuthenticity?: boolean } = {},
): Promise<OpenedShare | null> {
  if (!isWellFormedShareToken(token)) return null;
  const share = await deps.shares.findUsable(
    shareTokenHash((purpose, value) => deps.cipher.keyedHash(purpose, value), token),
    at,
  );
  if (share === null) return null;
  if (share.kind === 'export') return { kind: 'export', share };
  const document = share.documentId === null ? null : await deps.documents.findById(share.documentId);
  if (document === null || document.citizenId !== share.citizenId) return null;
  const authenticity = options.checkAuthenticity === false ? null : await checkAuthenticity(deps, document);
  return { kind: 'document', share, document, authenticity };
}

/** Checks a paper's signature, then its stored file against the signed SHA-256 and size. */
async function checkAuthenticity(
  deps: Pick<OpenShareDeps, 'files' | 'signer'>,
  document: DocumentRecord,
): Promise<Authenticity> {
  if (!deps.signer.verify(signedDocumentRecord(document), document.signature, document.signingKeyId)) {
    return { authentic: false, reason: 'signature_invalid' };
  }
  let stream: Awaited<ReturnType<FileStore['get']>>;
  try {
    stream = await deps.files.get(document.fileKey);
  } catch (error) {
    // A store that cannot answer says nothing about the file: the page fails rather than call it changed.
    if (isFileStoreOutage(error)) throw error;
    return { authentic: false, reason: 'file_changed' };
  }
  if (stream === null) return { authentic: false, reason: 'file_missing' };
  try {
    await finished(checkedFileStream(stream, document).resume());
  } catch (error) {
    if (isFileStoreOutage(error)) throw error;
    return { authentic: false, reason: 'file_changed' };
  } finally {
    stream.destroy();
  }
  return { authentic: true };
}
