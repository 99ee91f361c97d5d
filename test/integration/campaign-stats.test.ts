import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MismatchField } from '../../src/domain/citizens/citizen.ts';
import type { CampaignStats, StatsFilter } from '../../src/domain/stats/campaign-stats.ts';
import type { Team, TeamMember } from '../../src/domain/teams/team.ts';
import { createDataCipher } from '../../src/shared/crypto.ts';
import { createPgAssistedRequestRepository } from '../../src/storage/postgres/assisted-request-repository.ts';
import { createPgCampaignStats } from '../../src/storage/postgres/campaign-stats.ts';
import { createPgCitizenRepository } from '../../src/storage/postgres/citizen-repository.ts';
import type { Database } from '../../src/storage/postgres/database.ts';
import { createPgHandoffRepository } from '../../src/storage/postgres/handoff-repository.ts';
import { createPgTeamRepository } from '../../src/storage/postgres/team-repository.ts';
import { newRequest } from '../contracts/assisted-request-repository.contract.ts';
import { newCitizen } from '../contracts/citizen-repository.contract.ts';
import { newHandoff } from '../contracts/handoff-repository.contract.ts';
import { contractDatabases } from '../support/contract-databases.ts';

const cipher = createDataCipher(randomBytes(32));
const databases = contractDatabases();

/** Hải Vân and Hải Châu. */
const W1 = '20194';
const W2 = '20242';
const LIMITS = { maxPending: 5, maxPerHour: 60 };
const SECOND = 1000;

/** Vietnam midnight starting 1 November 2026 is 31 October 17:00 UTC. */
const at = (iso: string) => new Date(iso);

const city = (from: string, to: string): StatsFilter => ({ from, to, wardCode: null });
const ward = (wardCode: string, from = '2026-11-01', to = '2026-11-02'): StatsFilter => ({
  from,
  to,
  wardCode,
});
const PERIOD = city('2026-11-01', '2026-11-02');

/**
 * The data every test of a database reads, made through the real repositories. `CitizenRepository.create` stamps an
 * account with the database's clock, so each account's `created_at` is then moved to the instant the test checks.
 */
