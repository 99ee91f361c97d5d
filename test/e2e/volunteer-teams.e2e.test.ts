import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { volunteerCopy } from '../../flows/volunteer/volunteer.copy.ts';
import { wards } from '../../src/domain/wards/wards.ts';
import { renderSmsText } from '../../src/messaging/sms-render.ts';
import {
  type RecordedZaloMessage,
  signZaloEvent,
  zaloSubmitInfoEvent,
  zaloTextEvent,
} from '../fakes/fake-zalo-oa-server.ts';
import { AppHarness, ZALO_OA } from '../support/app-harness.ts';
import { eventually, scanKeys } from '../support/services.ts';

const WARD = wards[0] ?? { code: '', name: '' };
const VI = volunteerCopy.vi;
const sms = (text: string) => renderSmsText({ text }, 'gsm7');

describe('volunteer teams end to end: created by the admin API, joined by SMS and Zalo OA', () => {
  let h: AppHarness;
  beforeAll(async () => {
    h = await AppHarness.start({ channels: ['zalo-oa'] });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const admin = (method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) =>
    h.admin(method, url, body);

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

  describe('from Zalo OA', () => {
    const user = '2001001';
    const phone = '+84905610031';
    let msg = 0;
    type Sent = { text?: string; attachment?: { payload?: { elements?: { subtitle?: string }[] } } };
    /** A message's text, or the text of its template (the phone form). */
    const textOf = (m: RecordedZaloMessage) => {
      const sent = m.message as Sent;
      return sent.text ?? sent.attachment?.payload?.elements?.[0]?.subtitle ?? '';
    };
    const sentTo = () => (h.fakes.zaloOa?.sent ?? []).filter((m) => m.userId === user);
    /** Posts a signed event from the user; resolves the texts that reached them once `until` matches them. */
    const on = async (event: object, until: RegExp) => {
      const before = sentTo().length;
      const raw = JSON.stringify(event);
      const response = await h.postJson('/webhooks/zalo', raw, {
        'x-zevent-signature': signZaloEvent(raw, ZALO_OA),
      });
      expect(response.status).toBe(200);
      await eventually(() => until.test(sentTo().slice(before).map(textOf).join('\n')));
      return sentTo().slice(before).map(textOf);
    };
    const base = { appId: ZALO_OA.appId, oaId: ZALO_OA.oaId, userId: user };
    const say = (text: string, until: RegExp) => {
      msg += 1;
      return on(zaloTextEvent({ ...base, msgId: `tnv-${msg}`, text }), until);
    };

    it('asks a chat without a proven phone to link first, and joins once the phone is proven by SMS code', async () => {
      const created = await admin('POST', '/api/v1/admin/teams', {
        name: 'Tổ CNS TDP 7',
        wardCode: WARD.code,
      });
      const team = created.json() as { id: string; inviteCode: string };

      expect(await say(`TNV ${team.inviteCode}`, /LK/)).toEqual([VI.linkFirst()]);

      await say('LK', /./);
      await on(zaloSubmitInfoEvent({ ...base, phone: phone.slice(1) }), /0905\*\*\*031/);
      const code = /\b(\d{6})\b/.exec((await h.waitForInbox(phone, 1)).at(-1) ?? '')?.[1] ?? '';
      await say(code, /./);
      const joined = await say(`TNV ${team.inviteCode}`, /DKH/);

      expect(joined).toEqual([VI.joined('Tổ CNS TDP 7', WARD.name, 'tổ trưởng')]);
      await expect(h.services.teams.membershipOf(phone)).resolves.toMatchObject({
        team: { id: team.id },
        member: { channel: 'zalo-oa', address: user },
      });
    });
  });
});
