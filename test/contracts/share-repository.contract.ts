import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NewShare, ShareRepository, ShareView } from '../../src/domain/shares/share.ts';

/**
 * What a contract run needs. `newPaper` stores a paper (and its holder, unless `citizenId` is given) the
 * shares can point at; `reset` runs before each test (it may replace `repository`).
 */
export interface ShareRepositoryFixture {
  repository: ShareRepository;
  newPaper(citizenId?: string): Promise<{ citizenId: string; documentId: string }>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const T0 = Date.UTC(2025, 5, 1, 8, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(T0 + ms);

/** A share request for a paper, lasting 7 days from T0; `overrides` change single fields. */
export function newShare(
  paper: { citizenId: string; documentId: string },
  overrides: Partial<NewShare> = {},
): NewShare {
  return {
    citizenId: paper.citizenId,
    kind: 'document',
    documentId: paper.documentId,
    tokenHash: `hash-${randomUUID()}`,
    expiresAt: at(7 * DAY),
    maxViews: null,
    createdByRef: `ref-${randomUUID()}`,
    at: at(0),
    ...overrides,
  };
}

/** A view of a share at `ms` after T0. */
export function viewAt(ms: number, overrides: Partial<ShareView> = {}): ShareView {
  return { at: at(ms), ipHash: 'ip-hash-1', userAgentClass: 'mobile', place: 'Đà Nẵng', ...overrides };
}

/**
 * The behaviour every {@link ShareRepository} (PostgreSQL, PGlite, the in-memory fake) must show; see the
 * contract in src/domain/shares/share.ts. Call it once per implementation.
 */
export function describeShareRepositoryContract(
  name: string,
  factory: () => Promise<ShareRepositoryFixture>,
): void {
  describe(`ShareRepository contract: ${name}`, () => {
    let fixture: ShareRepositoryFixture;
    const repo = () => fixture.repository;

    beforeAll(async () => {
      fixture = await factory();
    });
    beforeEach(async () => {
      await fixture.reset();
    });
    afterAll(async () => {
      await fixture.close();
    });

    it('creates a share and finds it by its token hash, with every field', async () => {
      const paper = await fixture.newPaper();
      const input = newShare(paper, { maxViews: 5 });
      const share = await repo().create(input);
      expect(share).toEqual({
        id: expect.any(String),
        citizenId: paper.citizenId,
        kind: 'document',
        documentId: paper.documentId,
        createdAt: at(0),
        expiresAt: at(7 * DAY),
        maxViews: 5,
        viewCount: 0,
        revokedAt: null,
      });
      await expect(repo().findUsable(input.tokenHash, at(HOUR))).resolves.toEqual(share);
      await expect(repo().findUsable('hash-of-another-token', at(HOUR))).resolves.toBeNull();
    });

    it('creates once per creating reference: the same request again returns the same share', async () => {
      const paper = await fixture.newPaper();
      const input = newShare(paper);
      const first = await repo().create(input);
      const again = await repo().create({ ...input, at: at(MINUTE), expiresAt: at(8 * DAY) });
      expect(again).toEqual(first);
      await expect(repo().listActive(paper.citizenId, at(HOUR))).resolves.toEqual([first]);
    });

    it('stores a data-export share without a paper', async () => {
      const paper = await fixture.newPaper();
      const input = newShare(paper, { kind: 'export', documentId: null, expiresAt: at(DAY) });
      const share = await repo().create(input);
      expect(share).toMatchObject({ kind: 'export', documentId: null, citizenId: paper.citizenId });
      await expect(repo().findUsable(input.tokenHash, at(HOUR))).resolves.toEqual(share);
    });

    it('finds nothing once the share has expired', async () => {
      const paper = await fixture.newPaper();
      const input = newShare(paper);
      await repo().create(input);
      await expect(repo().findUsable(input.tokenHash, at(7 * DAY - 1))).resolves.not.toBeNull();
      await expect(repo().findUsable(input.tokenHash, at(7 * DAY))).resolves.toBeNull();
      await expect(repo().listActive(paper.citizenId, at(7 * DAY))).resolves.toEqual([]);
    });

    it('finds nothing once the share has used up its views', async () => {
      const paper = await fixture.newPaper();
      const input = newShare(paper, { maxViews: 2 });
      const share = await repo().create(input);
      await repo().recordView(share.id, viewAt(MINUTE));
      await expect(repo().findUsable(input.tokenHash, at(2 * MINUTE))).resolves.toMatchObject({
        viewCount: 1,
      });
      await repo().recordView(share.id, viewAt(2 * MINUTE));
      await expect(repo().findUsable(input.tokenHash, at(3 * MINUTE))).resolves.toBeNull();
      await expect(repo().listActive(paper.citizenId, at(3 * MINUTE))).resolves.toEqual([]);
    });

    it('revokes a share of that citizen at once, and only of that citizen', async () => {
      const paper = await fixture.newPaper();
      const stranger = await fixture.newPaper();
      const input = newShare(paper);
      const share = await repo().create(input);
      await expect(repo().revoke(stranger.citizenId, share.id, at(HOUR))).resolves.toBe(false);
      await expect(repo().findUsable(input.tokenHash, at(HOUR))).resolves.not.toBeNull();
      await expect(repo().revoke(paper.citizenId, randomUUID(), at(HOUR))).resolves.toBe(false);
      await expect(repo().revoke(paper.citizenId, 'not-an-id', at(HOUR))).resolves.toBe(false);

      await expect(repo().revoke(paper.citizenId, share.id, at(HOUR))).resolves.toBe(true);
      await expect(repo().findUsable(input.tokenHash, at(HOUR))).resolves.toBeNull();
      await expect(repo().listActive(paper.citizenId, at(HOUR))).resolves.toEqual([]);
      // Revoking again is harmless.
      await expect(repo().revoke(paper.citizenId, share.id, at(2 * HOUR))).resolves.toBe(true);
    });

    it('revokes every usable share of a citizen at once, leaves ended ones and no one else’s', async () => {
      const paper = await fixture.newPaper();
      const second = await fixture.newPaper(paper.citizenId);
      const other = await fixture.newPaper();
      const a = await repo().create(newShare(paper, { at: at(MINUTE) }));
      const b = await repo().create(newShare(second, { at: at(2 * MINUTE) }));
      const expired = await repo().create(newShare(paper, { at: at(3 * MINUTE), expiresAt: at(HOUR) }));
      const revoked = await repo().create(newShare(paper, { at: at(4 * MINUTE) }));
      await repo().revoke(paper.citizenId, revoked.id, at(5 * MINUTE));
      const kept = await repo().create(newShare(other, { at: at(MINUTE) }));

      await repo().revokeAllOf(paper.citizenId, at(2 * HOUR));

      await expect(repo().listActive(paper.citizenId, at(2 * HOUR))).resolves.toEqual([]);
      const ended = await repo().listByCitizen(paper.citizenId);
      expect(ended.map((s) => [s.id, s.revokedAt])).toEqual([
        [a.id, at(2 * HOUR)],
        [b.id, at(2 * HOUR)],
        [expired.id, null],
        [revoked.id, at(5 * MINUTE)],
      ]);
      await expect(repo().listActive(other.citizenId, at(2 * HOUR))).resolves.toEqual([kept]);
      await expect(repo().revokeAllOf(randomUUID(), at(2 * HOUR))).resolves.toBeUndefined();
      await expect(repo().revokeAllOf('not-an-id', at(2 * HOUR))).resolves.toBeUndefined();
    });

    it('lists a citizen’s usable shares oldest first, and no one else’s', async () => {
      const paper = await fixture.newPaper();
      const second = await fixture.newPaper(paper.citizenId);
      const other = await fixture.newPaper();
      const b = await repo().create(newShare(second, { at: at(2 * MINUTE) }));
      const a = await repo().create(newShare(paper, { at: at(MINUTE) }));
      const c = await repo().create(newShare(paper, { at: at(3 * MINUTE) }));
      await repo().create(newShare(paper, { at: at(4 * MINUTE), expiresAt: at(HOUR) }));
      const revoked = await repo().create(newShare(paper, { at: at(5 * MINUTE) }));
      await repo().revoke(paper.citizenId, revoked.id, at(6 * MINUTE));
      await repo().create(newShare(other, { at: at(MINUTE) }));
      const listed = await repo().listActive(paper.citizenId, at(2 * HOUR));
      expect(listed.map((s) => s.id)).toEqual([a.id, b.id, c.id]);
    });

    it('counts each view and tells the owner at most once an hour', async () => {
      const share = await repo().create(newShare(await fixture.newPaper()));
      await expect(repo().recordView(share.id, viewAt(0))).resolves.toEqual({
        viewCount: 1,
        notifyOwner: true,
      });
      await expect(repo().recordView(share.id, viewAt(30 * MINUTE))).resolves.toEqual({
        viewCount: 2,
        notifyOwner: false,
      });
      await expect(repo().recordView(share.id, viewAt(HOUR - 1))).resolves.toEqual({
        viewCount: 3,
        notifyOwner: false,
      });
      await expect(repo().recordView(share.id, viewAt(HOUR))).resolves.toEqual({
        viewCount: 4,
        notifyOwner: true,
      });
      await expect(repo().recordView(share.id, viewAt(HOUR + MINUTE))).resolves.toEqual({
        viewCount: 5,
        notifyOwner: false,
      });
      const other = await repo().create(newShare(await fixture.newPaper()));
      await expect(repo().recordView(other.id, viewAt(HOUR + MINUTE))).resolves.toEqual({
        viewCount: 1,
        notifyOwner: true,
      });
    });

    it('gives concurrent views distinct counts and the owner’s notice to exactly one of them', async () => {
      const share = await repo().create(newShare(await fixture.newPaper()));
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          repo().recordView(share.id, viewAt(MINUTE, { ipHash: `ip-${i}` })),
        ),
      );
      expect(results.map((r) => r.viewCount).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(results.filter((r) => r.notifyOwner)).toHaveLength(1);
      await expect(repo().recentViews(share.id, 100)).resolves.toHaveLength(8);
    });

    it('keeps the views newest first, as recorded, up to the limit asked', async () => {
      const share = await repo().create(newShare(await fixture.newPaper()));
      await repo().recordView(
        share.id,
        viewAt(MINUTE, { ipHash: 'a', userAgentClass: 'desktop', place: null }),
      );
      await repo().recordView(share.id, viewAt(3 * MINUTE, { ipHash: 'c', userAgentClass: 'bot' }));
      await repo().recordView(share.id, viewAt(2 * MINUTE, { ipHash: 'b', userAgentClass: 'other' }));
      await expect(repo().recentViews(share.id, 2)).resolves.toEqual([
        { at: at(3 * MINUTE), ipHash: 'c', userAgentClass: 'bot', place: 'Đà Nẵng' },
        { at: at(2 * MINUTE), ipHash: 'b', userAgentClass: 'other', place: 'Đà Nẵng' },
      ]);
      await expect(repo().recentViews(share.id, 10)).resolves.toHaveLength(3);
      const quiet = await repo().create(newShare(await fixture.newPaper()));
      await expect(repo().recentViews(quiet.id, 10)).resolves.toEqual([]);
    });

    it('gives the latest views of several shares in one call, newest first, up to the limit of each', async () => {
      const paper = await fixture.newPaper();
      const x = await repo().create(newShare(paper));
      const y = await repo().create(newShare(paper));
      const quiet = await repo().create(newShare(paper));
      await repo().recordView(x.id, viewAt(MINUTE, { ipHash: 'x1' }));
      await repo().recordView(y.id, viewAt(2 * MINUTE, { ipHash: 'y1', place: null }));
      await repo().recordView(x.id, viewAt(3 * MINUTE, { ipHash: 'x3' }));
      await repo().recordView(x.id, viewAt(2 * MINUTE, { ipHash: 'x2', userAgentClass: 'desktop' }));

      const views = await repo().recentViewsFor([x.id, y.id, quiet.id, randomUUID(), 'not-an-id'], 2);

      expect(views).toEqual(
        new Map([
          [
            x.id,
            [
              viewAt(3 * MINUTE, { ipHash: 'x3' }),
              viewAt(2 * MINUTE, { ipHash: 'x2', userAgentClass: 'desktop' }),
            ],
          ],
          [y.id, [viewAt(2 * MINUTE, { ipHash: 'y1', place: null })]],
        ]),
      );
      expect(views.get(x.id)).toEqual(await repo().recentViews(x.id, 2));
      await expect(repo().recentViewsFor([], 2)).resolves.toEqual(new Map());
    });

    it('refuses to record a view of a share that does not exist', async () => {
      await expect(repo().recordView(randomUUID(), viewAt(0))).rejects.toMatchObject({
        code: 'SHARE_NOT_FOUND',
      });
    });

    it('lists every share of a citizen, ended or not, oldest first; deletes them with their views', async () => {
      const paper = await fixture.newPaper();
      const other = await fixture.newPaper();
      const b = await repo().create(newShare(paper, { at: at(2 * MINUTE), expiresAt: at(HOUR) }));
      const a = await repo().create(newShare(paper, { at: at(MINUTE) }));
      await repo().revoke(paper.citizenId, a.id, at(3 * MINUTE));
      await repo().recordView(b.id, viewAt(4 * MINUTE));
      const kept = await repo().create(newShare(other));
      await repo().recordView(kept.id, viewAt(4 * MINUTE));
      const listed = await repo().listByCitizen(paper.citizenId);
      expect(listed.map((s) => s.id)).toEqual([a.id, b.id]);
      expect(listed[0]?.revokedAt).toEqual(at(3 * MINUTE));

      await repo().deleteByCitizen(paper.citizenId);

      await expect(repo().listByCitizen(paper.citizenId)).resolves.toEqual([]);
      await expect(repo().recentViews(b.id, 10)).resolves.toEqual([]);
      await expect(repo().listByCitizen(other.citizenId)).resolves.toHaveLength(1);
      await expect(repo().recentViews(kept.id, 10)).resolves.toHaveLength(1);
    });
  });
}