async function seed(db: Database) {
  const citizens = createPgCitizenRepository(db, cipher);
  const teams = createPgTeamRepository(db, cipher);
  const handoffs = createPgHandoffRepository(db, cipher);
  const assisted = createPgAssistedRequestRepository(db, cipher);

  const team = async (name: string, wardCode: string, inviteCode: string): Promise<Team> => {
    const outcome = await teams.create({ name, wardCode, inviteCode });
    if (outcome.type !== 'created') throw new Error(outcome.type);
    return outcome.team;
  };
  const member = async (of: Team, phone: string): Promise<TeamMember> => {
    const outcome = await teams.join(
      of.id,
      { phone, channel: 'zalo-oa', address: `z-${phone}` },
      at('2026-10-01T00:00:00Z'),
    );
    if (outcome.type !== 'joined') throw new Error(outcome.type);
    return outcome.member;
  };
  const teamA = await team('Tổ An', W1, 'TEAMAAAA');
  const teamB = await team('Tổ Bình', W2, 'TEAMBBBB');
  await team('Tổ Cúc', W1, 'TEAMCCCC');
  await team('Tổ Dung', W2, 'TEAMDDDD');
  const a1 = await member(teamA, '+84905000001');
  const a2 = await member(teamA, '+84905000002');
  const b1 = await member(teamB, '+84905000003');

  let accounts = 0;
  /** An account opened at `createdAt` through `channel`, by `by` (a volunteer) or by the citizen (null). */
  const account = async (
    createdAt: string,
    channel: string,
    by: TeamMember | null,
    outcome?: 'verified' | MismatchField,
  ): Promise<string> => {
    accounts += 1;
    const n = String(accounts).padStart(4, '0');
    const created = await citizens.create(
      newCitizen({
        phone: `+8491000${n}`,
        cccd: `04809000${n}`,
        accountCode: `ACDE${[...n].map((d) => 'ABCDEFGHJK'[Number(d)]).join('')}`,
        createdVia: channel,
        actor: by ? { kind: 'volunteer', id: by.id } : { kind: 'citizen', id: `${channel}:${n}` },
        registeredBy: by ? { teamId: by.teamId, memberId: by.id } : null,
      }),
    );
    if (created.type !== 'created') throw new Error(created.type);
    const id = created.citizen.id;
    await db.query('UPDATE citizens SET created_at = $2 WHERE id = $1', [id, at(createdAt)]);
    if (outcome === 'verified') await citizens.recordVerification(id, { outcome: 'verified' });
    else if (outcome) await citizens.recordVerification(id, { outcome: 'not_matched', field: outcome });
    return id;
  };

  // Accounts. Vietnam days: 31 Oct 17:00 UTC starts 1 Nov, 1 Nov 17:00 UTC starts 2 Nov, 2 Nov 17:00 UTC starts 3 Nov.
  await account('2026-10-31T16:59:59Z', 'twilio-sms', null); // 31 Oct 23:59:59: before the period
  await account('2026-10-31T17:00:00Z', 'twilio-sms', null, 'verified'); // 1 Nov 00:00
  await account('2026-11-01T16:59:59Z', 'telegram', null, 'full_name'); // 1 Nov 23:59:59
  const c4 = await account('2026-11-01T17:00:00Z', 'zalo-oa', a1, 'verified'); // 2 Nov 00:00
  const c5 = await account('2026-11-02T10:00:00Z', 'zalo-oa', a2, 'cccd'); // 2 Nov
  await account('2026-11-02T16:59:59.999Z', 'twilio-sms', b1); // 2 Nov 23:59:59.999
  await account('2026-11-02T17:00:00Z', 'twilio-sms', b1); // 3 Nov 00:00: after the period
  const purged = await account('2026-11-01T05:00:00Z', 'zalo-oa', a1, 'verified'); // purged below
  const simulated = await account('2026-11-01T06:00:00Z', 'telegram', null); // the simulator's
  await db.query('UPDATE citizens SET simulated = true WHERE id = $1', [simulated]);
  const closing = at('2026-11-20T00:00:00Z');
  await citizens.close(purged, { at: closing, purgeAfter: closing, reason: 'requested', channel: 'zalo-oa' });
  expect(await citizens.purge(purged, closing)).toBe(true);

  // Assisted requests.
  const request = async (by: TeamMember, createdAt: string) => {
    const outcome = await assisted.create(
      newRequest({ teamId: by.teamId, memberId: by.id }, { createdAt: at(createdAt) }),
      LIMITS,
    );
    if (outcome.type !== 'created') throw new Error(outcome.type);
    return outcome.request;
  };
  const soon = (r: { createdAt: Date }) => new Date(r.createdAt.getTime() + 60 * SECOND);
  const yes = { type: 'reply', answer: 'yes' } as const;
  const r1 = await request(a1, '2026-11-01T02:00:00Z');
  await assisted.decide(r1.id, yes, soon(r1), 5);
  await assisted.markOpened(r1.id, c4, soon(r1));
  const r2 = await request(a2, '2026-11-02T03:00:00Z');
  await assisted.decide(r2.id, { type: 'code', codeHash: 'hash-of-123456' }, soon(r2), 5);
  await assisted.markOpened(r2.id, c5, soon(r2));
  const r3 = await request(a1, '2026-11-01T03:00:00Z');
  await assisted.decide(r3.id, { type: 'reply', answer: 'no' }, soon(r3), 5);
  const r4 = await request(b1, '2026-11-02T04:00:00Z');
  await assisted.decide(r4.id, yes, soon(r4), 5);
  await assisted.markFailed(r4.id, 'phone_taken', soon(r4));
  await request(b1, '2026-11-02T05:00:00Z'); // still pending
  const r6 = await request(a1, '2026-11-01T05:30:00Z');
  await assisted.decide(r6.id, yes, soon(r6), 5);
  await assisted.markOpened(r6.id, purged, soon(r6)); // its account is purged
  await request(b1, '2026-10-31T16:00:00Z'); // 31 Oct 23:00: before the period

  // Hand-offs, each from a chat of its own.
  let chats = 0;
  const handoff = async (createdAt: string, wardCode: string | null, citizenId: string | null = null) => {
    chats += 1;
    const opened = await handoffs.open(
      newHandoff({ chat: { channel: 'telegram', address: `chat-${chats}` }, wardCode, citizenId }),
      at(createdAt),
    );
    return opened.handoff;
  };
  const after = (h: { createdAt: Date }, seconds: number) =>
    new Date(h.createdAt.getTime() + seconds * SECOND);
  const answer = async (h: { id: number; createdAt: Date }, seconds: number, by: TeamMember | 'staff') => {
    if (by !== 'staff') {
      await handoffs.take(
        h.id,
        { memberId: by.id, teamId: by.teamId, chat: { channel: 'zalo-oa', address: `z-${by.phone}` } },
        after(h, seconds - 1),
      );
    }
    const message = await handoffs.append(
      h.id,
      by === 'staff'
        ? { author: 'staff', text: 'Chào anh', ref: `staff-${h.id}-${seconds}` }
        : { author: 'volunteer', memberId: by.id, text: 'Chào chị', ref: `v-${h.id}-${seconds}` },
      after(h, seconds),
    );
    expect(message).not.toBeNull();
  };
  const h1 = await handoff('2026-11-01T01:00:00Z', W1);
  await handoffs.append(h1.id, { author: 'citizen', text: 'Alo', ref: 'c-1' }, after(h1, 10));
  await answer(h1, 120, a1);
  await answer(h1, 300, 'staff');
  await handoffs.close(h1.id, { closer: 'volunteer', memberId: a1.id }, after(h1, 400));
  const h2 = await handoff('2026-11-01T16:59:00Z', W1); // 1 Nov 23:59
  await answer(h2, 600, 'staff');
  const h3 = await handoff('2026-11-01T17:00:00Z', W2); // 2 Nov 00:00
  await answer(h3, 30, b1);
  await handoff('2026-11-02T02:00:00Z', null); // never answered
  const h5 = await handoff('2026-11-02T03:00:00Z', W1, purged); // of the purged account
  await answer(h5, 5, 'staff');
  const h6 = await handoff('2026-11-02T04:00:00Z', W1); // the simulator's
  await answer(h6, 5, 'staff');
  await db.query('UPDATE handoffs SET simulated = true WHERE id = $1', [h6.id]);
  await handoff('2026-11-02T17:00:00Z', W1); // 3 Nov 00:00: after the period

  return { teamA, teamB };
}

