import type { DataCipher } from '../../shared/crypto.ts';
import { AppError } from '../../shared/errors.ts';
import type { DocumentRepository } from '../documents/document.ts';
import type { Share, ShareKind, ShareRepository } from './share.ts';
import { deriveShareToken, shareTokenHash, shareUrl } from './share-token.ts';

/** How long a paper may be shared: 1, 7 (the default in chat) or 30 days. */
export type ShareDays = 1 | 7 | 30;

/** The days a share may last, for callers that parse what the citizen typed. */
export const SHARE_DAYS: readonly ShareDays[] = [1, 7, 30];

/** How long a data-export link lasts, whatever was asked. */
const EXPORT_DAYS = 1;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What {@link createShare} needs. */
export interface CreateShareDeps {
  readonly shares: ShareRepository;
  readonly documents: Pick<DocumentRepository, 'findById'>;
  readonly cipher: Pick<DataCipher, 'keyedHash'>;
  /** PUBLIC_BASE_URL, without a trailing slash. */
  readonly publicBaseUrl: string;
}

/** What a citizen asks to share. */
export interface CreateShareInput {
  readonly citizenId: string;
  readonly kind: ShareKind;
  /** The paper (kind `document`); null for the data export. */
  readonly documentId: string | null;
  /** How long the link lasts; ignored for the data export, which lasts 1 day. */
  readonly days: ShareDays;
  /** How many openings (page views and downloads) the link allows; none or null: no limit. */
  readonly maxViews?: number | null;
  /** The inbound message that asked for it: the token is derived from it, and creating twice is one share. */
  readonly ref: string;
  readonly at: Date;
}

/** A share created (or found again for the same `ref`), with its token and public link. */
export interface CreatedShare {
  readonly share: Share;
  readonly token: string;
  readonly url: string;
}

/**
 * Creates a share link of a citizen's paper (or of their data export). The paper must be the citizen's own,
 * else `AppError('DOCUMENT_NOT_FOUND')` (the same for a paper of someone else as for no paper). Idempotent on
 * `ref`: a replayed chat turn gets the same share, token and link.
 */
export async function createShare(deps: CreateShareDeps, input: CreateShareInput): Promise<CreatedShare> {
  let documentId: string | null = null;
  if (input.kind === 'document') {
    const document = input.documentId === null ? null : await deps.documents.findById(input.documentId);
    if (document === null || document.citizenId !== input.citizenId) {
      throw new AppError('DOCUMENT_NOT_FOUND', 'no such paper in this citizen’s store');
    }
    documentId = document.id;
  }
  const maxViews = input.maxViews ?? null;
  if (maxViews !== null && (!Number.isInteger(maxViews) || maxViews < 1)) {
    throw new AppError('BAD_VIEW_LIMIT', 'a view limit must be a positive whole number');
  }
  const days = input.kind === 'export' ? EXPORT_DAYS : input.days;
  const keyedHash = (purpose: string, value: string) => deps.cipher.keyedHash(purpose, value);
  const token = deriveShareToken(keyedHash, input.ref);
  const share = await deps.shares.create({
    citizenId: input.citizenId,
    kind: input.kind,
    documentId,
    tokenHash: shareTokenHash(keyedHash, token),
    expiresAt: new Date(input.at.getTime() + days * DAY_MS),
    maxViews,
    createdByRef: input.ref,
    at: input.at,
  });
  return { share, token, url: shareUrl(deps.publicBaseUrl, token) };
}
