import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDataCipher } from '../../src/shared/crypto.ts';
import { createPgCitizenRepository } from '../../src/storage/postgres/citizen-repository.ts';
import type { Database } from '../../src/storage/postgres/database.ts';
import { createPgHandoffRepository } from '../../src/storage/postgres/handoff-repository.ts';
import { accountOpener } from '../contracts/citizen-repository.contract.ts';
import { describeHandoffRepositoryContract, newHandoff } from '../contracts/handoff-repository.contract.ts';
import { InMemoryHandoffRepository } from '../fakes/in-memory-handoff-repository.ts';
import { contractDatabases } from '../support/contract-databases.ts';

const cipher = createDataCipher(randomBytes(32));
const TABLES = 'handoff_messages, handoffs, team_members, teams, citizens, consents, audit_log';
const databases = contractDatabases();

/** Empties every table; TRUNCATE does not fire the audit log's row triggers. */
const truncate = (db: Database) => db.exec(`TRUNCATE ${TABLES} RESTART IDENTITY CASCADE`);

/** A team of `wardCode` with one member, straight into the tables (the team repository is tested elsewhere). */
async function insertMember(db: Database, wardCode = '20194') {
  const team = await db.query<{ id: string }>(
    `INSERT INTO teams (name, ward_code, invite_code) VALUES ($1, $2, $3) RETURNING id`,
    [`Tổ ${randomUUID().slice(0, 6)}`, wardCode, randomUUID().slice(0, 8).toUpperCase()],
  );
  const teamId = team.rows[0]?.id ?? '';
  const phone = `+8490${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const member = await db.query<{ id: string }>(
    `INSERT INTO team_members (team_id, phone_hash, phone_enc, role, channel, address_enc)
     VALUES ($1, $2, $3, 'leader', 'twilio-sms', $4) RETURNING id`,
    [teamId, cipher.keyedHash('phone', phone), cipher.encrypt(phone), cipher.encrypt(phone)],
  );
  return { teamId, memberId: member.rows[0]?.id ?? '' };
}

for (const [name, database] of Object.entries(databases)) {
  describeHandoffRepositoryContract(name, async () => {
    const db = await database.get();
    return {
      repository: createPgHandoffRepository(db, cipher),
      newMember: (wardCode) => insertMember(db, wardCode),
      newCitizenId: accountOpener(createPgCitizenRepository(db, cipher)),
      reset: () => truncate(db),
      close: async () => {},
    };
  });
}

describeHandoffRepositoryContract('in-memory fake', async () => {
  const fixture = {
    repository: new InMemoryHandoffRepository(),
    newMember: async () => ({ teamId: randomUUID(), memberId: randomUUID() }),
    newCitizenId: async () => randomUUID(),
    reset: async () => {
      fixture.repository = new InMemoryHandoffRepository();
    },
    close: async () => {},
  };
  return fixture;
});

for (const [name, database] of Object.entries(databases)) {
  describe(`${name} hand-off storage`, () => {
    let db: Database;
    const AT = new Date('2026-11-27T03:00:00Z');

    beforeAll(async () => {
      db = await database.get();
    });
    beforeEach(async () => {
      await truncate(db);
    });

    it('stores the thread and both chats encrypted, and audits with ids only', async () => {
      const repo = createPgHandoffRepository(db, cipher);
      const member = await insertMember(db);
      const citizenChat = { channel: 'twilio-sms', address: '+84905123456' };
      const { handoff } = await repo.open(
        newHandoff({ chat: citizenChat, firstMessage: 'CCCD của tôi là 048090001234' }),
        AT,
      );
      await repo.take(
        handoff.id,
        { ...member, chat: { channel: 'zalo-oa', address: '246845883529197922' } },
        AT,
      );
      await repo.append(handoff.id, { author: 'volunteer', text: 'Chào bác Nguyễn Văn An', ref: 'r2' }, AT);
      await repo.close(handoff.id, { closer: 'volunteer', memberId: member.memberId }, AT);

      const { rows } = await db.query(
        `SELECT to_jsonb(h) AS row FROM handoffs h UNION ALL SELECT to_jsonb(m) FROM handoff_messages m`,
      );
      expect(rows).toHaveLength(3);
      expect(JSON.stringify(rows)).not.toMatch(/048090001234|905123456|246845883529197922|Nguyễn|Chào/);
      const audit = await db.query<{ actor: string; action: string; details: Record<string, unknown> }>(
        'SELECT actor, action, details FROM audit_log ORDER BY id',
      );
      expect(audit.rows).toEqual([
        {
          actor: 'citizen',
          action: 'handoff_opened',
          details: { handoffId: handoff.id, channel: 'twilio-sms', reason: 'asked', wardCode: '20194' },
        },
        {
          actor: 'volunteer',
          action: 'handoff_taken',
          details: { handoffId: handoff.id, memberId: member.memberId, teamId: member.teamId },
        },
        {
          actor: 'volunteer',
          action: 'handoff_closed',
          details: { handoffId: handoff.id, memberId: member.memberId },
        },
      ]);
    });

    it('clears the holder’s chat on release, and audits the release with ids only', async () => {
      const repo = createPgHandoffRepository(db, cipher);
      const member = await insertMember(db);
      const { handoff } = await repo.open(newHandoff(), AT);
      await repo.take(
        handoff.id,
        { ...member, chat: { channel: 'twilio-sms', address: '+84905000111' } },
        AT,
      );

      await repo.release(member.memberId, 'staff', AT);

      const { rows } = await db.query<Record<string, unknown>>(
        `SELECT status, team_id, holder_member_id, holder_channel, holder_address_enc, holder_address_hash, taken_at
         FROM handoffs WHERE id = $1`,
        [handoff.id],
      );
      expect(rows).toEqual([
        {
          status: 'open',
          team_id: null,
          holder_member_id: null,
          holder_channel: null,
          holder_address_enc: null,
          holder_address_hash: null,
          taken_at: null,
        },
      ]);
      const audit = await db.query<{ actor: string; action: string; details: Record<string, unknown> }>(
        "SELECT actor, action, details FROM audit_log WHERE action = 'handoff_released'",
      );
      expect(audit.rows).toEqual([
        {
          actor: 'staff',
          action: 'handoff_released',
          details: { handoffId: handoff.id, memberId: member.memberId },
        },
      ]);
    });
  });
}