for (const [name, database] of Object.entries(databases)) {
  describe(`${name} campaign figures`, () => {
    let stats: CampaignStats;
    let teamA: Team;
    let teamB: Team;

    beforeAll(async () => {
      const db = await database.get();
      ({ teamA, teamB } = await seed(db));
      stats = createPgCampaignStats(db);
    });

    it('counts accounts per Vietnam day and channel, the day turning at Vietnam midnight', async () => {
      expect(await stats.registrationsByChannel(PERIOD)).toEqual([
        { day: '2026-11-01', channel: 'telegram', registrations: 1 },
        { day: '2026-11-01', channel: 'twilio-sms', registrations: 1 },
        { day: '2026-11-02', channel: 'twilio-sms', registrations: 1 },
        { day: '2026-11-02', channel: 'zalo-oa', registrations: 2 },
      ]);
    });

    it('keeps to the period asked, both days included', async () => {
      expect(await stats.registrationsByChannel(city('2026-11-02', '2026-11-02'))).toEqual([
        { day: '2026-11-02', channel: 'twilio-sms', registrations: 1 },
        { day: '2026-11-02', channel: 'zalo-oa', registrations: 2 },
      ]);
      expect(await stats.registrationsByChannel(city('2026-10-31', '2026-10-31'))).toEqual([
        { day: '2026-10-31', channel: 'twilio-sms', registrations: 1 },
      ]);
      expect(await stats.registrationsByChannel(city('2026-11-03', '2026-11-30'))).toEqual([
        { day: '2026-11-03', channel: 'twilio-sms', registrations: 1 },
      ]);
      expect(await stats.registrationsByChannel(city('2026-12-01', '2026-12-31'))).toEqual([]);
    });

    it('filters by ward: the registering team’s, self-registrations left out', async () => {
      expect(await stats.registrationsByChannel(ward(W1))).toEqual([
        { day: '2026-11-02', channel: 'zalo-oa', registrations: 2 },
      ]);
      expect(await stats.registrationsByChannel(ward(W2))).toEqual([
        { day: '2026-11-02', channel: 'twilio-sms', registrations: 1 },
      ]);
    });

    it('counts the accounts each team opened per day', async () => {
      expect(await stats.registrationsByTeam(PERIOD)).toEqual([
        { day: '2026-11-02', teamId: teamA.id, teamName: 'Tổ An', wardCode: W1, registrations: 2 },
        { day: '2026-11-02', teamId: teamB.id, teamName: 'Tổ Bình', wardCode: W2, registrations: 1 },
      ]);
      expect(await stats.registrationsByTeam(ward(W2))).toEqual([
        { day: '2026-11-02', teamId: teamB.id, teamName: 'Tổ Bình', wardCode: W2, registrations: 1 },
      ]);
    });

    it('counts accounts per day and ward, self-registrations under the unknown ward', async () => {
      expect(await stats.registrationsByWard(PERIOD)).toEqual([
        { day: '2026-11-01', wardCode: null, wardName: null, registrations: 2 },
        { day: '2026-11-02', wardCode: W1, wardName: 'Phường Hải Vân', registrations: 2 },
        { day: '2026-11-02', wardCode: W2, wardName: 'Phường Hải Châu', registrations: 1 },
      ]);
      expect(await stats.registrationsByWard(ward(W1))).toEqual([
        { day: '2026-11-02', wardCode: W1, wardName: 'Phường Hải Vân', registrations: 2 },
      ]);
    });

    it('counts every account once in each of the three tables of registrations', async () => {
      const sum = (rows: { registrations: number }[]) => rows.reduce((n, r) => n + r.registrations, 0);
      const byChannel = sum(await stats.registrationsByChannel(PERIOD));
      expect(byChannel).toBe(5);
      expect(sum(await stats.registrationsByWard(PERIOD))).toBe(byChannel);
      // Self-registrations are in no team.
      expect(sum(await stats.registrationsByTeam(PERIOD))).toBe(byChannel - 2);
    });

    it('follows the funnel from the requests and accounts started in the period', async () => {
      expect(await stats.funnel(PERIOD)).toEqual([
        { stage: 'started', assisted: 6, self: 2, total: 8 },
        { stage: 'consent_given', assisted: 4, self: 2, total: 6 },
        { stage: 'account_opened', assisted: 2, self: 2, total: 4 },
        { stage: 'verified', assisted: 1, self: 1, total: 2 },
      ]);
      expect(await stats.funnel(ward(W2))).toEqual([
        { stage: 'started', assisted: 2, self: 0, total: 2 },
        { stage: 'consent_given', assisted: 1, self: 0, total: 1 },
        { stage: 'account_opened', assisted: 0, self: 0, total: 0 },
        { stage: 'verified', assisted: 0, self: 0, total: 0 },
      ]);
      expect(await stats.funnel(city('2026-10-31', '2026-10-31'))).toEqual([
        { stage: 'started', assisted: 1, self: 1, total: 2 },
        { stage: 'consent_given', assisted: 0, self: 1, total: 1 },
        { stage: 'account_opened', assisted: 0, self: 1, total: 1 },
        { stage: 'verified', assisted: 0, self: 0, total: 0 },
      ]);
    });

    it('counts registry mismatches by the field that differed, every reason listed', async () => {
      expect(await stats.mismatches(PERIOD)).toEqual([
        { field: 'cccd', accounts: 1 },
        { field: 'full_name', accounts: 1 },
        { field: 'date_of_birth', accounts: 0 },
      ]);
      expect(await stats.mismatches(ward(W1))).toEqual([
        { field: 'cccd', accounts: 1 },
        { field: 'full_name', accounts: 0 },
        { field: 'date_of_birth', accounts: 0 },
      ]);
    });

    it('counts hand-offs answered and the time to their first answer, per day and in all', async () => {
      expect(await stats.handoffs(PERIOD)).toEqual({
        days: [
          {
            day: '2026-11-01',
            opened: 2,
            answered: 2,
            medianSecondsToFirstAnswer: 360,
            averageSecondsToFirstAnswer: 360,
          },
          {
            day: '2026-11-02',
            opened: 2,
            answered: 1,
            medianSecondsToFirstAnswer: 30,
            averageSecondsToFirstAnswer: 30,
          },
        ],
        total: {
          day: null,
          opened: 4,
          answered: 3,
          medianSecondsToFirstAnswer: 120,
          averageSecondsToFirstAnswer: 250,
        },
      });
      expect((await stats.handoffs(ward(W2))).total).toEqual({
        day: null,
        opened: 1,
        answered: 1,
        medianSecondsToFirstAnswer: 30,
        averageSecondsToFirstAnswer: 30,
      });
      expect(await stats.handoffs(city('2026-12-01', '2026-12-01'))).toEqual({
        days: [],
        total: {
          day: null,
          opened: 0,
          answered: 0,
          medianSecondsToFirstAnswer: null,
          averageSecondsToFirstAnswer: null,
        },
      });
    });

    it('ranks every team, ties sharing a rank', async () => {
      const board = await stats.leaderboard(PERIOD);
      expect(board.map(({ teamId, ...row }) => row)).toEqual([
        {
          rank: 1,
          teamName: 'Tổ An',
          wardCode: W1,
          members: 2,
          registrations: 2,
          verified: 1,
          handoffsAnswered: 1,
        },
        {
          rank: 2,
          teamName: 'Tổ Bình',
          wardCode: W2,
          members: 1,
          registrations: 1,
          verified: 0,
          handoffsAnswered: 1,
        },
        {
          rank: 3,
          teamName: 'Tổ Cúc',
          wardCode: W1,
          members: 0,
          registrations: 0,
          verified: 0,
          handoffsAnswered: 0,
        },
        {
          rank: 3,
          teamName: 'Tổ Dung',
          wardCode: W2,
          members: 0,
          registrations: 0,
          verified: 0,
          handoffsAnswered: 0,
        },
      ]);
      expect((await stats.leaderboard(ward(W1))).map((r) => [r.rank, r.teamName])).toEqual([
        [1, 'Tổ An'],
        [2, 'Tổ Cúc'],
      ]);
    });
  });
}
