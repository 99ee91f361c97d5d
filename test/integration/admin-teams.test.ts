import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wards } from '../../src/domain/wards/wards.ts';
import { newCitizen } from '../contracts/citizen-repository.contract.ts';
import { ADMIN_TOKEN, AppHarness } from '../support/app-harness.ts';

const WARD = wards[0]?.code ?? '';
const INVITE_CODE = /^[2-9A-HJ-NP-Z]{8}$/;

describe('admin API: wards and teams', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await AppHarness.start({ workers: 0 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) => h.admin(method, url, body);

  async function createdTeam(name = 'Tổ công nghệ số TDP 12') {
    const response = await call('POST', '/api/v1/admin/teams', { name, wardCode: WARD });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; name: string; wardCode: string; inviteCode: string };
  }

  const join = (teamId: string, phone: string, minute: number) =>
    h.services.teams.join(
      teamId,
      { phone, channel: 'twilio-sms', address: phone },
      new Date(Date.UTC(2026, 2, 1, 8, minute)),
    );

  describe('GET /api/v1/admin/wards', () => {
    it('lists every commune-level unit with its code, name and kind', async () => {
      const response = await call('GET', '/api/v1/admin/wards');

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(wards.map(({ code, name, kind }) => ({ code, name, kind })));
    });
  });

  describe('POST /api/v1/admin/teams', () => {
    it('creates a team with an 8-character invite code that finds it', async () => {
      const response = await call('POST', '/api/v1/admin/teams', {
        name: '  Tổ CNS Hải Châu 1 ',
        wardCode: WARD,
      });

      expect(response.statusCode).toBe(201);
      const team = response.json();
      expect(team).toEqual({
        id: expect.any(String),
        name: 'Tổ CNS Hải Châu 1',
        wardCode: WARD,
        inviteCode: expect.stringMatching(INVITE_CODE),
      });
      await expect(h.services.teams.findByInviteCode(team.inviteCode)).resolves.toMatchObject({
        id: team.id,
      });
    });

    it('refuses a ward code that names no unit with UNKNOWN_WARD', async () => {
      const response = await call('POST', '/api/v1/admin/teams', { name: 'Tổ 1', wardCode: 'NOWHERE' });

      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: { code: 'UNKNOWN_WARD', message: expect.any(String) } });
    });

    it.each([
      [{ name: 'A', wardCode: WARD }, 'name: must be at least 2 characters'],
      [{ name: 'x'.repeat(121), wardCode: WARD }, 'name: must be at most 120 characters'],
      [{ name: 'Tổ\u202e1', wardCode: WARD }, 'name: must not contain'],
      [{ wardCode: WARD }, 'name: is required'],
      [{ name: 'Tổ 1' }, 'wardCode: is required'],
    ])('refuses %j with VALIDATION naming the field', async (body, message) => {
      const response = await call('POST', '/api/v1/admin/teams', body);

      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        error: { code: 'VALIDATION', message: expect.stringContaining(message) },
      });
    });

    it('refuses a body that is not JSON with 415', async () => {
      const response = await h.app.inject({
        method: 'POST',
        url: '/api/v1/admin/teams',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/plain' },
        payload: 'name=Tổ 1',
      });

      expect(response.statusCode).toBe(415);
      expect(response.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('GET /api/v1/admin/teams', () => {
    it('lists the teams, oldest first', async () => {
      const first = await createdTeam('Tổ liệt kê 1');
      const second = await createdTeam('Tổ liệt kê 2');

      const response = await call('GET', '/api/v1/admin/teams');

      expect(response.statusCode).toBe(200);
      const listed = response.json() as { id: string }[];
      expect(listed.filter((t) => t.id === first.id || t.id === second.id)).toEqual([first, second]);
    });
  });

  describe('GET /api/v1/admin/teams/{id}', () => {
    it('gives a team with its members, leader first, and its figures', async () => {
      const team = await createdTeam();
      const leader = await join(team.id, '+84905600001', 1);
      const member = await join(team.id, '+84905600002', 2);
      const registered = await h.services.citizens.create(
        newCitizen({
          phone: '+84905600099',
          cccd: '048090600099',
          accountCode: 'TMFG2345',
          actor: { kind: 'volunteer', id: member.member.id },
          registeredBy: { teamId: team.id, memberId: member.member.id },
        }),
      );
      if (registered.type !== 'created') throw new Error(registered.type);
      await h.services.citizens.recordVerification(registered.citizen.id, { outcome: 'verified' });

      const response = await call('GET', `/api/v1/admin/teams/${team.id}`);

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        ...team,
        members: [
          {
            id: leader.member.id,
            phone: '+84905600001',
            role: 'leader',
            joinedAt: '2026-03-01T08:01:00.000Z',
          },
          {
            id: member.member.id,
            phone: '+84905600002',
            role: 'member',
            joinedAt: '2026-03-01T08:02:00.000Z',
          },
        ],
        registrations: { total: 1, verified: 1, notMatched: 0 },
        handoffs: { open: 0, closed: 0 },
      });
    });

    it('answers 404 NOT_FOUND for an unknown team and 400 VALIDATION for a malformed id', async () => {
      const unknown = await call('GET', `/api/v1/admin/teams/${randomUUID()}`);
      const malformed = await call('GET', '/api/v1/admin/teams/not-a-uuid');

      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('NOT_FOUND');
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json()).toEqual({
        error: { code: 'VALIDATION', message: expect.stringContaining('must be a team id') },
      });
    });
  });

  describe('POST /api/v1/admin/teams/{id}/invite', () => {
    it('gives the team a new invite code; the old one stops working at once', async () => {
      const team = await createdTeam();
      await join(team.id, '+84905600011', 1);

      const response = await call('POST', `/api/v1/admin/teams/${team.id}/invite`);

      expect(response.statusCode).toBe(200);
      const renewed = response.json();
      expect(renewed).toEqual({ ...team, inviteCode: expect.stringMatching(INVITE_CODE) });
      expect(renewed.inviteCode).not.toBe(team.inviteCode);
      await expect(h.services.teams.findByInviteCode(team.inviteCode)).resolves.toBeNull();
      await expect(h.services.teams.findByInviteCode(renewed.inviteCode)).resolves.toMatchObject({
        id: team.id,
      });
      await expect(h.services.teams.members(team.id)).resolves.toHaveLength(1);
    });

    it('answers 404 for an unknown team and 400 for a malformed id', async () => {
      expect((await call('POST', `/api/v1/admin/teams/${randomUUID()}/invite`)).statusCode).toBe(404);
      expect((await call('POST', '/api/v1/admin/teams/nope/invite')).statusCode).toBe(400);
    });
  });

  describe('DELETE /api/v1/admin/teams/{id}/members/{memberId}', () => {
    it('removes a member at once; removing them again is 404', async () => {
      const team = await createdTeam();
      const joined = await join(team.id, '+84905600021', 1);
      const url = `/api/v1/admin/teams/${team.id}/members/${joined.member.id}`;

      const removed = await call('DELETE', url);

      expect(removed.statusCode).toBe(204);
      expect(removed.body).toBe('');
      await expect(h.services.teams.membershipOf('+84905600021')).resolves.toBeNull();
      const again = await call('DELETE', url);
      expect(again.statusCode).toBe(404);
      expect(again.json().error.code).toBe('NOT_FOUND');
    });

    it('answers 404 for a member of another team or an unknown one, and 400 for malformed ids', async () => {
      const mine = await createdTeam('Tổ A');
      const other = await createdTeam('Tổ B');
      const theirs = await join(other.id, '+84905600031', 1);

      const ofOther = await call('DELETE', `/api/v1/admin/teams/${mine.id}/members/${theirs.member.id}`);
      const unknown = await call('DELETE', `/api/v1/admin/teams/${mine.id}/members/${randomUUID()}`);
      const malformed = await call('DELETE', `/api/v1/admin/teams/${mine.id}/members/42`);

      expect([ofOther.statusCode, unknown.statusCode, malformed.statusCode]).toEqual([404, 404, 400]);
      expect(malformed.json().error.message).toContain('must be a member id');
      await expect(h.services.teams.membershipOf('+84905600031')).resolves.toMatchObject({
        team: { id: other.id },
      });
    });
  });

  describe('GET /api/v1/admin/citizens?phone=', () => {
    it('names the team and member who registered an account, and null for one the citizen opened', async () => {
      const team = await createdTeam('Tổ đăng ký hộ');
      const member = await join(team.id, '+84905600041', 1);
      const opened = (phone: string, cccd: string, accountCode: string, registeredBy: boolean) =>
        h.services.citizens.create(
          newCitizen({
            phone,
            cccd,
            accountCode,
            ...(registeredBy
              ? {
                  actor: { kind: 'volunteer', id: member.member.id },
                  registeredBy: { teamId: team.id, memberId: member.member.id },
                }
              : {}),
          }),
        );
      await opened('+84905600042', '048090600042', 'RGBY2345', true);
      await opened('+84905600043', '048090600043', 'SELF2345', false);

      const byVolunteer = await call('GET', '/api/v1/admin/citizens?phone=%2B84905600042');
      const byThemself = await call('GET', '/api/v1/admin/citizens?phone=%2B84905600043');

      expect(byVolunteer.json().registeredBy).toEqual({ teamId: team.id, memberId: member.member.id });
      expect(byThemself.json().registeredBy).toBeNull();
    });
  });
});
