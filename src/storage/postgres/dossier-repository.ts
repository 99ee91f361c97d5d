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
import { AppError } from '../../shared/errors.ts';
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

/** A dossier row with its row version (`xmin`), which every update of the row changes. */
interface VersionedRow extends DossierRow {
  row_version: string;
}

/** How often an upsert reads again after a concurrent update of the same dossier won the race. */
const UPSERT_ATTEMPTS = 20;

/**
 * The PostgreSQL (and PGlite) implementation of {@link DossierRepository}. Notes are encrypted; agency-driven
 * changes are audited without personal data. Codes are put in their normal form before they reach SQL (the
 * table holds no other: a CHECK constraint).
 *
 * An upsert takes two statements and no explicit transaction (a dossier PUT is latency-bound by its round
 * trips): it reads the dossier with its row version (`xmin`), decides in Node (a note can only be compared
 * decrypted), then writes the change, its history entry and its audit entry in one statement that updates the
 * row only if its version is still the one read (compare-and-set). A concurrent update of the same dossier makes
 * the loser read again, so each change appends its own event and none is lost; a creation is one
 * `INSERT ... ON CONFLICT DO NOTHING` with its event and audit entry, and the loser of a creation race updates.
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
  const load = async (sql: Sql, where: string, value: string) => {
    const { rows } = await sql.query<DossierRow>(`${SELECT} WHERE ${where} = $1`, [value]);
    return rows[0] ?? null;
  };
  const auditDetails = (dossierId: string | null, update: DossierUpdate) =>
    JSON.stringify({ agencyId: update.agencyId, ...(dossierId && { dossierId }), status: update.status });

  /** Creates the dossier with its first event and audit entry; null when the code exists already. */
  const create = async (update: DossierUpdate): Promise<DossierRow | null> => {
    const { rows } = await db.query<DossierRow>(
      `WITH created AS (
         INSERT INTO dossiers (code, agency_id, citizen_id, procedure, status, expected_at, note_enc, last_seq,
           created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)
         ON CONFLICT (code) DO NOTHING
         RETURNING id, code, agency_id, citizen_id, procedure, status, expected_at, note_enc, last_seq, created_at,
           updated_at),
       event AS (
         INSERT INTO dossier_events (dossier_id, seq, status, note_enc, expected_at, at)
         SELECT id, 1, status, note_enc, expected_at, created_at FROM created),
       audited AS (
         INSERT INTO audit_log (actor, action, citizen_id, details)
         SELECT 'agency', 'dossier_created', citizen_id, $9::jsonb || jsonb_build_object('dossierId', id)
         FROM created)
       SELECT c.id, c.code, c.agency_id, a.code AS agency_code, a.name AS agency_name, c.citizen_id, c.procedure,
         c.status, to_char(c.expected_at, 'YYYY-MM-DD') AS expected_at, c.note_enc, c.last_seq, c.created_at,
         c.updated_at
       FROM created c JOIN agencies a ON a.id = c.agency_id`,
      [
        update.code,
        update.agencyId,
        update.citizenId,
        update.procedure,
        update.status,
        update.expectedAt,
        encryptNote(update.note),
        update.at,
        auditDetails(null, update),
      ],
    );
    return rows[0] ?? null;
  };

  /**
   * Writes `update` over `current` (its event when `eventful`, always its audit entry) if the row is still at
   * the version read; resolves whether it was.
   */
  const change = async (current: VersionedRow, update: DossierUpdate, seq: number, eventful: boolean) => {
    const event = eventful
      ? `, event AS (INSERT INTO dossier_events (dossier_id, seq, status, note_enc, expected_at, at)
           SELECT id, last_seq, status, note_enc, expected_at, updated_at FROM changed)`
      : '';
    const { rows } = await db.query<{ changed: number }>(
      `WITH changed AS (
         UPDATE dossiers SET procedure = $2, status = $3, expected_at = $4, note_enc = $5, last_seq = $6,
           updated_at = $7
         WHERE id = $1 AND xmin = $8::text::xid
         RETURNING id, citizen_id, last_seq, status, note_enc, expected_at, updated_at)${event},
       audited AS (
         INSERT INTO audit_log (actor, action, citizen_id, details)
         SELECT 'agency', 'dossier_updated', citizen_id, $9::jsonb FROM changed)
       SELECT count(*)::int AS changed FROM changed`,
      [
        current.id,
        update.procedure,
        update.status,
        update.expectedAt,
        encryptNote(update.note),
        seq,
        update.at,
        current.row_version,
        auditDetails(current.id, update),
      ],
    );
    return (rows[0]?.changed ?? 0) > 0;
  };

  const upsert = async ({ code, ...rest }: DossierUpdate): Promise<UpsertDossierOutcome> => {
    const update = { ...rest, code: normalizeDossierCode(code) };
    for (let attempt = 1; attempt <= UPSERT_ATTEMPTS; attempt += 1) {
      const { rows } = await db.query<VersionedRow>(
        `${SELECT.replace('SELECT ', 'SELECT d.xmin::text AS row_version, ')} WHERE d.code = $1`,
        [update.code],
      );
      const current = rows[0];
      if (!current) {
        const created = await create(update);
        if (created) return { type: 'created', dossier: toDossier(created), statusChanged: true };
        // Another PUT created it between our read and our insert: read it again and update it.
        continue;
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
      if (!(await change(current, update, seq, eventful))) continue;
      // The stored row is the one read with this change: no need to read it again.
      const dossier: Dossier = {
        ...toDossier({ ...current, note_enc: null }),
        procedure: update.procedure,
        status: update.status,
        expectedAt: update.expectedAt,
        note: update.note,
        updatedAt: update.at,
      };
      return { type: 'updated', dossier, statusChanged: current.status !== update.status };
    }
    throw new AppError(
      'DOSSIER_CONTENDED',
      `a dossier was changed by other updates on each of ${UPSERT_ATTEMPTS} attempts to update it`,
      { retryable: true, context: { attempts: UPSERT_ATTEMPTS } },
    );
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
