import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhoneProof } from '../../src/domain/contacts/contact.ts';
import { createDataCipher } from '../../src/shared/crypto.ts';
import { createPgContactRepository } from '../../src/storage/postgres/contact-repository.ts';
import { type Database, migrate, openDatabase } from '../../src/storage/postgres/database.ts';
import { createTestDatabase, insertBareCitizen } from '../support/services.ts';

// Migration 004 on a database that was at 003: links made by Zalo OA's information form (a claim, since) are
// revoked; proofs by code and by Telegram's own contact stay.

const MIGRATIONS = new URL('../../src/storage/postgres/migrations/', import.meta.url);
const cipher = createDataCipher(randomBytes(32));
const AT = new Date('2026-11-20T08:00:00Z');

describe('migration 004: a phone proven by the Zalo OA form alone is no longer proven', () => {
  let db: Database;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const test = await createTestDatabase();
    drop = test.drop;
    db = await openDatabase({ url: test.url, dataDir: 'unused' });
    await db.exec(
      'CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz DEFAULT now())',
    );
    for (const file of (await readdir(MIGRATIONS)).filter((f) => f < '004').sort()) {
      await db.exec(await readFile(new URL(file, MIGRATIONS), 'utf8'));
      await db.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file.slice(0, 3)]);
    }
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('unlinks and unproves those identities with an audit entry, keeps the others, and refuses the old proof', async () => {
    const contacts = createPgContactRepository(db, cipher);
    const citizenId = await insertBareCitizen(db, 1);
    const phone = '+84900000001';
    const proven = async (channel: string, address: string, how: string) => {
      await contacts.setProvenPhone(channel, address, phone, how as PhoneProof, AT);
      await contacts.linkCitizen(channel, address, citizenId);
    };
    await proven('zalo-oa', 'zalo-user-1', 'zalo_info');
    await proven('zalo-oa', 'zalo-user-2', 'otp');
    await proven('telegram', '777001', 'telegram_contact');

    await expect(migrate(db)).resolves.toContain('004');

    await expect(contacts.find('zalo-oa', 'zalo-user-1')).resolves.toMatchObject({
      phone: null,
      citizenId: null,
      linkedAt: null,
    });
    await expect(contacts.find('zalo-oa', 'zalo-user-2')).resolves.toMatchObject({ phone, citizenId });
    await expect(contacts.find('telegram', '777001')).resolves.toMatchObject({ phone, citizenId });
    const { rows } = await db.query<{ citizen_id: string; details: unknown }>(
      `SELECT citizen_id, details FROM audit_log WHERE action = 'phone_proof_revoked'`,
    );
    expect(rows).toEqual([{ citizen_id: citizenId, details: { channel: 'zalo-oa', proof: 'zalo_info' } }]);
    await expect(
      contacts.setProvenPhone('zalo-oa', 'zalo-user-3', phone, 'zalo_info' as PhoneProof, AT),
    ).rejects.toThrow(/contacts_phone_proof_check/);
  });
});
