import {
  DATA_READ_WINDOW_MS,
  type DataField,
  type DataRequest,
  type DataRequestChange,
  type DataRequestRepository,
  type DataRequestStatus,
} from '../../domain/datarequests/data-request.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import { type Database, isUuid, type Sql } from './database.ts';

interface DataRequestRow {
  id: string;
  agency_id: string;
  agency_code: string;
  agency_name: string;
  citizen_id: string;
  purpose_enc: string;
  fields: string;
  document_types: string;
  callback_url: string | null;
  status: DataRequestStatus;
  created_at: Date;
  expires_at: Date;
  decided_at: Date | null;
  decided_via: string | null;
  readable_until: Date | null;
  noticed_at: Date | null;
  first_read_at: Date | null;
  last_read_at: Date | null;
}

const SELECT = `SELECT r.*, a.code AS agency_code, a.name AS agency_name
  FROM data_requests r JOIN agencies a ON a.id = r.agency_id`;

/**
 * The PostgreSQL (and PGlite) implementation of {@link DataRequestRepository}. The purpose is encrypted with the
 * data cipher; every change of status is one conditional `UPDATE … RETURNING` with its audit entry in the same
 * transaction, so two answers at once change a request once and audit it once.
 */
export function createPgDataRequestRepository(db: Database, cipher: DataCipher): DataRequestRepository {
  const toRequest = (row: DataRequestRow): DataRequest => ({
    id: row.id,
    agency: { id: row.agency_id, code: row.agency_code, name: row.agency_name },
    citizenId: row.citizen_id,
    purpose: cipher.decrypt(row.purpose_enc),
    fields: JSON.parse(row.fields) as DataField[],
    documentTypes: JSON.parse(row.document_types) as string[],
    callbackUrl: row.callback_url,
    status: row.status,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    decidedAt: row.decided_at,
    decidedVia: row.decided_via,
    readableUntil: row.readable_until,
    noticedAt: row.noticed_at,
    firstReadAt: row.first_read_at,
    lastReadAt: row.last_read_at,
  });
  const findIn = async (sql: Sql, id: string) => {
    if (!isUuid(id)) return null;
    const { rows } = await sql.query<DataRequestRow>(`${SELECT} WHERE r.id = $1`, [id]);
    return rows[0] ? toRequest(rows[0]) : null;
  };
  const audit = (
    sql: Sql,
    actor: string,
    action: string,
    citizenId: string,
    at: Date,
    details: Record<string, unknown>,
  ) =>
    sql.query('INSERT INTO audit_log (at, actor, action, citizen_id, details) VALUES ($1, $2, $3, $4, $5)', [
      at,
      actor,
      action,
      citizenId,
      JSON.stringify(details),
    ]);
  /** Runs a conditional update; `changed` with the new row and its audit entry, or why nothing changed. */
  const change = (
    id: string,
    update: (sql: Sql) => Promise<boolean>,
    audited: (request: DataRequest, sql: Sql) => Promise<unknown>,
  ): Promise<DataRequestChange> => {
    if (!isUuid(id)) return Promise.resolve({ type: 'not_found' });
    return db.transaction(async (tx) => {
      const changed = await update(tx);
      const request = await findIn(tx, id);
      if (!request) return { type: 'not_found' as const };
      if (!changed) return { type: 'unchanged' as const, request };
      await audited(request, tx);
      return { type: 'changed' as const, request };
    });
  };
  const what = (request: DataRequest) => ({
    requestId: request.id,
    agencyId: request.agency.id,
    fields: request.fields,
    documentTypes: request.documentTypes,
  });

  return {
    create: (request, maxPending) =>
      db.transaction(async (tx) => {
        // One agency's requests to one citizen are counted under a lock on the citizen's row.
        await tx.query('SELECT 1 FROM citizens WHERE id = $1 FOR UPDATE', [request.citizenId]);
        const { rows: counted } = await tx.query<{ n: string }>(
          `SELECT count(*) AS n FROM data_requests
           WHERE agency_id = $1 AND citizen_id = $2 AND status = 'pending' AND expires_at > $3`,
          [request.agencyId, request.citizenId, request.createdAt],
        );
        if (Number(counted[0]?.n ?? 0) >= maxPending) return { type: 'too_many_pending' as const };
        const { rows } = await tx.query<{ id: string }>(
          `INSERT INTO data_requests (agency_id, citizen_id, purpose_enc, fields, document_types, callback_url,
             created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
          [
            request.agencyId,
            request.citizenId,
            cipher.encrypt(request.purpose),
            JSON.stringify(request.fields),
            JSON.stringify(request.documentTypes),
            request.callbackUrl,
            request.createdAt,
            request.expiresAt,
          ],
        );
        const id = rows[0]?.id;
        const stored = id ? await findIn(tx, id) : null;
        if (!stored) throw new Error('data request insert returned no row');
        await audit(tx, 'agency', 'data_request_created', stored.citizenId, stored.createdAt, what(stored));
        return { type: 'created' as const, request: stored };
      }),

    findById: (id) => findIn(db, id),

    async listPending(citizenId, at) {
      if (!isUuid(citizenId)) return [];
      const { rows } = await db.query<DataRequestRow>(
        `${SELECT} WHERE r.citizen_id = $1 AND r.status = 'pending' AND r.expires_at > $2
         ORDER BY r.created_at, r.id`,
        [citizenId, at],
      );
      return rows.map(toRequest);
    },

    async listByCitizen(citizenId) {
      if (!isUuid(citizenId)) return [];
      const { rows } = await db.query<DataRequestRow>(
        `${SELECT} WHERE r.citizen_id = $1 ORDER BY r.created_at, r.id`,
        [citizenId],
      );
      return rows.map(toRequest);
    },

    answer: (id, citizenId, answer) =>
      change(
        id,
        async (sql) =>
          (
            await sql.query(
              `UPDATE data_requests SET status = $3, decided_at = $4, decided_via = $5,
                 readable_until = CASE WHEN $3 = 'approved' THEN $6::timestamptz END
               WHERE id = $1 AND citizen_id = $2 AND status = 'pending' AND expires_at > $4`,
              [
                id,
                citizenId,
                answer.answer,
                answer.at,
                answer.channel,
                new Date(answer.at.getTime() + DATA_READ_WINDOW_MS),
              ],
            )
          ).rowCount === 1,
        (request, sql) =>
          audit(
            sql,
            'citizen',
            answer.answer === 'approved' ? 'data_request_approved' : 'data_request_refused',
            request.citizenId,
            answer.at,
            { ...what(request), channel: answer.channel },
          ),
      ),

    expire: (id, at) =>
      change(
        id,
        async (sql) =>
          (
            await sql.query(
              `UPDATE data_requests SET status = 'expired', decided_at = expires_at
               WHERE id = $1 AND status = 'pending' AND expires_at <= $2`,
              [id, at],
            )
          ).rowCount === 1,
        (request, sql) => audit(sql, 'system', 'data_request_expired', request.citizenId, at, what(request)),
      ),

    withdraw: (id, citizenId, withdrawal) =>
      change(
        id,
        async (sql) =>
          (
            await sql.query(
              `UPDATE data_requests SET status = 'withdrawn', decided_at = $3, decided_via = $4
               WHERE id = $1 AND citizen_id = $2 AND status = 'approved' AND readable_until > $3`,
              [id, citizenId, withdrawal.at, withdrawal.channel],
            )
          ).rowCount === 1,
        (request, sql) =>
          audit(sql, 'citizen', 'data_request_withdrawn', request.citizenId, withdrawal.at, {
            ...what(request),
            channel: withdrawal.channel,
          }),
      ),

    async overdue(before, limit) {
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM data_requests WHERE status = 'pending' AND expires_at <= $1
         ORDER BY expires_at, id LIMIT $2`,
        [before, limit],
      );
      return rows.map((row) => row.id);
    },

    async markNoticed(id, at) {
      if (!isUuid(id)) return;
      await db.query('UPDATE data_requests SET noticed_at = coalesce(noticed_at, $2) WHERE id = $1', [
        id,
        at,
      ]);
    },

    async recordRead(id, at, documentId) {
      if (!isUuid(id)) return;
      await db.transaction(async (tx) => {
        const { rows } = await tx.query<{ citizen_id: string; agency_id: string }>(
          `UPDATE data_requests SET first_read_at = coalesce(first_read_at, $2), last_read_at = $2
           WHERE id = $1 RETURNING citizen_id, agency_id`,
          [id, at],
        );
        const row = rows[0];
        if (row) {
          await audit(tx, 'agency', 'data_request_read', row.citizen_id, at, {
            requestId: id,
            agencyId: row.agency_id,
            ...(documentId === undefined ? {} : { documentId }),
          });
        }
      });
    },
  };
}
