import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Agency } from '../../src/domain/agencies/agency.ts';
import { createDataCipher } from '../../src/shared/crypto.ts';
import { createFsFileStore } from '../../src/storage/files/fs-file-store.ts';
import { createPgAgencyRepository } from '../../src/storage/postgres/agency-repository.ts';
import { createPgCitizenRepository } from '../../src/storage/postgres/citizen-repository.ts';
import { createPgDataRequestRepository } from '../../src/storage/postgres/data-request-repository.ts';
import type { Database } from '../../src/storage/postgres/database.ts';
import { createPgDocumentRepository } from '../../src/storage/postgres/document-repository.ts';
import { createPgDossierRepository } from '../../src/storage/postgres/dossier-repository.ts';
import { describeAgencyRepositoryContract } from '../contracts/agency-repository.contract.ts';
import { accountOpener } from '../contracts/citizen-repository.contract.ts';
import { describeDataRequestRepositoryContract } from '../contracts/data-request-repository.contract.ts';
import {
  describeDocumentRepositoryContract,
  newDocument,
} from '../contracts/document-repository.contract.ts';
import { describeDossierRepositoryContract } from '../contracts/dossier-repository.contract.ts';
import { describeFileStoreContract, readAll } from '../contracts/file-store.contract.ts';
import { InMemoryAgencyRepository } from '../fakes/in-memory-agency-repository.ts';
import { InMemoryDataRequestRepository } from '../fakes/in-memory-data-request-repository.ts';
import { InMemoryDocumentRepository } from '../fakes/in-memory-document-repository.ts';
import { InMemoryDossierRepository } from '../fakes/in-memory-dossier-repository.ts';
import { InMemoryFileStore } from '../fakes/in-memory-file-store.ts';
import { contractDatabases } from '../support/contract-databases.ts';

const masterKey = randomBytes(32);
const cipher = createDataCipher(masterKey);

// One PGlite and one PostgreSQL database for the whole file.
const databases = contractDatabases();

/** Empties the tables of the data store; TRUNCATE does not fire the audit log's row triggers. */
const truncate = (db: Database) => db.exec('TRUNCATE citizens, audit_log, agencies RESTART IDENTITY CASCADE');

/** Makes accounts and agencies in a database, for papers and dossiers to belong to. */
function owners(db: Database) {
  const agencies = createPgAgencyRepository(db);
  return {
    newCitizenId: accountOpener(createPgCitizenRepository(db, cipher)),
    async newAgency(code: string, name: string): Promise<Agency> {
      const outcome = await agencies.create({ code, name, keyHash: `hash-${randomUUID()}` });
      if (outcome.type !== 'created') throw new Error(`could not create an agency: ${outcome.type}`);
      return outcome.agency;
    },
  };
}

for (const [name, database] of Object.entries(databases)) {
  describeAgencyRepositoryContract(name, async () => {
    const db = await database.get();
    return {
      repository: createPgAgencyRepository(db),
      reset: () => truncate(db),
      close: async () => {},
    };
  });

  describeDocumentRepositoryContract(name, async () => {
    const db = await database.get();
    return {
      repository: createPgDocumentRepository(db, cipher),
      ...owners(db),
      reset: () => truncate(db),
      close: async () => {},
    };
  });

  describeDossierRepositoryContract(name, async () => {
    const db = await database.get();
    return {
      repository: createPgDossierRepository(db, cipher),
      ...owners(db),
      reset: () => truncate(db),
      close: async () => {},
    };
  });

  describeDataRequestRepositoryContract(name, async () => {
    const db = await database.get();
    return {
      repository: createPgDataRequestRepository(db, cipher),
      ...owners(db),
      reset: () => truncate(db),
      close: async () => {},
    };
  });

  describe(`${name} data store`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await database.get();
    });
    beforeEach(async () => {
      await truncate(db);
    });

    it('stores paper numbers, dossier notes and data request purposes encrypted, and audits agencies without personal data', async () => {
      const { newCitizenId, newAgency } = owners(db);
      const agency = await newAgency('UBND-HAICHAU', 'UBND phường Hải Châu');
      const citizenId = await newCitizenId();
      await createPgDocumentRepository(db, cipher).issue(
        newDocument(agency.id, citizenId, { number: 'KS-SECRET-0042' }),
      );
      await createPgDossierRepository(db, cipher).upsert({
        agencyId: agency.id,
        code: 'HS-0001',
        citizenId,
        procedure: 'Đăng ký khai sinh',
        status: 'needs_more_info',
        expectedAt: null,
        note: 'Bổ sung giấy chứng sinh của Nguyễn Văn An',
        at: new Date(),
      });
      await createPgDataRequestRepository(db, cipher).create(
        {
          agencyId: agency.id,
          citizenId,
          purpose: 'Đăng ký thường trú cho Nguyễn Văn An',
          fields: ['fullName'],
          documentTypes: ['KHAISINH'],
          callbackUrl: null,
          createdAt: new Date(),
          expiresAt: new Date(Date.now() + 3600_000),
        },
        20,
      );

      const raw = await db.query(
        `SELECT to_jsonb(d) AS row FROM documents d UNION ALL SELECT to_jsonb(s) FROM dossiers s
         UNION ALL SELECT to_jsonb(e) FROM dossier_events e UNION ALL SELECT to_jsonb(a) FROM audit_log a
         UNION ALL SELECT to_jsonb(r) FROM data_requests r`,
      );
      const dump = JSON.stringify(raw.rows);
      expect(dump).toContain('HS-0001');
      expect(dump).not.toMatch(/KS-SECRET-0042|Nguyễn Văn An|giấy chứng sinh/);
      const audit = await db.query<{ actor: string; action: string; citizen_id: string | null }>(
        'SELECT actor, action, citizen_id FROM audit_log ORDER BY id',
      );
      expect(audit.rows.map((r) => [r.actor, r.action, r.citizen_id])).toEqual([
        ['admin', 'agency_created', null],
        ['citizen', 'account_opened', citizenId],
        ['agency', 'document_issued', citizenId],
        ['agency', 'dossier_created', citizenId],
        ['agency', 'data_request_created', citizenId],
      ]);
    });
  });
}

