/** What a share link opens: one paper, or the citizen's own data export. */
export type ShareKind = 'document' | 'export';

/** A share link of a citizen. Its token is never stored: only a keyed hash of it. */
export interface Share {
  readonly id: string;
  readonly citizenId: string;
  readonly kind: ShareKind;
  /** The shared paper (kind `document`). */
  readonly documentId: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  /** Null: no limit. */
  readonly maxViews: number | null;
  readonly viewCount: number;
  readonly revokedAt: Date | null;
}

/** One opening of a share page, as logged: never the raw IP address. */
export interface ShareView {
  readonly at: Date;
  /** Keyed hash of the viewer's IP address (to count distinct viewers, not to find them). */
  readonly ipHash: string;
  /** `mobile`, `desktop`, `bot` or `other`: never the full user agent. */
  readonly userAgentClass: 'mobile' | 'desktop' | 'bot' | 'other';
  /** Approximate place (city or country) when the proxy in front says it, else null. */
  readonly place: string | null;
}

/** What it takes to create a share. */
export interface NewShare {
  readonly citizenId: string;
  readonly kind: ShareKind;
  readonly documentId: string | null;
  readonly tokenHash: string;
  readonly expiresAt: Date;
  readonly maxViews: number | null;
  /** What created it (an inbound message): creating twice with it is one creation. */
  readonly createdByRef: string;
  readonly at: Date;
}

/**
 * Storage of share links and their views. Contract (test/contracts/share-repository.contract.ts):
 * - `create` is idempotent on `createdByRef`;
 * - `findUsable` finds a share by token hash only while it is not revoked, not expired at `at`, and under its
 *   view limit; otherwise null (the caller cannot tell why);
 * - `recordView` appends the view and counts it atomically; `notifyOwner` is true for at most one view per share
 *   per hour (the owner is told once an hour at most);
 * - `listActive` is oldest first (share 1 keeps its number until it ends);
 * - `revoke` only revokes a share of that citizen; `revokeAllOf` revokes, at once, every share of the citizen
 *   still usable at `at` (ended shares are left as they are);
 * - `recentViewsFor` gives what `recentViews` gives for each share, in one call.
 */
export interface ShareRepository {
  create(share: NewShare): Promise<Share>;
  findUsable(tokenHash: string, at: Date): Promise<Share | null>;
  listActive(citizenId: string, at: Date): Promise<Share[]>;
  revoke(citizenId: string, shareId: string, at: Date): Promise<boolean>;
  /** Revokes every share of a citizen usable at `at` (closing the account). */
  revokeAllOf(citizenId: string, at: Date): Promise<void>;
  recordView(shareId: string, view: ShareView): Promise<{ viewCount: number; notifyOwner: boolean }>;
  /** The latest views of a share, newest first. */
  recentViews(shareId: string, limit: number): Promise<ShareView[]>;
  /** The latest `limitEach` views of each share, newest first, by share id; a share never viewed has no entry. */
  recentViewsFor(shareIds: readonly string[], limitEach: number): Promise<ReadonlyMap<string, ShareView[]>>;
  /** Every share of a citizen, usable or not, oldest first (the citizen's data export). */
  listByCitizen(citizenId: string): Promise<Share[]>;
  /** Deletes every share of a citizen with its views (account purge). */
  deleteByCitizen(citizenId: string): Promise<void>;
}
