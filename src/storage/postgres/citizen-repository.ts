import type { Citizen, CitizenStatus } from '../../domain/citizens/citizen.ts';
import type {
  CitizenRepository,
  CreateCitizenOutcome,
  NewCitizen,
  VerificationOutcome,
} from '../../domain/citizens/citizen-repository.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import type { Database, Sql } from './database.ts';

interface CitizenRow {
  id: string;
  account_code: string;
  status: CitizenStatus;
  mismatch_field: Citizen['mismatchField'];
  phone_enc: string;
  created_via: string;
  created_at: Date;
  verified_at: Date | null;
}

const COLUMNS = 'id, account_code, status, mismatch_field, phone_enc, created_via, created_at, verified_at';

/** The PostgreSQL (and PGlite) implementation of {@link CitizenRepository}. */
export function createPgCitizenRepository(db: Database, cipher: DataCipher): CitizenRepository {
  const toCitizen = (row: CitizenRow): Citizen => ({
    id: row.id,
    accountCode: row.account_code,
    status: row.status,
    mismatchField: row.mismatch_field,
    phone: cipher.decrypt(row.phone_enc),
    createdVia: row.created_via,
    createdAt: row.created_at,
    verifiedAt: row.verified_at,
  });
  const phoneHash = (phone: string) => cipher.keyedHash('phone', phone);
  const cccdHash = (cccd: string) => cipher.keyedHash('cccd', cccd);

  const selectOne = async (sql: Sql, where: string, value: string): Promise<Citizen | null> => {
    const { rows } = await sql.query<CitizenRow>(`SELECT ${COLUMNS} FROM citizens WHERE ${where} = $1`, [
      value,
    ]);
    return rows[0] ? toCitizen(rows[0]) : null;
  };

  const classifyConflict = async (sql: Sql, citizen: NewCitizen): Promise<CreateCitizenOutcome | null> => {
    const byRef = await selectOne(sql, 'created_by_ref', citizen.createdByRef);
    if (byRef) return { type: 'created', citizen: byRef };
    const byPhone = await selectOne(sql, 'phone_hash', phoneHash(citizen.phone));
    if (byPhone) return { type: 'phone_taken', citizen: byPhone };
    const byCccd = await sql.query('SELECT 1 FROM citizens WHERE cccd_hash = $1', [cccdHash(citizen.cccd)]);
    if (byCccd.rowCount > 0) return { type: 'cccd_taken' };
    const byCode = await sql.query('SELECT 1 FROM citizens WHERE account_code = $1', [citizen.accountCode]);
    if (byCode.rowCount > 0) return { type: 'code_taken' };
    return null;
  };

  return {
    create: (citizen) =>
      db.transaction(async (tx) => {
        const conflict = await classifyConflict(tx, citizen);
        if (conflict) return conflict;
        const inserted = await tx.query<CitizenRow>(
          `INSERT INTO citizens (account_code, phone_hash, phone_enc, cccd_hash, cccd_enc, full_name_enc,
             birth_date_enc, created_via, created_by_ref)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT DO NOTHING
           RETURNING ${COLUMNS}`,
          [
            citizen.accountCode,
            phoneHash(citizen.phone),
            cipher.encrypt(citizen.phone),
            cccdHash(citizen.cccd),
            cipher.encrypt(citizen.cccd),
            cipher.encrypt(citizen.fullName),
            cipher.encrypt(citizen.dateOfBirth),
            citizen.createdVia,
            citizen.createdByRef,
          ],
        );
        const row = inserted.rows[0];
        if (!row) {
          // A concurrent registration won the race between our check and our insert.
          return (await classifyConflict(tx, citizen)) ?? { type: 'code_taken' };
        }
        const { consent } = citizen;
        await tx.query(
          'INSERT INTO consents (citizen_id, purpose, text_version, channel, language) VALUES ($1, $2, $3, $4, $5)',
          [row.id, consent.purpose, consent.textVersion, consent.channel, consent.language],
        );
        await tx.query(
          `INSERT INTO audit_log (actor, action, citizen_id, details) VALUES ('citizen', 'account_opened', $1, $2)`,
          [row.id, JSON.stringify({ channel: citizen.createdVia, consentTextVersion: consent.textVersion })],
        );
        return { type: 'created', citizen: toCitizen(row) };
      }),

    findByPhone: (phone) => selectOne(db, 'phone_hash', phoneHash(phone)),
    findById: (id) => selectOne(db, 'id', id),
    findByAccountCode: (accountCode) => selectOne(db, 'account_code', accountCode),
    findByCccd: (cccd) => selectOne(db, 'cccd_hash', cccdHash(cccd)),

    async findIdentity(id) {
      const { rows } = await db.query<{ cccd_enc: string; full_name_enc: string; birth_date_enc: string }>(
        'SELECT cccd_enc, full_name_enc, birth_date_enc FROM citizens WHERE id = $1',
        [id],
      );
      const row = rows[0];
      if (!row) return null;
      return {
        cccd: cipher.decrypt(row.cccd_enc),
        fullName: cipher.decrypt(row.full_name_enc),
        dateOfBirth: cipher.decrypt(row.birth_date_enc),
      };
    },

    recordVerification: (id, result: VerificationOutcome) =>
      db.transaction(async (tx) => {
        const verified = result.outcome === 'verified';
        const { rows } = await tx.query<CitizenRow>(
          `UPDATE citizens SET status = $2, mismatch_field = $3, checked_at = now(),
             verified_at = CASE WHEN $2 = 'verified' THEN coalesce(verified_at, now()) ELSE verified_at END
           WHERE id = $1 RETURNING ${COLUMNS}`,
          [id, verified ? 'verified' : 'not_matched', verified ? null : result.field],
        );
        const row = rows[0];
        if (!row) return null;
        await tx.query(
          `INSERT INTO audit_log (actor, action, citizen_id, details) VALUES ('registry', $2, $1, $3)`,
          [
            id,
            verified ? 'account_verified' : 'account_not_matched',
            JSON.stringify(verified ? {} : { field: result.field }),
          ],
        );
        return toCitizen(row);
      }),

    async recordCccdConflict(attempt) {
      await db.query(
        `INSERT INTO audit_log (actor, action, details) VALUES ('citizen', 'cccd_conflict', $1)`,
        [JSON.stringify({ channel: attempt.channel, phoneHash: phoneHash(attempt.phone) })],
      );
    },

    async countByStatus() {
      const counts: Record<CitizenStatus, number> = { provisional: 0, verified: 0, not_matched: 0 };
      const { rows } = await db.query<{ status: CitizenStatus; n: number }>(
        'SELECT status, count(*)::int AS n FROM citizens GROUP BY status',
      );
      for (const row of rows) counts[row.status] = row.n;
      return counts;
    },
  };
}
