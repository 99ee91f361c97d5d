import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Team, TeamRepository } from '../../src/domain/teams/team.ts';

/** An audit entry as a contract run reads it back: who did what, and the ids. */
export interface TeamAuditEntry {
  actor: string;
  action: string;
  details: Record<string, unknown>;
}

/**
 * What a contract run needs. The suite calls the factory once, `reset` before each test (it may replace
 * `repository`: the suite reads the property again after each reset) and `close` at the end; `auditEntries`
 * reads the audit entries written since the last reset, oldest first.
 */
export interface TeamRepositoryFixture {
  repository: TeamRepository;
  auditEntries(): Promise<TeamAuditEntry[]>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const WARD = 'W-ONE';
const OTHER_WARD = 'W-TWO';
const AN = { phone: '+84905000001', channel: 'twilio-sms', address: '+84905000001' };
const BINH = { phone: '+84905000002', channel: 'zalo-oa', address: 'zalo-user-2' };
const CHI = { phone: '+84905000003', channel: 'telegram', address: '700003' };

/** Times a test's joins happen at, a minute apart, so the order by joining time is unambiguous. */
const minute = (n: number) => new Date(Date.UTC(2026, 2, 1, 8, n));

/**
 * The behaviour every {@link TeamRepository} (PostgreSQL, PGlite, the in-memory fake) must show; see the
 * contract in src/domain/teams/team.ts. Call it once per implementation.
 *
 * The figures are checked here only for a team with nothing to count: the in-memory fake sees neither accounts
 * nor hand-offs and answers the figures it is given. How PostgreSQL counts them (by status, purged accounts left
 * out, hand-offs of the team, of its ward and of no ward) is checked in test/integration/team-storage.test.ts.
 */
export function describeTeamRepositoryContract(
  name: string,
  factory: () => Promise<TeamRepositoryFixture>,
): void {
  describe(`TeamRepository contract: ${name}`, () => {
    let fixture: TeamRepositoryFixture;
    const repo = () => fixture.repository;

    async function created(
      inviteCode = 'TEAM2345',
      wardCode = WARD,
      teamName = 'Tổ CNS số 1',
    ): Promise<Team> {
      const outcome = await repo().create({ name: teamName, wardCode, inviteCode });
      if (outcome.type !== 'created') throw new Error(`expected created, got ${outcome.type}`);
      return outcome.team;
    }

    async function joined(team: Team, person: typeof AN, at = minute(0)) {
      const outcome = await repo().join(team.id, person, at);
      if (outcome.type !== 'joined') throw new Error(`expected joined, got ${outcome.type}`);
      return outcome.member;
    }

    beforeAll(async () => {
      fixture = await factory();
    });
    beforeEach(async () => {
      await fixture.reset();
    });
    afterAll(async () => {
      await fixture.close();
    });

    describe('teams and invite codes', () => {
      it('creates a team, found by id, by its invite code and in the list', async () => {
        const before = Date.now();

        const team = await created('TEAM2345', WARD, 'Tổ CNS số 1');

        expect(team).toEqual({
          id: expect.any(String),
          name: 'Tổ CNS số 1',
          wardCode: WARD,
          inviteCode: 'TEAM2345',
          createdAt: expect.any(Date),
        });
        expect(Math.abs(team.createdAt.getTime() - before)).toBeLessThan(60_000);
        await expect(repo().findById(team.id)).resolves.toEqual(team);
        await expect(repo().findByInviteCode('TEAM2345')).resolves.toEqual(team);
        await expect(repo().list()).resolves.toEqual([team]);
      });

      it('lists teams oldest first', async () => {
        const first = await created('FRST2345');
        const second = await created('SCND2345');

        await expect(repo().list()).resolves.toEqual([first, second]);
      });

      it('refuses an invite code another team has, and stores nothing of the refused team', async () => {
        const team = await created('TEAM2345');

        const again = await repo().create({ name: 'Tổ khác', wardCode: OTHER_WARD, inviteCode: 'TEAM2345' });

        expect(again).toEqual({ type: 'code_taken' });
        await expect(repo().list()).resolves.toEqual([team]);
      });

      it('finds nothing for an unknown id, a malformed id or an unknown code', async () => {
        await created();

        await expect(repo().findById(randomUUID())).resolves.toBeNull();
        await expect(repo().findById('not-a-uuid')).resolves.toBeNull();
        await expect(repo().findByInviteCode('NONE2345')).resolves.toBeNull();
      });

      it('replaces an invite code: the old one stops working at once', async () => {
        const team = await created('OLDC2345');

        const outcome = await repo().replaceInviteCode(team.id, 'NEWC2345');

        expect(outcome).toEqual({ type: 'replaced', team: { ...team, inviteCode: 'NEWC2345' } });
        await expect(repo().findByInviteCode('OLDC2345')).resolves.toBeNull();
        await expect(repo().findByInviteCode('NEWC2345')).resolves.toEqual({
          ...team,
          inviteCode: 'NEWC2345',
        });
        await expect(repo().findById(team.id)).resolves.toEqual({ ...team, inviteCode: 'NEWC2345' });
      });

      it('refuses a replacement code another team has, and changes nothing', async () => {
        const team = await created('OLDC2345');
        const other = await created('TAKN2345');

        await expect(repo().replaceInviteCode(team.id, 'TAKN2345')).resolves.toEqual({ type: 'code_taken' });

        await expect(repo().findByInviteCode('OLDC2345')).resolves.toEqual(team);
        await expect(repo().findByInviteCode('TAKN2345')).resolves.toEqual(other);
      });

      it('replaces nothing for a team that does not exist', async () => {
        await created('OLDC2345');

        await expect(repo().replaceInviteCode(randomUUID(), 'NEWC2345')).resolves.toBeNull();
        await expect(repo().replaceInviteCode('not-a-uuid', 'NEWC2345')).resolves.toBeNull();
        await expect(repo().findByInviteCode('NEWC2345')).resolves.toBeNull();
      });
    });

    describe('members', () => {
      it('makes the first member the leader and the later ones members', async () => {
        const team = await created();

        const first = await repo().join(team.id, AN, minute(1));
        const second = await repo().join(team.id, BINH, minute(2));

        expect(first).toEqual({
          type: 'joined',
          team,
          member: {
            id: expect.any(String),
            teamId: team.id,
            phone: AN.phone,
            role: 'leader',
            joinedAt: minute(1),
            channel: AN.channel,
            address: AN.address,
          },
        });
        expect(second).toMatchObject({ type: 'joined', member: { phone: BINH.phone, role: 'member' } });
      });

      it('finds the team and member of a phone, and nothing for a phone in no team', async () => {
        const team = await created();
        const member = await joined(team, BINH);

        await expect(repo().membershipOf(BINH.phone)).resolves.toEqual({ team, member });
        await expect(repo().membershipOf(AN.phone)).resolves.toBeNull();
      });

      it('changes nothing for a member who joins their own team again', async () => {
        const team = await created();
        const member = await joined(team, AN);

        const again = await repo().join(
          team.id,
          { ...AN, channel: 'zalo-oa', address: 'zalo-an' },
          minute(5),
        );

        expect(again).toEqual({ type: 'already_member', team, member });
        await expect(repo().members(team.id)).resolves.toEqual([member]);
      });

      it('keeps a person in one team at a time: joining another answers with the team they are in', async () => {
        const mine = await created('MINE2345');
        const other = await created('OTHR2345', OTHER_WARD);
        const member = await joined(mine, AN);

        const outcome = await repo().join(other.id, AN, minute(5));

        expect(outcome).toEqual({ type: 'in_other_team', team: mine, member });
        await expect(repo().members(other.id)).resolves.toEqual([]);
        await expect(repo().membershipOf(AN.phone)).resolves.toEqual({ team: mine, member });
      });

      it('lists the current members leader first, then by joining time', async () => {
        const team = await created();
        const leader = await joined(team, CHI, minute(3));
        const early = await joined(team, AN, minute(1));
        const late = await joined(team, BINH, minute(2));

        await expect(repo().members(team.id)).resolves.toEqual([leader, early, late]);
        await expect(repo().members(randomUUID())).resolves.toEqual([]);
        await expect(repo().members('not-a-uuid')).resolves.toEqual([]);
      });

      it('lets a member leave at once, and join another team afterwards', async () => {
        const mine = await created('MINE2345');
        const other = await created('OTHR2345', OTHER_WARD);
        const member = await joined(mine, AN);

        await expect(repo().leave(AN.phone, minute(5))).resolves.toEqual({ team: mine, member });

        await expect(repo().membershipOf(AN.phone)).resolves.toBeNull();
        await expect(repo().members(mine.id)).resolves.toEqual([]);
        await expect(repo().leave(AN.phone, minute(6))).resolves.toBeNull();
        await expect(repo().join(other.id, AN, minute(7))).resolves.toMatchObject({
          type: 'joined',
          team: other,
          member: { role: 'leader' },
        });
      });

      it('answers null when a phone in no team leaves', async () => {
        await created();

        await expect(repo().leave(AN.phone, minute(1))).resolves.toBeNull();
      });

      it('removes a member at once; removing them again, or a member of another team, removes nothing', async () => {
        const mine = await created('MINE2345');
        const other = await created('OTHR2345', OTHER_WARD);
        const an = await joined(mine, AN);
        const binh = await joined(other, BINH);

        await expect(repo().removeMember(mine.id, an.id, minute(5))).resolves.toBe(true);

        await expect(repo().membershipOf(AN.phone)).resolves.toBeNull();
        await expect(repo().members(mine.id)).resolves.toEqual([]);
        await expect(repo().removeMember(mine.id, an.id, minute(6))).resolves.toBe(false);
        await expect(repo().removeMember(mine.id, binh.id, minute(6))).resolves.toBe(false);
        await expect(repo().removeMember(mine.id, randomUUID(), minute(6))).resolves.toBe(false);
        await expect(repo().removeMember('not-a-uuid', 'not-a-uuid', minute(6))).resolves.toBe(false);
        await expect(repo().membershipOf(BINH.phone)).resolves.toEqual({ team: other, member: binh });
      });

      it('makes nobody leader while the team has members, and the next to join an emptied team its leader', async () => {
        const team = await created();
        await joined(team, AN, minute(1));
        await joined(team, BINH, minute(2));
        await repo().leave(AN.phone, minute(3));

        const whileMembersLeft = await repo().join(team.id, CHI, minute(4));
        await repo().leave(BINH.phone, minute(5));
        await repo().leave(CHI.phone, minute(6));
        const afterEmpty = await repo().join(team.id, AN, minute(7));

        expect(whileMembersLeft).toMatchObject({ type: 'joined', member: { role: 'member' } });
        expect(afterEmpty).toMatchObject({ type: 'joined', member: { role: 'leader' } });
      });

      it('makes exactly one leader when two people join an empty team at once', async () => {
        const team = await created();

        const outcomes = await Promise.all([
          repo().join(team.id, AN, minute(1)),
          repo().join(team.id, BINH, minute(1)),
        ]);

        expect(outcomes.map((o) => o.type)).toEqual(['joined', 'joined']);
        expect(outcomes.map((o) => o.member.role).sort()).toEqual(['leader', 'member']);
      });

      it('puts a person who joins two teams at once in exactly one of them', async () => {
        const one = await created('ONEC2345');
        const two = await created('TWOC2345', OTHER_WARD);

        const outcomes = await Promise.all([
          repo().join(one.id, AN, minute(1)),
          repo().join(two.id, AN, minute(1)),
        ]);

        expect(outcomes.map((o) => o.type).sort()).toEqual(['in_other_team', 'joined']);
        const [members1, members2] = await Promise.all([repo().members(one.id), repo().members(two.id)]);
        expect(members1.length + members2.length).toBe(1);
      });

      it('lists the current members of the teams of a ward, or of every team', async () => {
        const one = await created('ONEC2345', WARD);
        const two = await created('TWOC2345', OTHER_WARD);
        const an = await joined(one, AN, minute(1));
        const binh = await joined(two, BINH, minute(2));
        const chi = await joined(one, CHI, minute(3));
        await repo().leave(CHI.phone, minute(4));

        await expect(repo().membersOfWard(WARD)).resolves.toEqual([{ team: one, member: an }]);
        await expect(repo().membersOfWard(null)).resolves.toEqual([
          { team: one, member: an },
          { team: two, member: binh },
        ]);
        await expect(repo().membersOfWard('W-NONE')).resolves.toEqual([]);
        expect(chi.role).toBe('member');
      });
    });

    it('counts nothing for a team with no registrations and no hand-offs', async () => {
      const team = await created();
      await joined(team, AN);

      await expect(repo().figures(team.id)).resolves.toEqual({
        registrations: { total: 0, verified: 0, notMatched: 0 },
        handoffs: { open: 0, closed: 0 },
      });
    });

    it('audits creation, joining, leaving, removal and invite changes with the actor and ids only', async () => {
      const team = await created();
      const an = await joined(team, AN, minute(1));
      const binh = await joined(team, BINH, minute(2));
      await repo().leave(AN.phone, minute(3));
      await repo().removeMember(team.id, binh.id, minute(4));
      await repo().replaceInviteCode(team.id, 'NEWC2345');

      const entries = await fixture.auditEntries();

      expect(entries).toEqual([
        { actor: 'admin', action: 'team_created', details: { teamId: team.id, wardCode: WARD } },
        {
          actor: 'volunteer',
          action: 'team_joined',
          details: { teamId: team.id, memberId: an.id, role: 'leader' },
        },
        {
          actor: 'volunteer',
          action: 'team_joined',
          details: { teamId: team.id, memberId: binh.id, role: 'member' },
        },
        { actor: 'volunteer', action: 'team_left', details: { teamId: team.id, memberId: an.id } },
        { actor: 'admin', action: 'team_member_removed', details: { teamId: team.id, memberId: binh.id } },
        { actor: 'admin', action: 'team_invite_replaced', details: { teamId: team.id } },
      ]);
      expect(JSON.stringify(entries)).not.toMatch(/905000|zalo-user|TEAM2345|NEWC2345/);
    });
  });
}
