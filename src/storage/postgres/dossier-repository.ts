import {
  type Dossier,
  type DossierEvent,
  type DossierRepository,
  type DossierStatus,
  type DossierUpdate,
  normalizeDossierCode,
  type UpsertDossierOutcome,
} from '../../domain/dossiers/dossier.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import { type Database, isUuid, type Sql } from './database.ts';

interface DossierRow {
  id: string;
  code: string;
  agency_id: string;
  agency_code: string;
  agency_name: string;
  citizen_id: string;
  procedure: string;
  status: DossierStatus;
  expected_at: string | null;
  note_enc: string | null;
  last_seq: number;
  created_at: Date;
  updated_at: Date;
}

interface EventRow {
  seq: number;
  status: DossierStatus;
  note_enc: string | null;
  expected_at: string | null;
  at: Date;
}

const SELECT = `SELECT d.id, d.code, d.agency_id, a.code AS agency_code, a.name AS agency_name, d.citizen_id,
  d.procedure, d.status, to_char(d.expected_at, 'YYYY-MM-DD') AS expected_at, d.note_enc, d.last_seq,
  d.created_at, d.updated_at
  FROM dossiers d JOIN agencies a ON a.id = d.agency_id`;

/**
 * The PostgreSQL (and PGlite) implementation of {@link DossierRepository}. An upsert locks and reads the
 * dossier's row (`SELECT ... FOR UPDATE OF d`) for the whole transaction, then writes the change, its event and
 * its audit entry in one statement, so concurrent updates of one dossier queue up and each
 * appends its own event; notes are encrypted; agency-driven changes are audited without personal data. Codes
 * are put in their normal form before they reach SQL (the table holds no other: a CHECK constraint).
 */
