import {
  type Agency,
  type AgencyKey,
  type AgencyRepository,
  agencyNameKey,
} from '../../domain/agencies/agency.ts';
import { type Database, isUuid, type Sql } from './database.ts';

interface AgencyRow {
  id: string;
  code: string;
  name: string;
  created_at: Date;
}

interface KeyRow {
  id: string;
  agency_id: string;
  created_at: Date;
  revoked_at: Date | null;
}

const toAgency = (row: AgencyRow): Agency => ({
  id: row.id,
  code: row.code,
  name: row.name,
  createdAt: row.created_at,
});

const toKey = (row: KeyRow): AgencyKey => ({
  id: row.id,
  agencyId: row.agency_id,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/**
 * The PostgreSQL (and PGlite) implementation of {@link AgencyRepository}. Keys are stored as keyed hashes only
 * (computed by the caller); names are unique by their key (`name_key`, a unique index); every change is
 * audited (actor `admin`, no key material in the details).
 */
export function createPgAgencyRepository(db: Database): AgencyRepository {
  const insertKey = async (sql: Sql, agencyId: string, keyHash: string): Promise<AgencyKey> => {
    const { rows } = await sql.query<KeyRow>(
      `INSERT INTO agency_api_keys (agency_id, key_hash) VALUES ($1, $2)
       RETURNING id, agency_id, created_at, revoked_at`,
      [agencyId, keyHash],
    );
    const row = rows[0];
    if (!row) throw new Error('agency key insert returned no row');
    return toKey(row);
  };
  const audit = (sql: Sql, action: string, details: Record<string, string>) =>
    sql.query(`INSERT INTO audit_log (actor, action, details) VALUES ('admin', $1, $2)`, [
      action,
      JSON.stringify(details),
    ]);

  return {
    create: (agency) =>
      db.transaction(async (tx) => {
        const { rows } = await tx.query<AgencyRow>(
          `INSERT INTO agencies (code, name, name_key, webhook_secret_enc) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING RETURNING id, code, name, created_at`,
          [agency.code, agency.name, agencyNameKey(agency.name), agency.webhookSecret ?? null],
        );
        const row = rows[0];
        if (!row) {
          const taken = await tx.query('SELECT 1 FROM agencies WHERE code = $1', [agency.code]);
          return { type: taken.rowCount === 0 ? ('name_taken' as const) : ('code_taken' as const) };
        }
        const key = await insertKey(tx, row.id, agency.keyHash);
        await audit(tx, 'agency_created', { agencyId: row.id, agencyCode: row.code, keyId: key.id });
        return { type: 'created' as const, agency: toAgency(row), key };
      }),

    async findById(id) {
      if (!isUuid(id)) return null;
      const { rows } = await db.query<AgencyRow>(
        'SELECT id, code, name, created_at FROM agencies WHERE id = $1',
        [id],
      );
      return rows[0] ? toAgency(rows[0]) : null;
    },

    async findByKeyHash(keyHash) {
      const { rows } = await db.query<AgencyRow>(
        `SELECT a.id, a.code, a.name, a.created_at FROM agency_api_keys k JOIN agencies a ON a.id = k.agency_id
         WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
        [keyHash],
      );
      return rows[0] ? toAgency(rows[0]) : null;
    },

    async addKey(agencyId, keyHash) {
      if (!isUuid(agencyId)) return null;
      return db.transaction(async (tx) => {
        const { rowCount } = await tx.query('SELECT 1 FROM agencies WHERE id = $1 FOR UPDATE', [agencyId]);
        if (rowCount === 0) return null;
        const key = await insertKey(tx, agencyId, keyHash);
        await audit(tx, 'agency_key_added', { agencyId, keyId: key.id });
        return key;
      });
    },

    async revokeKey(agencyId, keyId, at) {
      if (!isUuid(agencyId) || !isUuid(keyId)) return false;
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<{ newly: boolean }>(
          `UPDATE agency_api_keys SET revoked_at = coalesce(revoked_at, $3)
           WHERE id = $2 AND agency_id = $1
           RETURNING (revoked_at = $3) AS newly`,
          [agencyId, keyId, at],
        );
        const row = rows[0];
        if (!row) return false;
        if (row.newly) await audit(tx, 'agency_key_revoked', { agencyId, keyId });
        return true;
      });
    },

    async setWebhookSecret(agencyId, sealedSecret) {
      if (!isUuid(agencyId)) return false;
      return db.transaction(async (tx) => {
        const { rowCount } = await tx.query('UPDATE agencies SET webhook_secret_enc = $2 WHERE id = $1', [
          agencyId,
          sealedSecret,
        ]);
        if (rowCount === 0) return false;
        await audit(tx, 'agency_webhook_secret_set', { agencyId });
        return true;
      });
    },

    async findWebhookSecret(agencyId) {
      if (!isUuid(agencyId)) return null;
      const { rows } = await db.query<{ webhook_secret_enc: string | null }>(
        'SELECT webhook_secret_enc FROM agencies WHERE id = $1',
        [agencyId],
      );
      return rows[0]?.webhook_secret_enc ?? null;
    },
  };
}
