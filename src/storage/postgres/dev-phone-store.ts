import type { DataCipher } from '../../shared/crypto.ts';
import type { Sql } from './database.ts';

/** A phone development mode adopted, as the phones page lists it. */
export interface DevPhone {
  /** E.164. */
  readonly phone: string;
  readonly adoptedAt: Date;
  /** The last text shown to it or sent from it. */
  readonly lastTextAt: Date;
}

/**
 * The development phones development mode adopted (table `dev_phones`, docs/channels/web.md): looked up by a
 * keyed hash of the phone, the phone itself kept encrypted for the page's list.
 */
export function createPgDevPhoneStore(
  db: Sql,
  cipher: Pick<DataCipher, 'encrypt' | 'decrypt' | 'keyedHash'>,
) {
  const hashOf = (phone: string) => cipher.keyedHash('dev-phone', phone);
  return {
    /** Whether `phone` was adopted; when it was, its last text is now `at`. */
    async touch(phone: string, at: Date): Promise<boolean> {
      const { rowCount } = await db.query(
        'UPDATE dev_phones SET last_text_at = GREATEST(last_text_at, $2) WHERE phone_hash = $1',
        [hashOf(phone), at],
      );
      return rowCount > 0;
    },
    /** Adopts `phone` (once: adopting it again changes nothing). */
    async adopt(phone: string, at: Date): Promise<void> {
      await db.query(
        `INSERT INTO dev_phones (phone_hash, phone_enc, adopted_at, last_text_at) VALUES ($1, $2, $3, $3)
         ON CONFLICT (phone_hash) DO NOTHING`,
        [hashOf(phone), cipher.encrypt(phone), at],
      );
    },
    /** The adopted phones, the most recently texted first (at most `limit`). */
    async list(limit = 100): Promise<DevPhone[]> {
      const { rows } = await db.query<{ phone_enc: string; adopted_at: Date; last_text_at: Date }>(
        'SELECT phone_enc, adopted_at, last_text_at FROM dev_phones ORDER BY last_text_at DESC LIMIT $1',
        [limit],
      );
      return rows.map((row) => ({
        phone: cipher.decrypt(row.phone_enc),
        adoptedAt: new Date(row.adopted_at),
        lastTextAt: new Date(row.last_text_at),
      }));
    },
  };
}

/** The store of adopted development phones. */
export type DevPhoneStore = ReturnType<typeof createPgDevPhoneStore>;
