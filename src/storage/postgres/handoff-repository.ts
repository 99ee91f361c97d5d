import type {
  Handoff,
  HandoffAuthor,
  HandoffChat,
  HandoffCloser,
  HandoffMessage,
  HandoffReason,
  HandoffRepository,
  HandoffStatus,
  TakeHandoffOutcome,
} from '../../domain/handoffs/handoff.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import type { Database, Sql } from './database.ts';

interface HandoffRow {
  id: number;
  channel: string;
  address_enc: string;
  citizen_id: string | null;
  ward_code: string | null;
  reason: HandoffReason;
  status: HandoffStatus;
  team_id: string | null;
  holder_member_id: string | null;
  holder_channel: string | null;
  holder_address_enc: string | null;
  created_at: Date;
  taken_at: Date | null;
  closed_at: Date | null;
  closed_by: HandoffCloser | null;
  waiting_notice_at: Date | null;
  open_ref: string | null;
}

interface MessageRow {
  id: number;
  author: HandoffAuthor;
  member_id: string | null;
  text_enc: string;
  at: Date;
}

const COLUMNS = `id, channel, address_enc, citizen_id, ward_code, reason, status, team_id, holder_member_id,
  holder_channel, holder_address_enc, created_at, taken_at, closed_at, closed_by, waiting_notice_at, open_ref`;

/** What a wiped chat address holds after a purge. */
const FORGOTTEN = '';

/** A unique index refused the statement (PostgreSQL and PGlite both report SQLSTATE 23505). */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

/**
 * The PostgreSQL (and PGlite) implementation of {@link HandoffRepository}: tables `handoffs` and
 * `handoff_messages` (migrations 008 and 009). Chat addresses and texts are encrypted with `cipher`; chats are
 * looked up by keyed hash. Taking is one `UPDATE ... WHERE status = 'open'`, so concurrent takes have one winner.
 */
