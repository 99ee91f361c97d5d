import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDataCipher } from '../../src/shared/crypto.ts';
import { createPgCitizenRepository } from '../../src/storage/postgres/citizen-repository.ts';
import type { Database } from '../../src/storage/postgres/database.ts';
import { createPgShareRepository } from '../../src/storage/postgres/share-repository.ts';
import { accountOpener } from '../contracts/citizen-repository.contract.ts';
import { describeShareRepositoryContract, newShare, viewAt } from '../contracts/share-repository.contract.ts';
import { InMemoryShareRepository } from '../fakes/in-memory-share-repository.ts';
import { contractDatabases } from '../support/contract-databases.ts';

const cipher = createDataCipher(randomBytes(32));
const TABLES = 'citizens, consents, audit_log, agencies, documents, shares, share_views';

// One PGlite and one PostgreSQL database for the whole file.
const databases = contractDatabases();

/** Stores papers straight in the tables (the document repository is not under test here). */
function paperMaker(db: Database) {
  const openAccount = accountOpener(createPgCitizenRepository(db, cipher));
  let n = 0;
  return async (citizenId?: string) => {
    n += 1;
    const holder = citizenId ?? (await openAccount());
    const agency = await db.query<{ id: string }>(
      `INSERT INTO agencies (code, name) VALUES ($1, 'UBND phường Hải Châu') RETURNING id`,
      [`AG-${randomUUID()}`],
    );
    const documentId = randomUUID();
    await db.query(
      `INSERT INTO documents (id, citizen_id, agency_id, number_hash, number_enc, type_code, title, issued_at,
         content_type, size_bytes, sha256, file_key, signature, signing_key_id)
       VALUES ($1, $2, $3, $4, $5, 'KHAISINH', 'Giấy khai sinh', '2025-05-01', 'application/pdf', 10,
         $6, $7, 'sig', 'key')`,
      [
        documentId,
        holder,
        agency.rows[0]?.id,
        `number-${n}`,
        cipher.encrypt(`KS-${n}`),
        '0'.repeat(64),
        `file-${documentId}`,
      ],
    );
    return { citizenId: holder, documentId };
  };
}

for (const [name, database] of Object.entries(databases)) {
  describeShareRepositoryContract(name, async () => {
    const db = await database.get();
    return {
      repository: createPgShareRepository(db, cipher),
      newPaper: paperMaker(db),
      reset: () => db.exec(`TRUNCATE ${TABLES} RESTART IDENTITY CASCADE`),
      close: async () => {},
    };
  });
}

describeShareRepositoryContract('in-memory fake', async () => {
  const fixture = {
    repository: new InMemoryShareRepository(),
    newPaper: async (citizenId?: string) => ({
      citizenId: citizenId ?? randomUUID(),
      documentId: randomUUID(),
    }),
    reset: async () => {
      fixture.repository = new InMemoryShareRepository();
    },
    close: async () => {},
  };
  return fixture;
});

describe('shares at rest (PGlite)', () => {
  it('keeps no token and no viewer place in clear', async () => {
    const db = await databases.PGlite.get();
    const shares = createPgShareRepository(db, cipher);
    const paper = await paperMaker(db)();
    const share = await shares.create(
      newShare(paper, { tokenHash: cipher.keyedHash('share-token-hash', 'tok') }),
    );
    await shares.recordView(share.id, viewAt(0, { place: 'Hội An' }));
    const { rows } = await db.query(
      'SELECT to_jsonb(s) AS row FROM shares s UNION ALL SELECT to_jsonb(v) FROM share_views v',
    );
    const text = JSON.stringify(rows);
    expect(text).not.toMatch(/"tok"|Hội An|Hoi An/);
    await expect(shares.recentViews(share.id, 1)).resolves.toEqual([viewAt(0, { place: 'Hội An' })]);
  });
});
