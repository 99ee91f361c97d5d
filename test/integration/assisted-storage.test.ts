import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDataCipher } from '../../src/shared/crypto.ts';
import { createPgAssistedRequestRepository } from '../../src/storage/postgres/assisted-request-repository.ts';
import { createPgCitizenRepository } from '../../src/storage/postgres/citizen-repository.ts';
import type { Database } from '../../src/storage/postgres/database.ts';
import {
  describeAssistedRequestRepositoryContract,
  newRequest,
} from '../contracts/assisted-request-repository.contract.ts';
import { accountOpener } from '../contracts/citizen-repository.contract.ts';
import { InMemoryAssistedRequestRepository } from '../fakes/in-memory-assisted-request-repository.ts';
import { contractDatabases } from '../support/contract-databases.ts';

const cipher = createDataCipher(randomBytes(32));
const TABLES = 'assisted_requests, team_members, teams, citizens, consents, audit_log';

// One PGlite and one PostgreSQL database for the whole file.
const databases = contractDatabases();

/** Empties the tables; TRUNCATE does not fire the audit log's row triggers. */
const truncate = (db: Database) => db.exec(`TRUNCATE ${TABLES} RESTART IDENTITY CASCADE`);

let invites = 0;

/** A team with one member, stored straight in the tables (the team repository is not what is tested here). */
async function insertMember(db: Database): Promise<{ teamId: string; memberId: string }> {
  invites += 1;
  const team = await db.query<{ id: string }>(
    `INSERT INTO teams (name, ward_code, invite_code) VALUES ('Tổ 1', '20194', $1) RETURNING id`,
    [`INV${String(invites).padStart(5, '0')}`],
  );
  const teamId = team.rows[0]?.id ?? '';
  const member = await db.query<{ id: string }>(
    `INSERT INTO team_members (team_id, phone_hash, phone_enc, role, channel, address_enc)
     VALUES ($1, $2, $3, 'member', 'zalo-oa', $4) RETURNING id`,
    [teamId, `hash-${randomUUID()}`, cipher.encrypt('+84905000111'), cipher.encrypt('246845883529197922')],
  );
  return { teamId, memberId: member.rows[0]?.id ?? '' };
}

for (const [name, database] of Object.entries(databases)) {
  describeAssistedRequestRepositoryContract(name, async () => {
    const db = await database.get();
    return {
      repository: createPgAssistedRequestRepository(db, cipher),
      newMember: () => insertMember(db),
      newCitizenId: accountOpener(createPgCitizenRepository(db, cipher)),
      reset: () => truncate(db),
      close: async () => {},
    };
  });

  describe(`${name} assisted requests at rest`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await database.get();
    });
    beforeEach(async () => {
      await truncate(db);
    });

    it('keeps the neighbour’s data and the volunteer’s chat encrypted, the code only as a hash, the audit ids only', async () => {
      const repository = createPgAssistedRequestRepository(db, cipher);
      const member = await insertMember(db);
      const outcome = await repository.create(
        newRequest(member, { neighbourPhone: '+84905123456', codeHash: 'keyed-hash-of-code' }),
        { maxPending: 3, maxPerHour: 60 },
      );
      if (outcome.type !== 'created') throw new Error(outcome.type);
      const { rows } = await db.query('SELECT to_jsonb(r) AS row FROM assisted_requests r');
      const raw = JSON.stringify(rows);
      for (const secret of [
        '905123456',
        'Trần Thị Bé',
        'Tran Thi Be',
        '048150001234',
        '1950-01-01',
        '246845883529197922',
      ])
        expect(raw).not.toContain(secret);
      expect(raw).toContain('keyed-hash-of-code');

      await repository.decide(
        outcome.request.id,
        { type: 'reply', answer: 'no' },
        new Date('2026-11-27T03:01:00Z'),
        5,
      );
      const after = await db.query<Record<string, unknown>>('SELECT * FROM assisted_requests');
      expect(after.rows[0]).toMatchObject({
        status: 'refused',
        neighbour_phone_hash: null,
        neighbour_phone_enc: null,
        full_name_enc: null,
        cccd_enc: null,
        birth_date_enc: null,
        volunteer_address_enc: null,
        code_hash: null,
      });
      const audit = await db.query<{ actor: string; action: string; details: Record<string, unknown> }>(
        'SELECT actor, action, details FROM audit_log ORDER BY id',
      );
      expect(audit.rows).toEqual([
        {
          actor: 'volunteer',
          action: 'assisted_requested',
          details: { requestId: outcome.request.id, ...member },
        },
        {
          actor: 'citizen',
          action: 'assisted_refused',
          details: { requestId: outcome.request.id, ...member },
        },
      ]);
    });
  });
}

describeAssistedRequestRepositoryContract('in-memory fake', async () => {
  const fixture = {
    repository: new InMemoryAssistedRequestRepository(),
    newMember: async () => ({ teamId: randomUUID(), memberId: randomUUID() }),
    newCitizenId: async () => randomUUID(),
    reset: async () => {
      fixture.repository = new InMemoryAssistedRequestRepository();
    },
    close: async () => {},
  };
  return fixture;
});
