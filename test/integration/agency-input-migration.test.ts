import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataCipher } from '../../src/shared/crypto.ts';
import { createPgAgencyRepository } from '../../src/storage/postgres/agency-repository.ts';
import { type Database, migrate, openDatabase } from '../../src/storage/postgres/database.ts';
import { createPgDossierRepository } from '../../src/storage/postgres/dossier-repository.ts';
import { createTestDatabase, insertBareCitizen } from '../support/services.ts';

const MIGRATIONS = new URL('../../src/storage/postgres/migrations/', import.meta.url);
const cipher = createDataCipher(randomBytes(32));

/** Applies the migrations before 006, as a database that ran an earlier release has them. */
async function migrateBefore006(db: Database): Promise<void> {
  await db.exec(
    'CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  for (const file of (await readdir(MIGRATIONS)).filter((f) => /^\d{3}-.+\.sql$/.test(f)).sort()) {
    if (file >= '006') break;
    await db.exec(await readFile(new URL(file, MIGRATIONS), 'utf8'));
    await db.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file.slice(0, 3)]);
  }
}

const kinds = {
  PGlite: async () => {
    const db = await openDatabase({ url: undefined, dataDir: 'memory://' });
    return { db, drop: async () => {} };
  },
  PostgreSQL: async () => {
    const test = await createTestDatabase();
    return { db: await openDatabase({ url: test.url, dataDir: 'unused' }), drop: test.drop };
  },
};

describe.each(Object.entries(kinds))('migration 006 over existing look-alikes (%s)', (_name, open) => {
  let db: Database;
  let drop: () => Promise<void>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ({ db, drop } = await open());
    await migrateBefore006(db);
    const citizenId = await insertBareCitizen(db, 1);
    const agency = async (code: string, name: string, daysAgo: number) => {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO agencies (code, name, created_at) VALUES ($1, $2, now() - make_interval(days => $3))
         RETURNING id`,
        [code, name, daysAgo],
      );
      ids[code] = rows[0]?.id ?? '';
    };
    // Created before names were unique: three spellings of one name, and another name.
    await agency('UBND-HAICHAU', 'UBND phường Hải Châu', 30);
    await agency('UBND-HC-2', '  ubnd  PHUONG hai chau ', 20);
    await agency('UBND-HC-3', 'ＵＢＮＤ Phường Hải Châu'.normalize('NFD'), 10);
    await agency('SO-TUPHAP', 'Sở Tư pháp', 5);
    const dossier = async (code: string, agencyCode: string, daysAgo: number) => {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO dossiers (code, agency_id, citizen_id, procedure, status, last_seq, created_at, updated_at)
         VALUES ($1, $2, $3, 'Đăng ký khai sinh', 'received', 0, now() - make_interval(days => $4), now())
         RETURNING id`,
        [code, ids[agencyCode], citizenId, daysAgo],
      );
      ids[code] = rows[0]?.id ?? '';
    };
    // Created before codes were case-insensitive: a look-alike of another agency's code, and one of its own.
    await dossier('hs-001', 'UBND-HAICHAU', 9);
    await dossier('HS-001', 'SO-TUPHAP', 8);
    await dossier('Hs-001', 'UBND-HAICHAU', 7);
    await dossier('abc.x/1', 'SO-TUPHAP', 6);
    await dossier('000.00.20.H17-1', 'SO-TUPHAP', 5);

    await expect(migrate(db)).resolves.toEqual(expect.arrayContaining(['006']));
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('puts every dossier code in upper case; the oldest of look-alikes keeps the code, the others get ~n', async () => {
    const { rows } = await db.query<{ id: string; code: string }>(
      'SELECT id, code FROM dossiers ORDER BY code',
    );

    expect(rows).toEqual([
      { id: ids['000.00.20.H17-1'], code: '000.00.20.H17-1' },
      { id: ids['abc.x/1'], code: 'ABC.X/1' },
      { id: ids['hs-001'], code: 'HS-001' },
      { id: ids['HS-001'], code: 'HS-001~2' },
      { id: ids['Hs-001'], code: 'HS-001~3' },
    ]);
  });

  it('writes each rename in the audit log', async () => {
    const { rows } = await db.query<{ actor: string; details: Record<string, string> }>(
      `SELECT actor, details FROM audit_log WHERE action = 'dossier_code_renamed' ORDER BY details->>'code'`,
    );

    expect(rows).toEqual([
      {
        actor: 'system',
        details: { agencyId: ids['SO-TUPHAP'], dossierId: ids['HS-001'], code: 'HS-001~2' },
      },
      {
        actor: 'system',
        details: { agencyId: ids['UBND-HAICHAU'], dossierId: ids['Hs-001'], code: 'HS-001~3' },
      },
    ]);
  });

  it('keeps the oldest agency of a name as its holder, the later look-alikes keep their names', async () => {
    const { rows } = await db.query<{ code: string; name_key: string | null }>(
      'SELECT code, name_key FROM agencies ORDER BY code',
    );

    expect(rows).toEqual([
      { code: 'SO-TUPHAP', name_key: 'so tu phap' },
      { code: 'UBND-HAICHAU', name_key: 'ubnd phuong hai chau' },
      { code: 'UBND-HC-2', name_key: null },
      { code: 'UBND-HC-3', name_key: null },
    ]);
  });

  it('then refuses a new look-alike of a name or a code', async () => {
    const agencies = createPgAgencyRepository(db);
    const dossiers = createPgDossierRepository(db, cipher);

    const named = await agencies.create({ code: 'NEW-1', name: 'Ubnd Phường Hải Châu', keyHash: 'k1' });
    const renamed = await dossiers.findByCode('hs-001~2');
    const claimed = await dossiers.upsert({
      agencyId: ids['SO-TUPHAP'] ?? '',
      code: 'hs-001',
      citizenId: renamed?.citizenId ?? '',
      procedure: 'Đăng ký khai sinh',
      status: 'processing',
      expectedAt: null,
      note: null,
      at: new Date(),
    });

    expect(named).toEqual({ type: 'name_taken' });
    expect(renamed).toMatchObject({ id: ids['HS-001'], agency: { code: 'SO-TUPHAP' } });
    expect(claimed).toEqual({ type: 'other_agency' });
    await expect(
      db.query(
        `INSERT INTO dossiers (code, agency_id, citizen_id, procedure, status) VALUES ('hs-002', $1, $2, 'x', 'received')`,
        [ids['SO-TUPHAP'], renamed?.citizenId],
      ),
    ).rejects.toThrow(/dossiers_code_normal/);
  });
});
