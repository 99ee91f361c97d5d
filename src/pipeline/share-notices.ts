import { shareViewedText } from '../../flows/notices/notices.copy.ts';
import type { CitizenRepository } from '../domain/citizens/citizen-repository.ts';
import type { DocumentRepository } from '../domain/documents/document.ts';
import type { Share, ShareRepository, ShareView } from '../domain/shares/share.ts';
import type { Notify } from './notify.ts';

const HOUR_MS = 3600 * 1000;

/** Telling the owner of a share link that it was opened. */
export interface ShareNotices {
  /**
   * Called when a view of `share` was recorded and the repository said to tell the owner (at most once an hour
   * per share). Non-urgent: a view at night is told in the morning. Stored once per share and hour.
   */
  shareViewed(share: Share, view: ShareView): Promise<void>;
}

/**
 * Share-view notices: "your link for <paper> was opened at HH:MM dd/mm (<place>, <device>)", with the share's
 * number in LS so the owner can end it with THUHOI <n>. Dedupe key `share-view-<shareId>-<hour>`.
 */
export function createShareNotices(deps: {
  shares: Pick<ShareRepository, 'listActive'>;
  documents: Pick<DocumentRepository, 'findById'>;
  citizens: Pick<CitizenRepository, 'findById'>;
  notify: Notify;
}): ShareNotices {
  return {
    async shareViewed(share, view) {
      const citizen = await deps.citizens.findById(share.citizenId);
      if (!citizen) return;
      let title: string | null = null;
      if (share.kind === 'document') {
        const document = share.documentId === null ? null : await deps.documents.findById(share.documentId);
        if (!document) return;
        title = document.title;
      }
      const active = await deps.shares.listActive(share.citizenId, view.at);
      const index = active.findIndex((s) => s.id === share.id);
      const facts = {
        title,
        at: view.at,
        place: view.place,
        device: view.userAgentClass,
        shareNumber: index >= 0 ? index + 1 : null,
      };
      const hour = Math.floor(view.at.getTime() / HOUR_MS);
      await deps.notify(citizen, `share-view-${share.id}-${hour}`, (language) => ({
        text: shareViewedText(language, facts),
      }));
    },
  };
}
