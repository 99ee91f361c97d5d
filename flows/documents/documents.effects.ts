import type { DocumentRecord } from '../../src/domain/documents/document.ts';
import type { ShareDays } from '../../src/domain/shares/create-share.ts';
import type { Share, ShareView } from '../../src/domain/shares/share.ts';
import type { EffectRunners } from '../../src/engine/flow-kit.ts';

/** How many recent views `LS` shows per link. */
const RECENT_VIEWS = 3;

/** What the papers and share commands use, narrowed from the ports (documents.deps.ts). */
export interface DocumentsEffectDeps {
  /** The citizen's papers in issue order (oldest first), so paper numbers stay put. */
  listDocuments(citizenId: string): Promise<DocumentRecord[]>;
  /** Creates the share link of a paper, idempotent on `ref` (a replayed turn gets the same link). */
  sharePaper(input: {
    citizenId: string;
    documentId: string;
    days: ShareDays;
    ref: string;
    at: Date;
  }): Promise<{ url: string; expiresAt: Date }>;
  /** The citizen's usable links, oldest first, so link numbers stay put. */
  listShares(citizenId: string, at: Date): Promise<Share[]>;
  /** The latest views of each link, newest first, by link id (a link never opened has no entry). */
  recentViewsFor(shareIds: readonly string[], limitEach: number): Promise<ReadonlyMap<string, ShareView[]>>;
  revokeShare(citizenId: string, shareId: string, at: Date): Promise<boolean>;
}

/** A paper as GT lists it. */
export interface PaperLine {
  readonly title: string;
  readonly issuer: string;
  /** YYYY-MM-DD. */
  readonly issuedAt: string;
}

/** What a link opens, as LS names it. */
export type SharedThing =
  | { readonly type: 'paper'; readonly title: string }
  | { readonly type: 'export' }
  | { readonly type: 'missing' };

/** A link as LS lists it: never an IP address, only when, roughly where, and what kind of device. */
export interface ShareLine {
  readonly thing: SharedThing;
  readonly expiresAt: Date;
  readonly viewCount: number;
  /** The latest views, newest first. */
  readonly views: readonly Pick<ShareView, 'at' | 'place' | 'userAgentClass'>[];
}

/** A new share link of a paper. */
export interface SharedPaper {
  readonly type: 'shared';
  readonly title: string;
  readonly url: string;
  readonly expiresAt: Date;
}

/**
 * The effects of GT, CS, LS and THUHOI; papers and links are picked by their number in the lists (a number
 * not in the list gives `noSuchPaper` / `noSuchShare` with how many there are).
 */
export type DocumentsEffects = {
  listPapers: { effect: { readonly type: 'listPapers' }; result: readonly PaperLine[] };
  sharePaper: {
    effect: { readonly type: 'sharePaper'; readonly number: number; readonly days: ShareDays };
    result: SharedPaper | { readonly type: 'noSuchPaper'; readonly count: number };
  };
  listShares: { effect: { readonly type: 'listShares' }; result: readonly ShareLine[] };
  revokeShare: {
    effect: { readonly type: 'revokeShare'; readonly number: number };
    result:
      | { readonly type: 'revoked'; readonly thing: SharedThing }
      | { readonly type: 'noSuchShare'; readonly count: number };
  };
};

/** The account of the person: GT, CS, LS and THUHOI start only with one (requireAccount, flows/index.ts). */
function accountOf(ctx: { readonly citizen: { readonly id: string } | null }): string {
  if (!ctx.citizen) throw new Error('the documents effects need an account');
  return ctx.citizen.id;
}

/** Runs the effects of the papers and share commands; creating a link is idempotent on the message ref. */
export function createDocumentsEffects(deps: DocumentsEffectDeps): EffectRunners<DocumentsEffects> {
  const thingOf = (share: Share, papers: readonly DocumentRecord[]): SharedThing => {
    if (share.kind === 'export') return { type: 'export' };
    const paper = papers.find((p) => p.id === share.documentId);
    return paper ? { type: 'paper', title: paper.title } : { type: 'missing' };
  };

  return {
    async listPapers(_effect, ctx) {
      const papers = await deps.listDocuments(accountOf(ctx));
      return papers.map((p) => ({ title: p.title, issuer: p.agency.name, issuedAt: p.issuedAt }));
    },
    async sharePaper(effect, ctx) {
      const citizenId = accountOf(ctx);
      const papers = await deps.listDocuments(citizenId);
      const paper = papers[effect.number - 1];
      if (effect.number < 1 || paper === undefined) return { type: 'noSuchPaper', count: papers.length };
      const shared = await deps.sharePaper({
        citizenId,
        documentId: paper.id,
        days: effect.days,
        ref: ctx.ref,
        at: ctx.now,
      });
      return { type: 'shared', title: paper.title, url: shared.url, expiresAt: shared.expiresAt };
    },
    async listShares(_effect, ctx) {
      const citizenId = accountOf(ctx);
      const [shares, papers] = await Promise.all([
        deps.listShares(citizenId, ctx.now),
        deps.listDocuments(citizenId),
      ]);
      const views = await deps.recentViewsFor(
        shares.map((share) => share.id),
        RECENT_VIEWS,
      );
      return shares.map((share) => ({
        thing: thingOf(share, papers),
        expiresAt: share.expiresAt,
        viewCount: share.viewCount,
        views: (views.get(share.id) ?? []).map(({ at, place, userAgentClass }) => ({
          at,
          place,
          userAgentClass,
        })),
      }));
    },
    async revokeShare(effect, ctx) {
      const citizenId = accountOf(ctx);
      const shares = await deps.listShares(citizenId, ctx.now);
      const share = shares[effect.number - 1];
      if (effect.number < 1 || share === undefined) return { type: 'noSuchShare', count: shares.length };
      const papers = share.kind === 'document' ? await deps.listDocuments(citizenId) : [];
      await deps.revokeShare(citizenId, share.id, ctx.now);
      return { type: 'revoked', thing: thingOf(share, papers) };
    },
  };
}
