import { describe, expect, it } from 'vitest';
import { wards } from '../../src/domain/wards/wards.ts';
import { renderSmsText } from '../../src/messaging/sms-render.ts';
import { InMemoryTeamRepository } from '../../test/fakes/in-memory-team-repository.ts';
import { Transcript } from '../../test/support/transcript.ts';
import { volunteerCopy } from './volunteer.copy.ts';

const WARD = wards[0] ?? { code: '', name: '' };
const CODE = 'TEAM2345';
const VI = volunteerCopy.vi;
const EN = volunteerCopy.en;
/** A sentence as an SMS reads it by default: without diacritics. */
const sms = (text: string) => renderSmsText({ text }, 'gsm7');

async function teamIn(teams: InMemoryTeamRepository, inviteCode = CODE, name = 'Tổ CNS số 1') {
  const outcome = await teams.create({ name, wardCode: WARD.code, inviteCode });
  if (outcome.type !== 'created') throw new Error(outcome.type);
  return outcome.team;
}

/** A person texting from `phone`, in one team store shared with the others of the test. */
const person = (teams: InMemoryTeamRepository, phone: string) => new Transcript({ phone, teams });

describe('TNV: joining a team', () => {
  it('makes the first member the leader and names the team, the ward and what they can do now', async () => {
    const teams = new InMemoryTeamRepository();
    const team = await teamIn(teams);
    const an = person(teams, '+84905000001');

    const replies = await an.send(`TNV ${CODE}`);

    expect(replies).toEqual([sms(VI.joined('Tổ CNS số 1', WARD.name, 'tổ trưởng'))]);
    expect(replies[0]).toContain('DKH');
    expect(replies[0]).toContain('NHAN');
    await expect(teams.membershipOf('+84905000001')).resolves.toMatchObject({
      team: { id: team.id },
      member: { role: 'leader', channel: 'twilio-sms', address: '+84905000001' },
    });
  });

  it('makes the next ones members', async () => {
    const teams = new InMemoryTeamRepository();
    await teamIn(teams);
    await person(teams, '+84905000001').send(`TNV ${CODE}`);

    const replies = await person(teams, '+84905000002').send(`TNV ${CODE}`);

    expect(replies).toEqual([sms(VI.joined('Tổ CNS số 1', WARD.name, 'thành viên'))]);
  });

  it.each([
    'tnv team2345',
    'TNV TEAM-2345',
    'TNV team 2345',
    'tình nguyện TEAM2345',
    'tinh nguyen vien TEAM2345',
    'Volunteer team2345',
  ])('reads %j as joining with the code', async (message) => {
    const teams = new InMemoryTeamRepository();
    await teamIn(teams);

    const [reply] = await person(teams, '+84905000001').send(message);

    expect(reply).toBe(sms(VI.joined('Tổ CNS số 1', WARD.name, 'tổ trưởng')));
  });

  it('needs no account, and leaves nothing waiting: the next message is handled fresh', async () => {
    const teams = new InMemoryTeamRepository();
    await teamIn(teams);
    const an = person(teams, '+84905000001');

    await an.send(`TNV ${CODE}`);

    expect(an.citizens.entries).toEqual([]);
    expect(await an.send('HUY')).toEqual(['Khong co buoc nao dang lam. Gui HD de xem huong dan.']);
  });

  it('changes nothing for a member who sends the code again', async () => {
    const teams = new InMemoryTeamRepository();
    await teamIn(teams);
    const an = person(teams, '+84905000001');
    await an.send(`TNV ${CODE}`);

    expect(await an.send(`TNV ${CODE}`)).toEqual([
      sms(VI.alreadyMember('Tổ CNS số 1', WARD.name, 'tổ trưởng')),
    ]);
    await expect(teams.members(teams.teams[0]?.id ?? '')).resolves.toHaveLength(1);
  });

  it('keeps a person in one team: the other team’s code says which team they are in and how to leave', async () => {
    const teams = new InMemoryTeamRepository();
    const mine = await teamIn(teams, CODE, 'Tổ An Hải');
    await teamIn(teams, 'PHMY2345', 'Tổ Phước Mỹ');
    const an = person(teams, '+84905000001');
    await an.send(`TNV ${CODE}`);

    const replies = await an.send('TNV PHMY2345');

    expect(replies).toEqual([sms(VI.inOtherTeam('Tổ An Hải', WARD.name))]);
    expect(replies[0]).toContain('TNV ROI');
    await expect(teams.membershipOf('+84905000001')).resolves.toMatchObject({ team: { id: mine.id } });
  });

  it('answers in English after EN', async () => {
    const teams = new InMemoryTeamRepository();
    await teamIn(teams);
    const an = person(teams, '+84905000001');
    await an.send('EN');

    expect(await an.send(`volunteer ${CODE}`)).toEqual([sms(EN.joined('Tổ CNS số 1', WARD.name, 'leader'))]);
  });

  it('cuts a long team name by SMS so the answer stays one segment, and shows it whole in a chat', async () => {
    const teams = new InMemoryTeamRepository();
    const long = 'Tổ công nghệ số cộng đồng tổ dân phố số 12 khu dân cư Hòa Cường Bắc mở rộng';
    await teamIn(teams, CODE, long);
    const an = person(teams, '+84905000001');

    const [reply = ''] = await an.send(`TNV ${CODE}`);

    expect(reply).toBe(sms(VI.joined('Tổ công nghệ số cộng đồng t...', WARD.name, 'tổ trưởng')));
    expect(reply.length).toBeLessThanOrEqual(160);
  });
});