describeAgencyRepositoryContract('in-memory fake', async () => {
  const fixture = {
    repository: new InMemoryAgencyRepository(),
    reset: async () => {
      fixture.repository = new InMemoryAgencyRepository();
    },
    close: async () => {},
  };
  return fixture;
});

/** A fake repository over fresh in-memory agencies, with the owners it needs. */
function fakeFixture<R>(make: (agencies: InMemoryAgencyRepository) => R) {
  let agencies = new InMemoryAgencyRepository();
  const fixture = {
    repository: make(agencies),
    newCitizenId: async () => randomUUID(),
    async newAgency(code: string, name: string) {
      const outcome = await agencies.create({ code, name, keyHash: `hash-${randomUUID()}` });
      if (outcome.type !== 'created') throw new Error(`could not create an agency: ${outcome.type}`);
      return outcome.agency;
    },
    reset: async () => {
      agencies = new InMemoryAgencyRepository();
      fixture.repository = make(agencies);
    },
    close: async () => {},
  };
  return fixture;
}

describeDocumentRepositoryContract('in-memory fake', async () =>
  fakeFixture((agencies) => new InMemoryDocumentRepository(agencies)),
);
describeDossierRepositoryContract('in-memory fake', async () =>
  fakeFixture((agencies) => new InMemoryDossierRepository(agencies)),
);
describeDataRequestRepositoryContract('in-memory fake', async () =>
  fakeFixture((agencies) => new InMemoryDataRequestRepository(agencies)),
);

/** Flips one byte in the middle of a file. */
async function flipByte(file: string): Promise<void> {
  const bytes = await readFile(file);
  const middle = Math.floor(bytes.length / 2);
  bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
  await writeFile(file, bytes);
}

describeFileStoreContract('on disk', async () => {
  let dir = await mkdtemp(path.join(tmpdir(), 'dcz-files-'));
  const fixture = {
    store: createFsFileStore(dir, masterKey),
    alter: (key: string) => flipByte(path.join(dir, `${key}.enc`)),
    leftovers: async () => readdir(dir),
    async reset() {
      await rm(dir, { recursive: true, force: true });
      dir = await mkdtemp(path.join(tmpdir(), 'dcz-files-'));
      fixture.store = createFsFileStore(dir, masterKey);
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
  return fixture;
});

describeFileStoreContract('in-memory fake', async () => {
  const fixture = {
    store: new InMemoryFileStore(),
    async alter(key: string) {
      const bytes = fixture.store.files.get(key);
      if (!bytes) throw new Error(`no file ${key}`);
      bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] ?? 0) ^ 0xff;
    },
    leftovers: async () => [...fixture.store.files.keys()],
    reset: async () => {
      fixture.store = new InMemoryFileStore();
    },
    close: async () => {},
  };
  return fixture;
});

describe('files on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dcz-files-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Title (Giay khai sinh Nguyen Van An) >> endobj\n%%EOF\n');

  it('keeps files encrypted at rest: the plaintext is nowhere on disk', async () => {
    await createFsFileStore(dir, masterKey).put('doc-1', Readable.from([pdf]));

    const files = await readdir(dir);
    expect(files).toEqual(['doc-1.enc']);
    const onDisk = await readFile(path.join(dir, 'doc-1.enc'));
    expect(onDisk.includes(Buffer.from('Nguyen Van An'))).toBe(false);
    expect(onDisk.includes(Buffer.from('%PDF'))).toBe(false);
  });

  it('fails the stream, never serving plaintext silently, with another master key or a file moved to another key', async () => {
    const store = createFsFileStore(dir, masterKey);
    await store.put('doc-1', Readable.from([pdf]));
    const other = createFsFileStore(dir, randomBytes(32));
    const otherRead = await other.get('doc-1');
    await expect(otherRead && readAll(otherRead)).rejects.toThrow(/altered/);

    await writeFile(path.join(dir, 'doc-2.enc'), await readFile(path.join(dir, 'doc-1.enc')));
    const moved = await store.get('doc-2');
    await expect(moved && readAll(moved)).rejects.toThrow(/altered/);
  });

  it('fails the stream of a truncated file', async () => {
    const store = createFsFileStore(dir, masterKey);
    await store.put('doc-1', Readable.from([randomBytes(100_000)]));
    const file = path.join(dir, 'doc-1.enc');
    await writeFile(file, (await readFile(file)).subarray(0, 50_000));

    const stream = await store.get('doc-1');

    await expect(stream && readAll(stream)).rejects.toThrow(/altered/);
  });

  it('refuses keys that could leave its directory', async () => {
    const store = createFsFileStore(dir, masterKey);

    await expect(store.put('../escape', Readable.from([pdf]))).rejects.toThrow(/file keys/);
    await expect(store.get('a/b')).rejects.toThrow(/file keys/);
  });
});
