import type { Contact, ContactRepository } from '../../domain/contacts/contact.ts';
import type { DataCipher } from '../../shared/crypto.ts';
import type { Database } from './database.ts';

interface ContactRow {
  channel: string;
  /** Null for an opted-out contact of a purged account, until it is seen again. */
  address_enc: string | null;
  language: 'vi' | 'en';
  opted_out_at: Date | null;
  citizen_id: string | null;
  linked_at: Date | null;
  phone_enc: string | null;
}

const COLUMNS = 'channel, address_enc, language, opted_out_at, citizen_id, linked_at, phone_enc';

/** The PostgreSQL (and PGlite) implementation of {@link ContactRepository}. */
export function createPgContactRepository(db: Database, cipher: DataCipher): ContactRepository {
  const hash = (channel: string, address: string) => cipher.keyedHash('address', `${channel}:${address}`);
  const toContact = (row: ContactRow, address?: string): Contact => ({
    channel: row.channel,
    address: row.address_enc === null ? (address ?? '') : cipher.decrypt(row.address_enc),
    language: row.language,
    optedOutAt: row.opted_out_at,
    citizenId: row.citizen_id,
    linkedAt: row.citizen_id === null ? null : row.linked_at,
    phone: row.phone_enc === null ? null : cipher.decrypt(row.phone_enc),
  });
  const ensure = (channel: string, address: string) =>
    db.query(
      `INSERT INTO contacts (channel, address_hash, address_enc) VALUES ($1, $2, $3)
       ON CONFLICT (channel, address_hash) DO UPDATE SET address_enc = EXCLUDED.address_enc
       WHERE contacts.address_enc IS NULL`,
      [channel, hash(channel, address), cipher.encrypt(address)],
    );
  const update = async (channel: string, address: string, set: string, value: unknown) => {
    await ensure(channel, address);
    await db.query(`UPDATE contacts SET ${set} = $3 WHERE channel = $1 AND address_hash = $2`, [
      channel,
      hash(channel, address),
      value,
    ]);
  };

  return {
    async touch(channel, address, at) {
      const { rows } = await db.query<ContactRow>(
        `INSERT INTO contacts (channel, address_hash, address_enc, last_inbound_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (channel, address_hash) DO UPDATE SET last_inbound_at = greatest(contacts.last_inbound_at, $4),
           address_enc = coalesce(contacts.address_enc, EXCLUDED.address_enc)
         RETURNING ${COLUMNS}`,
        [channel, hash(channel, address), cipher.encrypt(address), at],
      );
      const row = rows[0];
      if (!row) throw new Error('contact upsert returned no row');
      return toContact(row, address);
    },
    async find(channel, address) {
      const { rows } = await db.query<ContactRow>(
        `SELECT ${COLUMNS} FROM contacts WHERE channel = $1 AND address_hash = $2`,
        [channel, hash(channel, address)],
      );
      return rows[0] ? toContact(rows[0], address) : null;
    },
    setLanguage: (channel, address, language) => update(channel, address, 'language', language),
    setOptedOut: (channel, address, optedOut, at) =>
      update(channel, address, 'opted_out_at', optedOut ? at : null),
    async linkCitizen(channel, address, citizenId) {
      await ensure(channel, address);
      await db.query(
        `UPDATE contacts SET citizen_id = $3,
           linked_at = CASE WHEN citizen_id IS DISTINCT FROM $3 THEN now() ELSE linked_at END
         WHERE channel = $1 AND address_hash = $2`,
        [channel, hash(channel, address), citizenId],
      );
    },
    async setProvenPhone(channel, address, phone, proof, at) {
      await ensure(channel, address);
      await db.query(
        `UPDATE contacts SET phone_enc = $3, phone_hash = $4, phone_proof = $5, phone_proven_at = $6
         WHERE channel = $1 AND address_hash = $2`,
        [channel, hash(channel, address), cipher.encrypt(phone), cipher.keyedHash('phone', phone), proof, at],
      );
    },
    async findByCitizen(citizenId) {
      const { rows } = await db.query<ContactRow>(
        `SELECT ${COLUMNS} FROM contacts WHERE citizen_id = $1 ORDER BY last_inbound_at DESC NULLS LAST`,
        [citizenId],
      );
      return rows.map((row) => toContact(row));
    },
    async unlinkCitizen(citizenId) {
      await db.query('DELETE FROM contacts WHERE citizen_id = $1 AND opted_out_at IS NULL', [citizenId]);
      await db.query(
        `UPDATE contacts SET citizen_id = NULL, linked_at = NULL, address_enc = NULL, phone_enc = NULL,
           phone_hash = NULL, phone_proof = NULL, phone_proven_at = NULL
         WHERE citizen_id = $1`,
        [citizenId],
      );
    },
  };
}
