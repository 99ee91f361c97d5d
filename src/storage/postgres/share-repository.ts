import type { NewShare, Share, ShareRepository, ShareView } from '../../domain/shares/share.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import { AppError } from '../../shared/errors.ts';
import { type Database, isUuid } from './database.ts';

interface ShareRow {
  id: string;
  citizen_id: string;
  kind: Share['kind'];
  document_id: string | null;
  created_at: Date;
  expires_at: Date;
  max_views: number | null;
  view_count: number;
  revoked_at: Date | null;
}

interface ViewRow {
  share_id: string;
  at: Date;
  ip_hash: string;
  user_agent_class: ShareView['userAgentClass'];
  place: string | null;
}

const COLUMNS =
  'id, citizen_id, kind, document_id, created_at, expires_at, max_views, view_count, revoked_at';
/** A share that can still be opened at $2. */
const USABLE = '(revoked_at IS NULL AND expires_at > $2 AND (max_views IS NULL OR view_count < max_views))';
const notFound = (shareId: string) =>
  new AppError('SHARE_NOT_FOUND', 'no share with this id', { context: { shareId } });

const toShare = (row: ShareRow): Share => ({
  id: row.id,
  citizenId: row.citizen_id,
  kind: row.kind,
  documentId: row.document_id,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  maxViews: row.max_views,
  viewCount: row.view_count,
  revokedAt: row.revoked_at,
});

/**
 * The PostgreSQL (and PGlite) implementation of {@link ShareRepository}. Tokens are known only by their keyed
 * hash; a view keeps a keyed hash of the IP address, the user-agent class and the approximate place, encrypted
 * (where a viewer was is theirs). `recordView` is one statement (a share page view is latency-bound by its
 * round trips): it locks the share's row, counts the view, claims the owner's hourly notice by a conditional
 * change of `owner_notified_at` and appends the view: concurrent views of a share each get their own count, and
 * only one of them the notice.
 */
export function createPgShareRepository(db: Database, cipher: DataCipher): ShareRepository {
  const recentViewsFor: ShareRepository['recentViewsFor'] = async (shareIds, limitEach) => {
    const { rows } = await db.query<ViewRow>(
      `SELECT share_id, at, ip_hash, user_agent_class, place FROM (
         SELECT *, row_number() OVER (PARTITION BY share_id ORDER BY at DESC, id DESC) AS n
         FROM share_views WHERE share_id = ANY($1::uuid[])
       ) latest
       WHERE n <= $2 ORDER BY at DESC, id DESC`,
      [shareIds.filter(isUuid), limitEach],
    );
    const views = new Map<string, ShareView[]>();
    for (const row of rows) {
      const list = views.get(row.share_id) ?? [];
      list.push({
        at: row.at,
        ipHash: row.ip_hash,
        userAgentClass: row.user_agent_class,
        place: row.place === null ? null : cipher.decrypt(row.place),
      });
      views.set(row.share_id, list);
    }
    return views;
  };

  return {
    async create(share: NewShare) {
      const inserted = await db.query<ShareRow>(
        `INSERT INTO shares (token_hash, citizen_id, kind, document_id, created_by_ref, created_at, expires_at,
           max_views)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          share.tokenHash,
          share.citizenId,
          share.kind,
          share.documentId,
          share.createdByRef,
          share.at,
          share.expiresAt,
          share.maxViews,
        ],
      );
      const row =
        inserted.rows[0] ??
        (
          await db.query<ShareRow>(`SELECT ${COLUMNS} FROM shares WHERE created_by_ref = $1`, [
            share.createdByRef,
          ])
        ).rows[0];
      if (!row) throw new AppError('SHARE_TOKEN_TAKEN', 'another share already has this token');
      return toShare(row);
    },

    async findUsable(tokenHash, at) {
      const { rows } = await db.query<ShareRow>(
        `SELECT ${COLUMNS} FROM shares WHERE token_hash = $1 AND ${USABLE}`,
        [tokenHash, at],
      );
      return rows[0] ? toShare(rows[0]) : null;
    },

    async listActive(citizenId, at) {
      const { rows } = await db.query<ShareRow>(
        `SELECT ${COLUMNS} FROM shares WHERE citizen_id = $1 AND ${USABLE} ORDER BY created_at, id`,
        [citizenId, at],
      );
      return rows.map(toShare);
    },

    async revoke(citizenId, shareId, at) {
      if (!isUuid(shareId) || !isUuid(citizenId)) return false;
      const { rowCount } = await db.query(
        `UPDATE shares SET revoked_at = COALESCE(revoked_at, $3) WHERE id = $2 AND citizen_id = $1`,
        [citizenId, shareId, at],
      );
      return rowCount > 0;
    },

    async revokeAllOf(citizenId, at) {
      if (!isUuid(citizenId)) return;
      await db.query(`UPDATE shares SET revoked_at = $2 WHERE citizen_id = $1 AND ${USABLE}`, [
        citizenId,
        at,
      ]);
    },

    async recordView(shareId, view) {
      if (!isUuid(shareId)) throw notFound(shareId);
      // One statement: the row is locked by the inner SELECT, so `before` is the value this view replaces.
      const { rows } = await db.query<{ view_count: number; notify_owner: boolean }>(
        `WITH counted AS (
           UPDATE shares s SET view_count = s.view_count + 1,
             owner_notified_at = CASE WHEN claim.due THEN $2::timestamptz ELSE s.owner_notified_at END
           FROM (SELECT id, (owner_notified_at IS NULL
                   OR owner_notified_at <= $2::timestamptz - interval '1 hour') AS due
                 FROM shares WHERE id = $1 FOR UPDATE) claim
           WHERE s.id = claim.id
           RETURNING s.id, s.view_count, claim.due AS notify_owner),
         viewed AS (
           INSERT INTO share_views (share_id, at, ip_hash, user_agent_class, place)
           SELECT id, $2::timestamptz, $3::text, $4::text, $5::text FROM counted)
         SELECT view_count, notify_owner FROM counted`,
        [
          shareId,
          view.at,
          view.ipHash,
          view.userAgentClass,
          view.place === null ? null : cipher.encrypt(view.place),
        ],
      );
      const counted = rows[0];
      if (!counted) throw notFound(shareId);
      return { viewCount: counted.view_count, notifyOwner: counted.notify_owner };
    },

    recentViews: async (shareId, limit) => (await recentViewsFor([shareId], limit)).get(shareId) ?? [],
    recentViewsFor,

    async listByCitizen(citizenId) {
      if (!isUuid(citizenId)) return [];
      const { rows } = await db.query<ShareRow>(
        `SELECT ${COLUMNS} FROM shares WHERE citizen_id = $1 ORDER BY created_at, id`,
        [citizenId],
      );
      return rows.map(toShare);
    },

    async deleteByCitizen(citizenId) {
      if (!isUuid(citizenId)) return;
      // Views go with their share (ON DELETE CASCADE).
      await db.query('DELETE FROM shares WHERE citizen_id = $1', [citizenId]);
    },
  };
}
