import type {
  AssistedFailure,
  AssistedRequest,
  AssistedRequestRepository,
  AssistedStatus,
  ConsentHow,
  DecideOutcome,
} from '../../domain/assisted/assisted-request.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import { type Database, isUuid, type Sql } from './database.ts';

interface Row {
  id: string;
  team_id: string;
  member_id: string;
  volunteer_channel: string;
  volunteer_address_enc: string | null;
  neighbour_phone_enc: string | null;
  full_name_enc: string | null;
  cccd_enc: string | null;
  birth_date_enc: string | null;
  language: 'vi' | 'en';
  code_hash: string | null;
  status: AssistedStatus;
  wrong_codes: number;
  created_at: Date;
  expires_at: Date;
  decided_at: Date | null;
  how: ConsentHow | null;
  failure: AssistedFailure | null;
  citizen_id: string | null;
}

/**
 * Who did a step, as the audit log records it: the volunteer (asking, typing a code, the account opened for them),
 * the neighbour (`citizen`: replying), or the service (`system`: the expiry).
 */
type AssistedActor = 'volunteer' | 'citizen' | 'system';

/** Erases what a request no longer needs once it has ended. */
const ERASE = `volunteer_address_enc = NULL, neighbour_phone_hash = NULL, neighbour_phone_enc = NULL,
  full_name_enc = NULL, cccd_enc = NULL, birth_date_enc = NULL, code_hash = NULL`;