describe('TNV: wrong invite codes', () => {
  it('gives the same answer for a code that never existed, a replaced one and one that cannot be a code', async () => {
    const teams = new InMemoryTeamRepository();
    const team = await teamIn(teams, 'OLDC2345');
    await teams.replaceInviteCode(team.id, 'NEWC2345');
    const an = person(teams, '+84905000001');

    const answers = [
      await an.send('TNV NONE2345'),
      await an.send('TNV OLDC2345'),
      await an.send('TNV 12345'),
    ];

    expect(answers).toEqual([[sms(VI.wrongCode())], [sms(VI.wrongCode())], [sms(VI.wrongCode())]]);
    await expect(teams.membershipOf('+84905000001')).resolves.toBeNull();
  });

  it('allows 5 wrong codes an hour, then refuses every code, the right one too, until the hour ends', async () => {
    const teams = new InMemoryTeamRepository();
    await teamIn(teams);
    const an = person(teams, '+84905000001');

    const four = [];
    for (const guess of ['AAAA2345', 'BBBB2345', 'CCCC2345', 'DDDD2345'])
      four.push(await an.send(`TNV ${guess}`));
    const fifth = await an.send('TNV EEEE2345');
    const right = await an.send(`TNV ${CODE}`);
    an.advance(60 * 60_000);
    const nextHour = await an.send(`TNV ${CODE}`);

    expect(four).toEqual(Array.from({ length: 4 }, () => [sms(VI.wrongCode())]));
    // The transcript's day starts at 10:00 in Vietnam: the hour of wrong codes ends at 11:00.
    expect(fifth).toEqual([sms(VI.blocked('11:00'))]);
    expect(right).toEqual([sms(VI.blocked('11:00'))]);
    expect(nextHour).toEqual([sms(VI.joined('Tổ CNS số 1', WARD.name, 'tổ trưởng'))]);
  });

  it('counts each sender apart, under a keyed hash of the phone, never the phone', async () => {
    const teams = new InMemoryTeamRepository();
    await teamIn(teams);
    const an = person(teams, '+84905000001');
    for (const guess of ['AAAA2345', 'BBBB2345', 'CCCC2345', 'DDDD2345', 'EEEE2345'])
      await an.send(`TNV ${guess}`);
    const binh = new Transcript({ phone: '+84905000002', teams });

    expect(await binh.send(`TNV ${CODE}`)).toEqual([sms(VI.joined('Tổ CNS số 1', WARD.name, 'tổ trưởng'))]);
    expect([...an.wrongInviteCodes.counts.keys()].join()).not.toMatch(/905000001/);
  });

  it('does not count text that cannot be a code', async () => {
    const teams = new InMemoryTeamRepository();
    await teamIn(teams);
    const an = person(teams, '+84905000001');
    for (let i = 0; i < 6; i += 1) await an.send('TNV hello');

    expect(await an.send(`TNV ${CODE}`)).toEqual([sms(VI.joined('Tổ CNS số 1', WARD.name, 'tổ trưởng'))]);
  });
});

