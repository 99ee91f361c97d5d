import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Team } from '../../src/domain/teams/team.ts';
import { createDataCipher } from '../../src/shared/crypto.ts';
import { createPgCitizenRepository } from '../../src/storage/postgres/citizen-repository.ts';
import type { Database } from '../../src/storage/postgres/database.ts';
import { createPgTeamRepository } from '../../src/storage/postgres/team-repository.ts';
import { newCitizen } from '../contracts/citizen-repository.contract.ts';
import { describeTeamRepositoryContract } from '../contracts/team-repository.contract.ts';
import { InMemoryTeamRepository } from '../fakes/in-memory-team-repository.ts';
import { contractDatabases } from '../support/contract-databases.ts';

const cipher = createDataCipher(randomBytes(32));
const TABLES = 'handoff_messages, handoffs, citizens, consents, audit_log, team_members, teams';

// One PGlite and one PostgreSQL database for the whole file.
const databases = contractDatabases();

/** Empties every table; TRUNCATE does not fire the audit log's row triggers. */
const truncate = (db: Database) => db.exec(`TRUNCATE ${TABLES} RESTART IDENTITY CASCADE`);

const auditOf = async (db: Database) => {
  const { rows } = await db.query<{ actor: string; action: string; details: Record<string, unknown> }>(
    'SELECT actor, action, details FROM audit_log ORDER BY id',
  );
  return rows;
};

for (const [name, database] of Object.entries(databases)) {
  describeTeamRepositoryContract(name, async () => {
    const db = await database.get();
    return {
      repository: createPgTeamRepository(db, cipher),
      auditEntries: () => auditOf(db),
      reset: () => truncate(db),
      close: async () => {},
    };
  });
}

describeTeamRepositoryContract('in-memory fake', async () => {
  const fixture = {
    repository: new InMemoryTeamRepository(),
    auditEntries: async () => fixture.repository.audit,
    reset: async () => {
      fixture.repository = new InMemoryTeamRepository();
    },
    close: async () => {},
  };
  return fixture;
});

describe('InMemoryTeamRepository figures', () => {
  it('answers the figures it is given for a team', async () => {
    const figures = {
      registrations: { total: 3, verified: 2, notMatched: 1 },
      handoffs: { open: 1, closed: 4 },
    };
    const repository = new InMemoryTeamRepository({ figures: () => figures });
    const created = await repository.create({ name: 'Tổ 1', wardCode: 'W', inviteCode: 'TEAM2345' });

    expect(created.type === 'created' && (await repository.figures(created.team.id))).toEqual(figures);
  });
});