export function createPgHandoffRepository(db: Database, cipher: DataCipher): HandoffRepository {
  const chatHash = (chat: HandoffChat) => cipher.keyedHash('handoff-chat', `${chat.channel}:${chat.address}`);
  const decrypt = (sealed: string) => (sealed === FORGOTTEN ? FORGOTTEN : cipher.decrypt(sealed));

  const toHandoff = (row: HandoffRow): Handoff => ({
    id: row.id,
    chat: { channel: row.channel, address: decrypt(row.address_enc) },
    citizenId: row.citizen_id,
    wardCode: row.ward_code,
    reason: row.reason,
    status: row.status,
    holder:
      row.holder_member_id !== null && row.team_id !== null && row.holder_channel !== null
        ? {
            memberId: row.holder_member_id,
            teamId: row.team_id,
            chat: { channel: row.holder_channel, address: decrypt(row.holder_address_enc ?? FORGOTTEN) },
          }
        : null,
    createdAt: row.created_at,
    takenAt: row.taken_at,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    waitingNoticeAt: row.waiting_notice_at,
  });
  const toMessage = (row: MessageRow): HandoffMessage => ({
    id: row.id,
    author: row.author,
    memberId: row.member_id,
    text: decrypt(row.text_enc),
    at: row.at,
  });

  const selectRow = async (sql: Sql, id: number): Promise<HandoffRow | null> => {
    const { rows } = await sql.query<HandoffRow>(`SELECT ${COLUMNS} FROM handoffs WHERE id = $1`, [id]);
    return rows[0] ?? null;
  };
  const audit = (
    sql: Sql,
    actor: string,
    action: string,
    citizenId: string | null,
    details: Record<string, string | number | null>,
  ) =>
    sql.query('INSERT INTO audit_log (actor, action, citizen_id, details) VALUES ($1, $2, $3, $4)', [
      actor,
      action,
      citizenId,
      JSON.stringify(details),
    ]);
  const insertMessage = async (
    sql: Sql,
    handoffId: number,
    message: { author: HandoffAuthor; memberId?: string | null | undefined; text: string; ref: string },
    at: Date,
  ): Promise<HandoffMessage | null> => {
    const inserted = await sql.query<MessageRow>(
      `INSERT INTO handoff_messages (handoff_id, author, member_id, text_enc, at, ref)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING
       RETURNING id, author, member_id, text_enc, at`,
      [handoffId, message.author, message.memberId ?? null, cipher.encrypt(message.text), at, message.ref],
    );
    const row =
      inserted.rows[0] ??
      (
        await sql.query<MessageRow>(
          'SELECT id, author, member_id, text_enc, at FROM handoff_messages WHERE handoff_id = $1 AND ref = $2',
          [handoffId, message.ref],
        )
      ).rows[0];
    return row ? toMessage(row) : null;
  };

  /** Why a take changed nothing, read after the fact. */
  const classifyTake = async (id: number, memberId: string): Promise<TakeHandoffOutcome> => {
    const row = await selectRow(db, id);
    if (!row) return { type: 'not_found' };
    const handoff = toHandoff(row);
    if (row.status === 'closed') return { type: 'closed', handoff };
    if (row.status === 'held')
      return row.holder_member_id === memberId
        ? { type: 'taken', handoff }
        : { type: 'held_by_other', handoff };
    const other = await db.query<HandoffRow>(
      `SELECT ${COLUMNS} FROM handoffs WHERE holder_member_id = $1 AND status = 'held'`,
      [memberId],
    );
    const held = other.rows[0];
    return held ? { type: 'holding_another', handoff: toHandoff(held) } : { type: 'held_by_other', handoff };
  };

  return {
    open: (handoff, at) =>
      db.transaction(async (tx) => {
        const { rows } = await tx.query<HandoffRow>(
          `INSERT INTO handoffs (channel, address_hash, address_enc, citizen_id, ward_code, reason, created_at, open_ref, simulated)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $1::text LIKE 'sim-%') ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
          [
            handoff.chat.channel,
            chatHash(handoff.chat),
            cipher.encrypt(handoff.chat.address),
            handoff.citizenId,
            handoff.wardCode,
            handoff.reason,
            at,
            handoff.ref,
          ],
        );
        const row = rows[0];
        if (!row) {
          const active = await tx.query<HandoffRow>(
            `SELECT ${COLUMNS} FROM handoffs WHERE channel = $1 AND address_hash = $2 AND status <> 'closed'`,
            [handoff.chat.channel, chatHash(handoff.chat)],
          );
          const existing = active.rows[0];
          if (!existing) throw new Error('hand-off neither opened nor active: concurrent close, retry');
          const same = existing.open_ref === handoff.ref;
          return { type: same ? 'opened' : 'already_active', handoff: toHandoff(existing) };
        }
        if (handoff.firstMessage !== null) {
          await insertMessage(
            tx,
            row.id,
            { author: 'citizen', text: handoff.firstMessage, ref: handoff.ref },
            at,
          );
        }
        await audit(tx, 'citizen', 'handoff_opened', handoff.citizenId, {
          handoffId: row.id,
          channel: handoff.chat.channel,
          reason: handoff.reason,
          wardCode: handoff.wardCode,
        });
        return { type: 'opened', handoff: toHandoff(row) };
      }),

    async findById(id) {
      const row = await selectRow(db, id);
      return row && toHandoff(row);
    },

    async activeForChat(chat) {
      const { rows } = await db.query<HandoffRow>(
        `SELECT ${COLUMNS} FROM handoffs WHERE channel = $1 AND address_hash = $2 AND status <> 'closed'`,
        [chat.channel, chatHash(chat)],
      );
      return rows[0] ? toHandoff(rows[0]) : null;
    },

    async heldByChat(chat) {
      const { rows } = await db.query<HandoffRow>(
        `SELECT ${COLUMNS} FROM handoffs
         WHERE holder_channel = $1 AND holder_address_hash = $2 AND status = 'held' ORDER BY id LIMIT 1`,
        [chat.channel, chatHash(chat)],
      );
      return rows[0] ? toHandoff(rows[0]) : null;
    },

    async sidesOfChat(chat) {
      const { rows } = await db.query<HandoffRow & { side: 'own' | 'held' }>(
        `(SELECT 'own' AS side, ${COLUMNS} FROM handoffs
          WHERE channel = $1 AND address_hash = $2 AND status <> 'closed' ORDER BY id LIMIT 1)
         UNION ALL
         (SELECT 'held' AS side, ${COLUMNS} FROM handoffs
          WHERE holder_channel = $1 AND holder_address_hash = $2 AND status = 'held' ORDER BY id LIMIT 1)`,
        [chat.channel, chatHash(chat)],
      );
      const side = (name: 'own' | 'held') => {
        const row = rows.find((r) => r.side === name);
        return row ? toHandoff(row) : null;
      };
      return { own: side('own'), held: side('held') };
    },

    async take(id, holder, at) {
      try {
        const taken = await db.transaction(async (tx) => {
          const { rows } = await tx.query<HandoffRow>(
            `UPDATE handoffs SET status = 'held', team_id = $2, holder_member_id = $3, holder_channel = $4,
               holder_address_enc = $5, holder_address_hash = $6, taken_at = $7
             WHERE id = $1 AND status = 'open'
               AND NOT EXISTS (SELECT 1 FROM handoffs h WHERE h.holder_member_id = $3 AND h.status = 'held')
             RETURNING ${COLUMNS}`,
            [
              id,
              holder.teamId,
              holder.memberId,
              holder.chat.channel,
              cipher.encrypt(holder.chat.address),
              chatHash(holder.chat),
              at,
            ],
          );
          const row = rows[0];
          if (!row) return null;
          await audit(tx, 'volunteer', 'handoff_taken', row.citizen_id, {
            handoffId: row.id,
            memberId: holder.memberId,
            teamId: holder.teamId,
          });
          return toHandoff(row);
        });
        return taken ? { type: 'taken', handoff: taken } : await classifyTake(id, holder.memberId);
      } catch (error) {
        // The same member taking two hand-offs at once: the one-per-holder index let one through.
        if (isUniqueViolation(error)) return classifyTake(id, holder.memberId);
        throw error;
      }
    },

    async append(id, message, at) {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<{ status: HandoffStatus }>(
          'SELECT status FROM handoffs WHERE id = $1 FOR UPDATE',
          [id],
        );
        const status = rows[0]?.status;
        if (status === undefined) return null;
        if (status === 'closed') {
          // A replayed append of a message stored before the close is still that message.
          const { rows: kept } = await tx.query<MessageRow>(
            'SELECT id, author, member_id, text_enc, at FROM handoff_messages WHERE handoff_id = $1 AND ref = $2',
            [id, message.ref],
          );
          return kept[0] ? toMessage(kept[0]) : null;
        }
        return insertMessage(tx, id, message, at);
      });
    },

    async thread(id) {
      const { rows } = await db.query<MessageRow>(
        'SELECT id, author, member_id, text_enc, at FROM handoff_messages WHERE handoff_id = $1 ORDER BY id',
        [id],
      );
      return rows.map(toMessage);
    },

    close: (id, by, at) =>
      db.transaction(async (tx) => {
        const { rows } = await tx.query<HandoffRow>(
          `UPDATE handoffs SET status = 'closed', closed_at = $2, closed_by = $3
           WHERE id = $1 AND status <> 'closed' RETURNING ${COLUMNS}`,
          [id, at, by.closer],
        );
        const row = rows[0];
        if (!row) {
          const current = await selectRow(tx, id);
          return current ? { type: 'already_closed', handoff: toHandoff(current) } : { type: 'not_found' };
        }
        await audit(tx, by.closer, 'handoff_closed', row.citizen_id, {
          handoffId: row.id,
          memberId: by.memberId ?? null,
        });
        return { type: 'closed', handoff: toHandoff(row) };
      }),

    release: (memberId, by, _at) =>
      db.transaction(async (tx) => {
        const { rows } = await tx.query<HandoffRow>(
          `UPDATE handoffs SET status = 'open', team_id = NULL, holder_member_id = NULL, holder_channel = NULL,
             holder_address_enc = NULL, holder_address_hash = NULL, taken_at = NULL
           WHERE holder_member_id = $1 AND status = 'held'
           RETURNING ${COLUMNS}`,
          [memberId],
        );
        const row = rows[0];
        if (!row) return null;
        await audit(tx, by, 'handoff_released', row.citizen_id, { handoffId: row.id, memberId });
        return toHandoff(row);
      }),

    async markWaitingNotice(id, at) {
      const { rowCount } = await db.query(
        `UPDATE handoffs SET waiting_notice_at = $2 WHERE id = $1 AND status = 'open' AND waiting_notice_at IS NULL`,
        [id, at],
      );
      return rowCount > 0;
    },

    async list(filter) {
      const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
      const { rows } = filter.status
        ? await db.query<HandoffRow>(
            `SELECT ${COLUMNS} FROM handoffs WHERE status = $1 ORDER BY id DESC LIMIT $2`,
            [filter.status, limit],
          )
        : await db.query<HandoffRow>(`SELECT ${COLUMNS} FROM handoffs ORDER BY id DESC LIMIT $1`, [limit]);
      return rows.map(toHandoff);
    },

    forgetChats: (citizenId, chats, at) =>
      db.transaction(async (tx) => {
        const hashes = chats.map(chatHash);
        const { rows } = await tx.query<{ id: number; status: HandoffStatus }>(
          `SELECT id, status FROM handoffs WHERE citizen_id = $1 OR address_hash = ANY($2::text[]) FOR UPDATE`,
          [citizenId, hashes],
        );
        if (rows.length === 0) return;
        const ids = rows.map((r) => r.id);
        await tx.query('DELETE FROM handoff_messages WHERE handoff_id = ANY($1::bigint[])', [ids]);
        // Each forgotten chat gets its own placeholder hash, so the one-active-per-chat index never collides.
        await tx.query(
          `UPDATE handoffs SET address_enc = $2, address_hash = 'forgotten-' || id::text, open_ref = NULL,
             status = 'closed', closed_at = coalesce(closed_at, $3), closed_by = coalesce(closed_by, 'system')
           WHERE id = ANY($1::bigint[])`,
          [ids, FORGOTTEN, at],
        );
        for (const row of rows.filter((r) => r.status !== 'closed')) {
          await audit(tx, 'system', 'handoff_closed', null, { handoffId: row.id, memberId: null });
        }
      }),
  };
}
