import type { DocumentRepository } from '../../src/domain/documents/document.ts';
import type { CreatedShare, CreateShareInput } from '../../src/domain/shares/create-share.ts';
import type { ShareRepository } from '../../src/domain/shares/share.ts';
import type { DocumentsEffectDeps } from './documents.effects.ts';

/** The ports the papers and share commands are built from. */
export interface DocumentsPorts {
  readonly documents: DocumentRepository;
  readonly shares: ShareRepository;
  /** `createShare` of src/domain/shares/create-share.ts, bound to its dependencies (key, base URL). */
  createShare(input: CreateShareInput): Promise<CreatedShare>;
}

/** Narrows the ports to what the papers and share commands' effects use. */
export function documentsEffectDeps(ports: DocumentsPorts): DocumentsEffectDeps {
  return {
    listDocuments: (citizenId) => ports.documents.listByCitizen(citizenId),
    async sharePaper(input) {
      const { share, url } = await ports.createShare({ ...input, kind: 'document' });
      return { url, expiresAt: share.expiresAt };
    },
    listShares: (citizenId, at) => ports.shares.listActive(citizenId, at),
    recentViewsFor: (shareIds, limitEach) => ports.shares.recentViewsFor(shareIds, limitEach),
    revokeShare: (citizenId, shareId, at) => ports.shares.revoke(citizenId, shareId, at),
  };
}