for (const [name, database] of Object.entries(databases)) {
  describe(`${name} team storage`, () => {
    let db: Database;
    const teams = () => createPgTeamRepository(db, cipher);
    let accounts = 0;

    beforeAll(async () => {
      db = await database.get();
    });
    beforeEach(async () => {
      await truncate(db);
    });

    async function team(inviteCode: string, wardCode: string): Promise<Team> {
      const outcome = await teams().create({ name: `Tổ ${inviteCode}`, wardCode, inviteCode });
      if (outcome.type !== 'created') throw new Error(`expected created, got ${outcome.type}`);
      return outcome.team;
    }

    /** An account registered by `teamId` (or by the citizen: null) with `status`, purged when asked. */
    async function account(
      teamId: string | null,
      status: 'provisional' | 'verified' | 'not_matched',
      purged = false,
    ) {
      accounts += 1;
      const n = String(accounts).padStart(7, '0');
      const outcome = await createPgCitizenRepository(db, cipher).create(
        newCitizen({
          phone: `+8491${n}`,
          cccd: `04809${n}`,
          accountCode: `AC${[...accounts.toString(8).padStart(6, '0')].map((d) => Number(d) + 2).join('')}`,
        }),
      );
      if (outcome.type !== 'created') throw new Error(`expected created, got ${outcome.type}`);
      await db.query(
        `UPDATE citizens SET registered_by_team_id = $2, status = $3,
           purged_at = CASE WHEN $4 THEN now() ELSE NULL END
         WHERE id = $1`,
        [outcome.citizen.id, teamId, status, purged],
      );
    }

    /** A hand-off of a chat of its own, for `wardCode`, held by (or closed by) `teamId` when given. */
    async function handoff(
      status: 'open' | 'held' | 'closed',
      wardCode: string | null,
      teamId: string | null,
    ) {
      const address = randomUUID();
      await db.query(
        `INSERT INTO handoffs (channel, address_hash, address_enc, ward_code, reason, status, team_id)
         VALUES ('twilio-sms', $1, $2, $3, 'asked', $4, $5)`,
        [cipher.keyedHash('address', address), cipher.encrypt(address), wardCode, status, teamId],
      );
    }

    it('counts the accounts a team registered by status, leaving out purged ones and other teams’', async () => {
      const mine = await team('MINE2345', 'W-ONE');
      const other = await team('OTHR2345', 'W-ONE');
      await account(mine.id, 'provisional');
      await account(mine.id, 'verified');
      await account(mine.id, 'verified');
      await account(mine.id, 'not_matched');
      await account(mine.id, 'verified', true);
      await account(other.id, 'verified');
      await account(null, 'verified');

      const figures = await teams().figures(mine.id);

      expect(figures.registrations).toEqual({ total: 4, verified: 2, notMatched: 1 });
    });

    it('counts the open and held hand-offs of the team, of its ward and of no ward, and those it closed', async () => {
      const mine = await team('MINE2345', 'W-ONE');
      const other = await team('OTHR2345', 'W-TWO');
      await handoff('open', 'W-ONE', null);
      await handoff('open', null, null);
      await handoff('held', 'W-TWO', mine.id);
      await handoff('closed', 'W-ONE', mine.id);
      await handoff('closed', 'W-ONE', mine.id);
      await handoff('open', 'W-TWO', null);
      await handoff('held', 'W-ONE', other.id);
      await handoff('closed', 'W-ONE', other.id);
      await handoff('closed', 'W-ONE', null);

      const figures = await teams().figures(mine.id);

      expect(figures.handoffs).toEqual({ open: 3, closed: 2 });
      await expect(teams().figures(other.id)).resolves.toMatchObject({ handoffs: { open: 3, closed: 1 } });
    });

    it('counts nothing for a team that does not exist', async () => {
      await expect(teams().figures(randomUUID())).resolves.toEqual({
        registrations: { total: 0, verified: 0, notMatched: 0 },
        handoffs: { open: 0, closed: 0 },
      });
    });

    it('stores members’ phones and chat addresses encrypted, and none of them in the audit log', async () => {
      const mine = await team('MINE2345', 'W-ONE');
      await teams().join(
        mine.id,
        { phone: '+84905123456', channel: 'zalo-oa', address: 'zalo-7788' },
        new Date(),
      );

      const { rows } = await db.query('SELECT to_jsonb(m) AS row FROM team_members m');
      const audit = await db.query('SELECT to_jsonb(a) AS row FROM audit_log a');

      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toMatch(/905123456|zalo-7788/);
      expect(JSON.stringify(audit.rows)).not.toMatch(/905123456|zalo-7788/);
      await expect(teams().membershipOf('+84905123456')).resolves.toMatchObject({
        member: { phone: '+84905123456', address: 'zalo-7788' },
      });
    });

    it('keeps the row of a member who left or was removed, with when and why', async () => {
      const mine = await team('MINE2345', 'W-ONE');
      const at = new Date('2026-03-01T08:00:00Z');
      const joined = await teams().join(mine.id, { phone: '+84905000001', channel: 'sms', address: 'a' }, at);
      await teams().join(mine.id, { phone: '+84905000002', channel: 'sms', address: 'b' }, at);
      await teams().leave('+84905000002', new Date('2026-03-01T09:00:00Z'));
      await teams().removeMember(mine.id, joined.member.id, new Date('2026-03-01T10:00:00Z'));

      const { rows } = await db.query<{ left_at: Date; left_reason: string }>(
        'SELECT left_at, left_reason FROM team_members ORDER BY left_at',
      );

      expect(rows).toEqual([
        { left_at: new Date('2026-03-01T09:00:00Z'), left_reason: 'left' },
        { left_at: new Date('2026-03-01T10:00:00Z'), left_reason: 'removed' },
      ]);
    });
  });
}
