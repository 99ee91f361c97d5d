import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { volunteerCopy } from '../../flows/volunteer/volunteer.copy.ts';
import { wards } from '../../src/domain/wards/wards.ts';
import { renderSmsText } from '../../src/messaging/sms-render.ts';
import { ADMIN_TOKEN, AppHarness } from '../support/app-harness.ts';
import { scanKeys } from '../support/services.ts';

const WARD = wards[0] ?? { code: '', name: '' };
const VI = volunteerCopy.vi;
const sms = (text: string) => renderSmsText({ text }, 'gsm7');

describe('volunteer teams end to end: created by the admin API, joined by SMS', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await AppHarness.start();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const admin = (method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) =>
    h.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });

  it('recruits by TNV, shows the members to the admin API, and drops a removed member at once', async () => {
    const created = await admin('POST', '/api/v1/admin/teams', { name: 'Tổ CNS TDP 5', wardCode: WARD.code });
    const team = created.json() as { id: string; inviteCode: string };

    const leader = await h.say('+84905610001', `TNV ${team.inviteCode.toLowerCase()}`);
    const member = await h.say('+84905610002', `tình nguyện ${team.inviteCode}`);

    expect(leader).toEqual([sms(VI.joined('Tổ CNS TDP 5', WARD.name, 'tổ trưởng'))]);
    expect(member).toEqual([sms(VI.joined('Tổ CNS TDP 5', WARD.name, 'thành viên'))]);
    const detail = (await admin('GET', `/api/v1/admin/teams/${team.id}`)).json();
    expect(detail.members).toEqual([
      { id: expect.any(String), phone: '+84905610001', role: 'leader', joinedAt: expect.any(String) },
      { id: expect.any(String), phone: '+84905610002', role: 'member', joinedAt: expect.any(String) },
    ]);

    const removed = await admin('DELETE', `/api/v1/admin/teams/${team.id}/members/${detail.members[1].id}`);

    expect(removed.statusCode).toBe(204);
    expect(await h.say('+84905610002', 'TNV')).toEqual([sms(VI.notMember())]);
    expect(await h.say('+84905610001', 'TNV')).toEqual([
      sms(VI.membership('Tổ CNS TDP 5', WARD.name, 'tổ trưởng')),
    ]);
  });

  it('refuses the invite code an admin replaced with the answer of any wrong code', async () => {
    const created = await admin('POST', '/api/v1/admin/teams', { name: 'Tổ CNS TDP 6', wardCode: WARD.code });
    const team = created.json() as { id: string; inviteCode: string };
    const renewed = (await admin('POST', `/api/v1/admin/teams/${team.id}/invite`)).json();

    expect(await h.say('+84905610011', `TNV ${team.inviteCode}`)).toEqual([sms(VI.wrongCode())]);
    expect(await h.say('+84905610011', 'TNV ZZZZ2345')).toEqual([sms(VI.wrongCode())]);
    expect(await h.say('+84905610011', `TNV ${renewed.inviteCode}`)).toEqual([
      sms(VI.joined('Tổ CNS TDP 6', WARD.name, 'tổ trưởng')),
    ]);
  });

  it('counts wrong codes in Redis under a keyed hash, never the phone', async () => {
    await h.say('+84905610021', 'TNV YYYY2345');

    const keys = await scanKeys(h.services.redis, `${h.data.prefix}:invite-guess:*`);

    // This sender's and the one of the test before.
    expect(keys).toHaveLength(2);
    expect(keys.join()).not.toMatch(/90561/);
  });
});
