import { randomUUID } from 'node:crypto';
import type { NewShare, Share, ShareRepository, ShareView } from '../../src/domain/shares/share.ts';
import { AppError } from '../../src/shared/errors.ts';

/** A share as the fake keeps it: the share, its token hash, what created it and when the owner was told. */
export interface StoredShare {
  share: Share;
  tokenHash: string;
  createdByRef: string;
  ownerNotifiedAt: Date | null;
}

const HOUR_MS = 60 * 60 * 1000;

/** A working in-memory {@link ShareRepository}; passes test/contracts/share-repository.contract.ts. */
export class InMemoryShareRepository implements ShareRepository {
  /** Every share, in creation order. */
  readonly shares: StoredShare[] = [];
  /** Every view, in the order recorded. */
  readonly views: { shareId: string; view: ShareView }[] = [];

  async create(input: NewShare): Promise<Share> {
    const same = this.shares.find((s) => s.createdByRef === input.createdByRef);
    if (same) return { ...same.share };
    if (this.shares.some((s) => s.tokenHash === input.tokenHash)) {
      throw new AppError('SHARE_TOKEN_TAKEN', 'another share already has this token');
    }
    const share: Share = {
      id: randomUUID(),
      citizenId: input.citizenId,
      kind: input.kind,
      documentId: input.documentId,
      createdAt: input.at,
      expiresAt: input.expiresAt,
      maxViews: input.maxViews,
      viewCount: 0,
      revokedAt: null,
    };
    this.shares.push({
      share,
      tokenHash: input.tokenHash,
      createdByRef: input.createdByRef,
      ownerNotifiedAt: null,
    });
    return { ...share };
  }

  async findUsable(tokenHash: string, at: Date): Promise<Share | null> {
    const found = this.shares.find((s) => s.tokenHash === tokenHash && usable(s.share, at));
    return found ? { ...found.share } : null;
  }

  async listActive(citizenId: string, at: Date): Promise<Share[]> {
    return this.shares
      .filter((s) => s.share.citizenId === citizenId && usable(s.share, at))
      .sort((a, b) => a.share.createdAt.getTime() - b.share.createdAt.getTime())
      .map((s) => ({ ...s.share }));
  }

  async revoke(citizenId: string, shareId: string, at: Date): Promise<boolean> {
    const found = this.shares.find((s) => s.share.id === shareId && s.share.citizenId === citizenId);
    if (!found) return false;
    found.share = { ...found.share, revokedAt: found.share.revokedAt ?? at };
    return true;
  }

  async revokeAllOf(citizenId: string, at: Date): Promise<void> {
    for (const stored of this.shares) {
      if (stored.share.citizenId === citizenId && usable(stored.share, at)) {
        stored.share = { ...stored.share, revokedAt: at };
      }
    }
  }

  async recordView(shareId: string, view: ShareView): Promise<{ viewCount: number; notifyOwner: boolean }> {
    const found = this.shares.find((s) => s.share.id === shareId);
    if (!found) throw new AppError('SHARE_NOT_FOUND', 'no share with this id', { context: { shareId } });
    found.share = { ...found.share, viewCount: found.share.viewCount + 1 };
    this.views.push({ shareId, view: { ...view } });
    const last = found.ownerNotifiedAt;
    const notifyOwner = last === null || last.getTime() <= view.at.getTime() - HOUR_MS;
    if (notifyOwner) found.ownerNotifiedAt = view.at;
    return { viewCount: found.share.viewCount, notifyOwner };
  }

  async recentViews(shareId: string, limit: number): Promise<ShareView[]> {
    return this.views
      .map((v, order) => ({ ...v, order }))
      .filter((v) => v.shareId === shareId)
      .sort((a, b) => b.view.at.getTime() - a.view.at.getTime() || b.order - a.order)
      .slice(0, limit)
      .map((v) => ({ ...v.view }));
  }

  async recentViewsFor(shareIds: readonly string[], limitEach: number): Promise<Map<string, ShareView[]>> {
    const views = new Map<string, ShareView[]>();
    for (const shareId of new Set(shareIds)) {
      const latest = await this.recentViews(shareId, limitEach);
      if (latest.length > 0) views.set(shareId, latest);
    }
    return views;
  }

  async listByCitizen(citizenId: string): Promise<Share[]> {
    return this.shares
      .filter((s) => s.share.citizenId === citizenId)
      .sort((a, b) => a.share.createdAt.getTime() - b.share.createdAt.getTime())
      .map((s) => ({ ...s.share }));
  }

  async deleteByCitizen(citizenId: string): Promise<void> {
    const gone = new Set(this.shares.filter((s) => s.share.citizenId === citizenId).map((s) => s.share.id));
    this.shares.splice(0, this.shares.length, ...this.shares.filter((s) => !gone.has(s.share.id)));
    this.views.splice(0, this.views.length, ...this.views.filter((v) => !gone.has(v.shareId)));
  }
}

function usable(share: Share, at: Date): boolean {
  return (
    share.revokedAt === null &&
    share.expiresAt.getTime() > at.getTime() &&
    (share.maxViews === null || share.viewCount < share.maxViews)
  );
}