describe('TNV: showing and leaving', () => {
  it('shows the team and role to a member, and how to join to anyone else', async () => {
    const teams = new InMemoryTeamRepository();
    await teamIn(teams);
    const an = person(teams, '+84905000001');
    const binh = person(teams, '+84905000002');
    await an.send(`TNV ${CODE}`);
    await binh.send(`TNV ${CODE}`);

    expect(await an.send('TNV')).toEqual([sms(VI.membership('Tổ CNS số 1', WARD.name, 'tổ trưởng'))]);
    expect(await binh.send('tình nguyện')).toEqual([
      sms(VI.membership('Tổ CNS số 1', WARD.name, 'thành viên')),
    ]);
    expect(await person(teams, '+84905000003').send('TNV')).toEqual([sms(VI.notMember())]);
  });

  it.each(['TNV ROI', 'TNV roi', 'TNV rời', 'tnv roi to', 'volunteer leave'])(
    '%j leaves the team',
    async (message) => {
      const teams = new InMemoryTeamRepository();
      await teamIn(teams);
      const an = person(teams, '+84905000001');
      await an.send(`TNV ${CODE}`);

      expect(await an.send(message)).toEqual([sms(VI.left('Tổ CNS số 1'))]);
      await expect(teams.membershipOf('+84905000001')).resolves.toBeNull();
      expect(await an.send('TNV')).toEqual([sms(VI.notMember())]);
    },
  );

  it('says there is nothing to leave when the sender is in no team', async () => {
    const an = person(new InMemoryTeamRepository(), '+84905000001');

    expect(await an.send('TNV ROI')).toEqual([sms(VI.nothingToLeave())]);
  });

  it('lets a member who left join another team', async () => {
    const teams = new InMemoryTeamRepository();
    await teamIn(teams);
    await teamIn(teams, 'PHMY2345', 'Tổ Phước Mỹ');
    const an = person(teams, '+84905000001');
    await an.send(`TNV ${CODE}`);
    await an.send('TNV ROI');

    expect(await an.send('TNV PHMY2345')).toEqual([sms(VI.joined('Tổ Phước Mỹ', WARD.name, 'tổ trưởng'))]);
  });

  it('treats a removed member as no member from the next message on', async () => {
    const teams = new InMemoryTeamRepository();
    const team = await teamIn(teams);
    const an = person(teams, '+84905000001');
    await an.send(`TNV ${CODE}`);
    const member = (await teams.members(team.id))[0];

    await teams.removeMember(team.id, member?.id ?? '', new Date());

    expect(await an.send('TNV')).toEqual([sms(VI.notMember())]);
    expect(await an.send('TNV ROI')).toEqual([sms(VI.nothingToLeave())]);
  });
});

describe('TNV from a messenger', () => {
  it.each(['telegram', 'zalo-oa'] as const)(
    'on %s, asks to link the phone first (LK) while the chat has no proven phone, and joins nothing',
    async (channel) => {
      const teams = new InMemoryTeamRepository();
      await teamIn(teams);
      const chat = new Transcript({ channel, phone: 'chat-user-1', teams });

      expect(await chat.send(`TNV ${CODE}`)).toEqual([VI.linkFirst()]);
      expect(await chat.send('TNV')).toEqual([VI.linkFirst()]);
      expect(teams.entries).toEqual([]);
      expect(chat.wrongInviteCodes.counts.size).toBe(0);
    },
  );

  it('joins once the chat’s phone is proven, reached in that chat, with the team’s full name', async () => {
    const teams = new InMemoryTeamRepository();
    const long = 'Tổ công nghệ số cộng đồng tổ dân phố số 12 khu dân cư Hòa Cường Bắc mở rộng';
    await teamIn(teams, CODE, long);
    const chat = new Transcript({ channel: 'telegram', phone: '777001', teams });
    await chat.sharePhone('+84905000001');

    expect(await chat.send(`TNV ${CODE}`)).toEqual([VI.joined(long, WARD.name, 'tổ trưởng')]);
    await expect(teams.membershipOf('+84905000001')).resolves.toMatchObject({
      member: { channel: 'telegram', address: '777001' },
    });
  });

  it('knows the member by phone: the same person by SMS is already in the team', async () => {
    const teams = new InMemoryTeamRepository();
    await teamIn(teams);
    const chat = new Transcript({ channel: 'telegram', phone: '777001', teams });
    await chat.sharePhone('+84905000001');
    await chat.send(`TNV ${CODE}`);

    expect(await person(teams, '+84905000001').send('TNV')).toEqual([
      sms(VI.membership('Tổ CNS số 1', WARD.name, 'tổ trưởng')),
    ]);
  });
});
