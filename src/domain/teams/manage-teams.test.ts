import { describe, expect, it } from 'vitest';
import { InMemoryTeamRepository } from '../../../test/fakes/in-memory-team-repository.ts';
import { wards } from '../wards/wards.ts';
import {
  createTeam,
  INVITE_CODE_ATTEMPTS,
  InviteCodeExhaustedError,
  renewInviteCode,
} from './manage-teams.ts';

const WARD = wards[0]?.code ?? '';

/** A generator that answers `codes` in turn, then the last one forever. */
const scripted = (...codes: string[]) => {
  let next = 0;
  return () => codes[Math.min(next++, codes.length - 1)] ?? '';
};

describe('createTeam', () => {
  it('creates a team of a known ward with a fresh invite code', async () => {
    const teams = new InMemoryTeamRepository();

    const outcome = await createTeam({ teams }, { name: 'Tổ 1', wardCode: WARD });

    expect(outcome).toMatchObject({
      type: 'created',
      team: { name: 'Tổ 1', wardCode: WARD, inviteCode: expect.stringMatching(/^[2-9A-HJ-NP-Z]{8}$/) },
    });
  });

  it('refuses a ward code that names no unit, and stores nothing', async () => {
    const teams = new InMemoryTeamRepository();

    await expect(createTeam({ teams }, { name: 'Tổ 1', wardCode: 'NOWHERE' })).resolves.toEqual({
      type: 'unknown_ward',
    });
    expect(teams.teams).toEqual([]);
  });

  it('draws again when the code is taken', async () => {
    const teams = new InMemoryTeamRepository();
    await teams.create({ name: 'First', wardCode: WARD, inviteCode: 'TAKN2345' });

    const outcome = await createTeam(
      { teams, newInviteCode: scripted('TAKN2345', 'TAKN2345', 'FREE2345') },
      { name: 'Second', wardCode: WARD },
    );

    expect(outcome).toMatchObject({ type: 'created', team: { name: 'Second', inviteCode: 'FREE2345' } });
  });

  it('gives up with an error after every drawn code was taken', async () => {
    const teams = new InMemoryTeamRepository();
    await teams.create({ name: 'First', wardCode: WARD, inviteCode: 'TAKN2345' });

    await expect(
      createTeam({ teams, newInviteCode: scripted('TAKN2345') }, { name: 'Second', wardCode: WARD }),
    ).rejects.toThrow(InviteCodeExhaustedError);
    expect(teams.teams).toHaveLength(1);
  });
});

describe('renewInviteCode', () => {
  it('replaces the code, drawing again when the new one is taken', async () => {
    const teams = new InMemoryTeamRepository();
    await teams.create({ name: 'Other', wardCode: WARD, inviteCode: 'TAKN2345' });
    const created = await teams.create({ name: 'Mine', wardCode: WARD, inviteCode: 'OLDC2345' });
    const id = created.type === 'created' ? created.team.id : '';

    const team = await renewInviteCode({ teams, newInviteCode: scripted('TAKN2345', 'NEWC2345') }, id);

    expect(team).toMatchObject({ id, inviteCode: 'NEWC2345' });
    await expect(teams.findByInviteCode('OLDC2345')).resolves.toBeNull();
  });

  it('answers null for a team that does not exist', async () => {
    await expect(
      renewInviteCode({ teams: new InMemoryTeamRepository() }, 'no-such-team'),
    ).resolves.toBeNull();
  });

  it(`gives up after ${INVITE_CODE_ATTEMPTS} taken codes`, async () => {
    const teams = new InMemoryTeamRepository();
    await teams.create({ name: 'Other', wardCode: WARD, inviteCode: 'TAKN2345' });
    const created = await teams.create({ name: 'Mine', wardCode: WARD, inviteCode: 'OLDC2345' });
    const id = created.type === 'created' ? created.team.id : '';

    await expect(renewInviteCode({ teams, newInviteCode: scripted('TAKN2345') }, id)).rejects.toThrow(
      InviteCodeExhaustedError,
    );
    await expect(teams.findByInviteCode('OLDC2345')).resolves.toMatchObject({ id });
  });
});