/** The PostgreSQL (and PGlite) implementation of {@link AssistedRequestRepository}. */
export function createPgAssistedRequestRepository(
  db: Database,
  cipher: DataCipher,
): AssistedRequestRepository {
  const phoneHash = (phone: string) => cipher.keyedHash('phone', phone);
  const open = (sealed: string | null) => (sealed === null ? '' : cipher.decrypt(sealed));
  const toRequest = (row: Row): AssistedRequest => ({
    id: row.id,
    teamId: row.team_id,
    memberId: row.member_id,
    volunteerChannel: row.volunteer_channel,
    volunteerAddress: open(row.volunteer_address_enc),
    neighbourPhone: open(row.neighbour_phone_enc),
    fullName: open(row.full_name_enc),
    cccd: open(row.cccd_enc),
    dateOfBirth: open(row.birth_date_enc),
    language: row.language,
    status: row.status,
    wrongCodes: row.wrong_codes,
    codeHash: row.code_hash,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    decidedAt: row.decided_at,
    how: row.how,
    failure: row.failure,
    citizenId: row.citizen_id,
  });

  const audit = (
    sql: Sql,
    action: string,
    row: Pick<Row, 'id' | 'team_id' | 'member_id'>,
    more = {},
    actor: AssistedActor = 'volunteer',
  ) =>
    sql.query('INSERT INTO audit_log (actor, action, details) VALUES ($1, $2, $3)', [
      actor,
      action,
      JSON.stringify({ requestId: row.id, teamId: row.team_id, memberId: row.member_id, ...more }),
    ]);

  /** Ends a request: sets its status (and more), erases its personal data, audits. */
  const end = async (
    sql: Sql,
    row: Row,
    status: AssistedStatus,
    at: Date,
    set = '',
    params: unknown[] = [],
  ) => {
    await sql.query(
      `UPDATE assisted_requests SET status = $2, decided_at = coalesce(decided_at, $3), ${ERASE}${set}
       WHERE id = $1`,
      [row.id, status, at, ...params],
    );
  };

  const lockRow = async (sql: Sql, id: string): Promise<Row | null> => {
    if (!isUuid(id)) return null;
    const { rows } = await sql.query<Row>('SELECT * FROM assisted_requests WHERE id = $1 FOR UPDATE', [id]);
    return rows[0] ?? null;
  };

  return {
    create: (request, limits) =>
      db.transaction(async (tx) => {
        const again = await tx.query<Row>('SELECT * FROM assisted_requests WHERE created_by_ref = $1', [
          request.ref,
        ]);
        if (again.rows[0]) return { type: 'created', request: toRequest(again.rows[0]) };
        // One member's requests are counted one at a time.
        await tx.query('SELECT 1 FROM team_members WHERE id = $1 FOR UPDATE', [request.memberId]);
        const { rows } = await tx.query<{ pending: number; hour: number }>(
          `SELECT count(*) FILTER (WHERE status = 'pending' AND expires_at > $2)::int AS pending,
                  count(*) FILTER (WHERE created_at > $3)::int AS hour
           FROM assisted_requests WHERE member_id = $1`,
          [request.memberId, request.createdAt, new Date(request.createdAt.getTime() - 3_600_000)],
        );
        const counts = rows[0] ?? { pending: 0, hour: 0 };
        if (counts.pending >= limits.maxPending) return { type: 'too_many_pending' };
        if (counts.hour >= limits.maxPerHour) return { type: 'hourly_limit' };
        // A request for this phone past its expiry whose expiry job has not run yet no longer holds the phone.
        const stale = await tx.query<Row>(
          `SELECT * FROM assisted_requests WHERE neighbour_phone_hash = $1 AND status = 'pending'
             AND expires_at <= $2 FOR UPDATE`,
          [phoneHash(request.neighbourPhone), request.createdAt],
        );
        for (const old of stale.rows) {
          await end(tx, old, 'expired', request.createdAt);
          await audit(tx, 'assisted_expired', old, {}, 'system');
        }
        const inserted = await tx.query<Row>(
          `INSERT INTO assisted_requests (team_id, member_id, volunteer_channel, volunteer_address_enc,
             neighbour_phone_hash, neighbour_phone_enc, full_name_enc, cccd_enc, birth_date_enc, language,
             code_hash, created_by_ref, created_at, expires_at, simulated)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $3::text LIKE 'sim-%')
           ON CONFLICT DO NOTHING RETURNING *`,
          [
            request.teamId,
            request.memberId,
            request.volunteerChannel,
            cipher.encrypt(request.volunteerAddress),
            phoneHash(request.neighbourPhone),
            cipher.encrypt(request.neighbourPhone),
            cipher.encrypt(request.fullName),
            cipher.encrypt(request.cccd),
            cipher.encrypt(request.dateOfBirth),
            request.language,
            request.codeHash,
            request.ref,
            request.createdAt,
            request.expiresAt,
          ],
        );
        const row = inserted.rows[0];
        if (!row) return { type: 'phone_pending' };
        await audit(tx, 'assisted_requested', row);
        return { type: 'created', request: toRequest(row) };
      }),

    async findById(id) {
      if (!isUuid(id)) return null;
      const { rows } = await db.query<Row>('SELECT * FROM assisted_requests WHERE id = $1', [id]);
      return rows[0] ? toRequest(rows[0]) : null;
    },

    async pendingForPhone(phone, at) {
      const { rows } = await db.query<Row>(
        `SELECT * FROM assisted_requests
         WHERE neighbour_phone_hash = $1 AND status = 'pending' AND expires_at > $2`,
        [phoneHash(phone), at],
      );
      return rows[0] ? toRequest(rows[0]) : null;
    },

    async pendingOfMember(memberId, at) {
      if (!isUuid(memberId)) return [];
      const { rows } = await db.query<Row>(
        `SELECT * FROM assisted_requests WHERE member_id = $1 AND status = 'pending' AND expires_at > $2
         ORDER BY created_at DESC, id DESC`,
        [memberId, at],
      );
      return rows.map(toRequest);
    },

    async overdue(before, limit) {
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM assisted_requests WHERE status = 'pending' AND expires_at <= $1
         ORDER BY expires_at, id LIMIT $2`,
        [before, limit],
      );
      return rows.map((row) => row.id);
    },

    decide: (id, decision, at, maxWrongCodes) =>
      db.transaction(async (tx): Promise<DecideOutcome | null> => {
        const row = await lockRow(tx, id);
        if (!row) return null;
        const request = toRequest(row);
        if (row.status !== 'pending') return { type: 'not_pending', request };
        if (at.getTime() >= row.expires_at.getTime()) {
          await end(tx, row, 'expired', at);
          await audit(tx, 'assisted_expired', row, {}, 'system');
          return { type: 'expired', request };
        }
        switch (decision.type) {
          case 'expire':
            return { type: 'not_pending', request };
          case 'reply':
            if (decision.answer === 'no') {
              await end(tx, row, 'refused', at);
              await audit(tx, 'assisted_refused', row, {}, 'citizen');
              return { type: 'refused', request };
            }
            return consent(tx, row, request, 'reply', at);
          case 'code': {
            if (decision.codeHash === row.code_hash) return consent(tx, row, request, 'code', at);
            const wrong = row.wrong_codes + 1;
            if (wrong >= maxWrongCodes) {
              await end(tx, row, 'failed', at, ', wrong_codes = $4, failure = $5', [wrong, 'wrong_codes']);
              await audit(tx, 'assisted_failed', row, { failure: 'wrong_codes' });
              return { type: 'failed', request: { ...request, wrongCodes: wrong } };
            }
            await tx.query('UPDATE assisted_requests SET wrong_codes = $2 WHERE id = $1', [row.id, wrong]);
            await audit(tx, 'assisted_wrong_code', row);
            return {
              type: 'wrong_code',
              request: { ...request, wrongCodes: wrong },
              triesLeft: maxWrongCodes - wrong,
            };
          }
        }
      }),

    markOpened: (id, citizenId, at) =>
      db.transaction(async (tx) => {
        const row = await lockRow(tx, id);
        if (row?.status !== 'consented') return false;
        await end(tx, row, 'opened', at, ', citizen_id = $4', [citizenId]);
        await audit(tx, 'assisted_opened', row, { citizenId });
        return true;
      }),

    markFailed: (id, failure, at) =>
      db.transaction(async (tx) => {
        const row = await lockRow(tx, id);
        if (row?.status !== 'consented') return false;
        await end(tx, row, 'failed', at, ', failure = $4', [failure]);
        await audit(tx, 'assisted_failed', row, { failure });
        return true;
      }),
  };

  async function consent(
    tx: Sql,
    row: Row,
    request: AssistedRequest,
    how: ConsentHow,
    at: Date,
  ): Promise<DecideOutcome> {
    await tx.query(
      `UPDATE assisted_requests SET status = 'consented', how = $2, decided_at = $3, code_hash = NULL
       WHERE id = $1`,
      [row.id, how, at],
    );
    // The neighbour consents: by their own reply, or through the volunteer who typed the code they read out.
    await audit(tx, 'assisted_consented', row, { how }, how === 'reply' ? 'citizen' : 'volunteer');
    return {
      type: 'consented',
      request: { ...request, status: 'consented', how, decidedAt: at, codeHash: null },
    };
  }
}