export function createPgDossierRepository(db: Database, cipher: DataCipher): DossierRepository {
  const decryptNote = (sealed: string | null) => (sealed === null ? null : cipher.decrypt(sealed));
  const encryptNote = (note: string | null) => (note === null ? null : cipher.encrypt(note));
  const toDossier = (row: DossierRow): Dossier => ({
    id: row.id,
    code: row.code,
    agency: { id: row.agency_id, code: row.agency_code, name: row.agency_name },
    citizenId: row.citizen_id,
    procedure: row.procedure,
    status: row.status,
    expectedAt: row.expected_at,
    note: decryptNote(row.note_enc),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
  /** Locks the dossier's row for the transaction and reads it, in one statement. */
  const lockByCode = async (tx: Sql, code: string) => {
    const { rows } = await tx.query<DossierRow>(`${SELECT} WHERE d.code = $1 FOR UPDATE OF d`, [code]);
    return rows[0] ?? null;
  };
  const load = async (sql: Sql, where: string, value: string) => {
    const { rows } = await sql.query<DossierRow>(`${SELECT} WHERE ${where} = $1`, [value]);
    return rows[0] ?? null;
  };
  const appendEvent = (tx: Sql, dossierId: string, seq: number, update: DossierUpdate) =>
    tx.query(
      'INSERT INTO dossier_events (dossier_id, seq, status, note_enc, expected_at, at) VALUES ($1, $2, $3, $4, $5, $6)',
      [dossierId, seq, update.status, encryptNote(update.note), update.expectedAt, update.at],
    );
  const auditDetails = (dossierId: string, update: DossierUpdate) =>
    JSON.stringify({ agencyId: update.agencyId, dossierId, status: update.status });
  const audit = (tx: Sql, action: string, row: { id: string; citizen_id: string }, update: DossierUpdate) =>
    tx.query(`INSERT INTO audit_log (actor, action, citizen_id, details) VALUES ('agency', $1, $2, $3)`, [
      action,
      row.citizen_id,
      auditDetails(row.id, update),
    ]);

  const upsert = ({ code, ...rest }: DossierUpdate) => {
    const update = { ...rest, code: normalizeDossierCode(code) };
    return db.transaction(async (tx): Promise<UpsertDossierOutcome> => {
      let current = await lockByCode(tx, update.code);
      if (current === null) {
        const inserted = await tx.query<{ id: string; citizen_id: string }>(
          `INSERT INTO dossiers (code, agency_id, citizen_id, procedure, status, expected_at, note_enc, last_seq,
             created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)
           ON CONFLICT (code) DO NOTHING RETURNING id, citizen_id`,
          [
            update.code,
            update.agencyId,
            update.citizenId,
            update.procedure,
            update.status,
            update.expectedAt,
            encryptNote(update.note),
            update.at,
          ],
        );
        const created = inserted.rows[0];
        if (created) {
          await appendEvent(tx, created.id, 1, update);
          await audit(tx, 'dossier_created', created, update);
          const row = await load(tx, 'd.id', created.id);
          if (!row) throw new Error('created dossier not found');
          return { type: 'created', dossier: toDossier(row), statusChanged: true };
        }
        // Another transaction created it between our lookup and our insert: wait for it, then update.
        current = await lockByCode(tx, update.code);
        if (current === null) throw new Error('dossier vanished during upsert');
      }
      if (current.agency_id !== update.agencyId) return { type: 'other_agency' };
      if (current.citizen_id !== update.citizenId) return { type: 'other_citizen' };
      const currentNote = decryptNote(current.note_enc);
      const eventful =
        current.status !== update.status ||
        current.expected_at !== update.expectedAt ||
        currentNote !== update.note;
      if (!eventful && current.procedure === update.procedure) {
        return { type: 'unchanged', dossier: toDossier(current), statusChanged: false };
      }
      const seq = eventful ? current.last_seq + 1 : current.last_seq;
      // The change, its history entry and its audit entry in one statement (one round trip); the row is locked.
      const event = eventful
        ? `, event AS (INSERT INTO dossier_events (dossier_id, seq, status, note_enc, expected_at, at)
             VALUES ($1, $6, $3, $5, $4, $7))`
        : '';
      await tx.query(
        `WITH changed AS (UPDATE dossiers SET procedure = $2, status = $3, expected_at = $4, note_enc = $5,
           last_seq = $6, updated_at = $7 WHERE id = $1)${event}
         INSERT INTO audit_log (actor, action, citizen_id, details) VALUES ('agency', 'dossier_updated', $8, $9)`,
        [
          current.id,
          update.procedure,
          update.status,
          update.expectedAt,
          encryptNote(update.note),
          seq,
          update.at,
          current.citizen_id,
          auditDetails(current.id, update),
        ],
      );
      // The stored row is the locked one with this change: no need to read it again.
      const dossier: Dossier = {
        ...toDossier({ ...current, note_enc: null }),
        procedure: update.procedure,
        status: update.status,
        expectedAt: update.expectedAt,
        note: update.note,
        updatedAt: update.at,
      };
      return { type: 'updated', dossier, statusChanged: current.status !== update.status };
    });
  };

  return {
    upsert,

    async findById(id) {
      if (!isUuid(id)) return null;
      const row = await load(db, 'd.id', id);
      return row ? toDossier(row) : null;
    },

    async findByCode(code) {
      const row = await load(db, 'd.code', normalizeDossierCode(code));
      return row ? toDossier(row) : null;
    },

    async listByCitizen(citizenId, limit) {
      if (!isUuid(citizenId)) return [];
      const { rows } = await db.query<DossierRow>(
        `${SELECT} WHERE d.citizen_id = $1 ORDER BY d.updated_at DESC, d.created_at DESC, d.id LIMIT $2`,
        [citizenId, limit],
      );
      return rows.map(toDossier);
    },

    async history(dossierId) {
      if (!isUuid(dossierId)) return [];
      const { rows } = await db.query<EventRow>(
        `SELECT seq, status, note_enc, to_char(expected_at, 'YYYY-MM-DD') AS expected_at, at
         FROM dossier_events WHERE dossier_id = $1 ORDER BY seq`,
        [dossierId],
      );
      return rows.map(
        (row): DossierEvent => ({
          seq: row.seq,
          status: row.status,
          note: decryptNote(row.note_enc),
          expectedAt: row.expected_at,
          at: row.at,
        }),
      );
    },

    async deleteByCitizen(citizenId) {
      if (!isUuid(citizenId)) return;
      // The history goes with its dossier (ON DELETE CASCADE).
      await db.query('DELETE FROM dossiers WHERE citizen_id = $1', [citizenId]);
    },
  };
}
