import type {
  Citizen,
  CitizenProfile,
  CitizenStatus,
  ConsentEntry,
  ConsentRecord,
} from '../../domain/citizens/citizen.ts';
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
  closed_at: Date | null;
  purge_after: Date | null;
  registered_by_team_id: string | null;
  registered_by_member_id: string | null;
}

const COLUMNS =
  'id, account_code, status, mismatch_field, phone_enc, created_via, created_at, verified_at, closed_at, purge_after, registered_by_team_id, registered_by_member_id';

/** A purged account is gone for every lookup. */
const LIVE = 'purged_at IS NULL';

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
    closedAt: row.closed_at,
    purgeAfter: row.purge_after,
    registeredBy:
      row.registered_by_team_id === null || row.registered_by_member_id === null
        ? null
        : { teamId: row.registered_by_team_id, memberId: row.registered_by_member_id },
  });
  const phoneHash = (phone: string) => cipher.keyedHash('phone', phone);
  const cccdHash = (cccd: string) => cipher.keyedHash('cccd', cccd);
  const decryptOrNull = (sealed: string | null) => (sealed === null ? null : cipher.decrypt(sealed));

  const selectOne = async (sql: Sql, where: string, value: string): Promise<Citizen | null> => {
    const { rows } = await sql.query<CitizenRow>(
      `SELECT ${COLUMNS} FROM citizens WHERE ${where} = $1 AND ${LIVE}`,
      [value],
    );
    return rows[0] ? toCitizen(rows[0]) : null;
  };

  const audit = (sql: Sql, actor: string, action: string, citizenId: string, details: object) =>
    sql.query('INSERT INTO audit_log (actor, action, citizen_id, details) VALUES ($1, $2, $3, $4)', [
      actor,
      action,
      citizenId,
      JSON.stringify(details),
    ]);

  const insertConsent = (sql: Sql, citizenId: string, consent: ConsentRecord, at: Date | null) =>
    sql.query(
      `INSERT INTO consents (citizen_id, purpose, text_version, channel, language, given_at, how, with_team_id,
         with_member_id, assisted_request_id)
       VALUES ($1, $2, $3, $4, $5, coalesce($6, now()), $7, $8, $9, $10)`,
      [
        citizenId,
        consent.purpose,
        consent.textVersion,
        consent.channel,
        consent.language,
        at,
        consent.assisted?.how ?? 'self',
        consent.assisted?.teamId ?? null,
        consent.assisted?.memberId ?? null,
        consent.assisted?.requestId ?? null,
      ],
    );

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

  const findProfile = async (id: string): Promise<CitizenProfile | null> => {
    const { rows } = await db.query<{
      phone_enc: string;
      cccd_enc: string;
      full_name_enc: string;
      birth_date_enc: string;
      address_enc: string | null;
      email_enc: string | null;
    }>(
      `SELECT phone_enc, cccd_enc, full_name_enc, birth_date_enc, address_enc, email_enc
       FROM citizens WHERE id = $1 AND ${LIVE}`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      fullName: cipher.decrypt(row.full_name_enc),
      cccd: cipher.decrypt(row.cccd_enc),
      dateOfBirth: cipher.decrypt(row.birth_date_enc),
      phone: cipher.decrypt(row.phone_enc),
      address: decryptOrNull(row.address_enc),
      email: decryptOrNull(row.email_enc),
    };
  };

  return {
    create: (citizen) =>
      db.transaction(async (tx) => {
        const conflict = await classifyConflict(tx, citizen);
        if (conflict) return conflict;
        const inserted = await tx.query<CitizenRow>(
          `INSERT INTO citizens (account_code, phone_hash, phone_enc, cccd_hash, cccd_enc, full_name_enc,
             birth_date_enc, created_via, created_by_ref, registered_by_team_id, registered_by_member_id, simulated)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $8::text LIKE 'sim-%')
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
            citizen.registeredBy?.teamId ?? null,
            citizen.registeredBy?.memberId ?? null,
          ],
        );
        const row = inserted.rows[0];
        if (!row) {
          // A concurrent registration won the race between our check and our insert.
          return (await classifyConflict(tx, citizen)) ?? { type: 'code_taken' };
        }
        const { consent } = citizen;
        await insertConsent(tx, row.id, consent, null);
        await audit(tx, citizen.actor.kind, 'account_opened', row.id, {
          channel: citizen.createdVia,
          consentTextVersion: consent.textVersion,
          actorId: citizen.actor.id,
        });
        return { type: 'created', citizen: toCitizen(row) };
      }),

    findByPhone: (phone) => selectOne(db, 'phone_hash', phoneHash(phone)),
    findById: (id) => selectOne(db, 'id', id),
    findByAccountCode: (accountCode) => selectOne(db, 'account_code', accountCode),
    findByCccd: (cccd) => selectOne(db, 'cccd_hash', cccdHash(cccd)),

    async findIdentity(id) {
      const { rows } = await db.query<{ cccd_enc: string; full_name_enc: string; birth_date_enc: string }>(
        `SELECT cccd_enc, full_name_enc, birth_date_enc FROM citizens WHERE id = $1 AND ${LIVE}`,
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
           WHERE id = $1 AND ${LIVE} RETURNING ${COLUMNS}`,
          [id, verified ? 'verified' : 'not_matched', verified ? null : result.field],
        );
        const row = rows[0];
        if (!row) return null;
        await audit(
          tx,
          'registry',
          verified ? 'account_verified' : 'account_not_matched',
          id,
          verified ? {} : { field: result.field },
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
        `SELECT status, count(*)::int AS n FROM citizens WHERE ${LIVE} GROUP BY status`,
      );
      for (const row of rows) counts[row.status] = row.n;
      return counts;
    },

    findProfile,

    updateProfile: (id, changes, actor) =>
      db.transaction(async (tx) => {
        const fields = (['address', 'email'] as const).filter((field) => changes[field] !== undefined);
        const seal = (value: string | undefined) => (value === undefined ? null : cipher.encrypt(value));
        const { rowCount } = await tx.query(
          `UPDATE citizens SET address_enc = coalesce($2, address_enc), email_enc = coalesce($3, email_enc)
           WHERE id = $1 AND ${LIVE}`,
          [id, seal(changes.address), seal(changes.email)],
        );
        if (rowCount === 0) return false;
        await audit(tx, actor.actor, 'profile_updated', id, { fields, channel: actor.channel });
        return true;
      }),

    async listConsents(id) {
      const { rows } = await db.query<{
        purpose: string;
        text_version: string;
        channel: string;
        language: string;
        given_at: Date;
        withdrawn_at: Date | null;
        how: 'self' | 'reply' | 'code';
        with_team_id: string | null;
        with_member_id: string | null;
        assisted_request_id: string | null;
      }>(
        `SELECT purpose, text_version, channel, language, given_at, withdrawn_at, how, with_team_id,
           with_member_id, assisted_request_id
         FROM consents WHERE citizen_id = $1 ORDER BY id`,
        [id],
      );
      return rows.map(
        (row): ConsentEntry => ({
          purpose: row.purpose,
          textVersion: row.text_version,
          channel: row.channel,
          language: row.language,
          givenAt: row.given_at,
          withdrawnAt: row.withdrawn_at,
          ...(row.how === 'self'
            ? {}
            : {
                assisted: {
                  how: row.how,
                  teamId: row.with_team_id ?? '',
                  memberId: row.with_member_id ?? '',
                  requestId: row.assisted_request_id ?? '',
                },
              }),
        }),
      );
    },

    close: (id, closing) =>
      db.transaction(async (tx) => {
        const { rows } = await tx.query<CitizenRow>(
          `UPDATE citizens SET closed_at = $2, purge_after = $3
           WHERE id = $1 AND closed_at IS NULL AND ${LIVE} RETURNING ${COLUMNS}`,
          [id, closing.at, closing.purgeAfter],
        );
        const row = rows[0];
        if (!row) return selectOne(tx, 'id', id);
        await tx.query(
          'UPDATE consents SET withdrawn_at = $2 WHERE citizen_id = $1 AND withdrawn_at IS NULL',
          [id, closing.at],
        );
        await audit(tx, 'citizen', 'account_closed', id, {
          reason: closing.reason,
          channel: closing.channel,
          purgeAfter: closing.purgeAfter.toISOString(),
        });
        return toCitizen(row);
      }),

    reopen: (id, reopening) =>
      db.transaction(async (tx) => {
        const { rows } = await tx.query<CitizenRow>(
          `UPDATE citizens SET closed_at = NULL, purge_after = NULL
           WHERE id = $1 AND closed_at IS NOT NULL AND purge_after > $2 AND ${LIVE} RETURNING ${COLUMNS}`,
          [id, reopening.at],
        );
        const row = rows[0];
        if (!row) {
          const current = await selectOne(tx, 'id', id);
          return current && current.closedAt === null ? current : null;
        }
        await insertConsent(tx, id, reopening.consent, reopening.at);
        await audit(tx, 'citizen', 'account_reopened', id, {
          channel: reopening.consent.channel,
          consentTextVersion: reopening.consent.textVersion,
        });
        return toCitizen(row);
      }),

    async duePurges(at, limit = 100) {
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM citizens WHERE closed_at IS NOT NULL AND purge_after <= $1 AND ${LIVE}
         ORDER BY purge_after, id LIMIT $2`,
        [at, limit],
      );
      return rows.map((row) => row.id);
    },

    purge: (id, at) =>
      db.transaction(async (tx) => {
        const { rowCount } = await tx.query(
          `UPDATE citizens SET phone_hash = 'purged:' || id, cccd_hash = 'purged:' || id,
             phone_enc = '', cccd_enc = '', full_name_enc = '', birth_date_enc = '',
             address_enc = NULL, email_enc = NULL, created_by_ref = NULL, purged_at = $2
           WHERE id = $1 AND closed_at IS NOT NULL AND purge_after <= $2 AND ${LIVE}`,
          [id, at],
        );
        if (rowCount === 0) return false;
        await audit(tx, 'system', 'account_purged', id, {});
        return true;
      }),

    async recordDataExport(id, details) {
      await audit(db, 'citizen', 'data_exported', id, details);
    },
  };
}
