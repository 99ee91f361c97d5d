import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handoffCopy } from '../../flows/handoff/handoff.copy.ts';
import { renderSmsText } from '../../src/messaging/sms-render.ts';
import { type FakeSmsGateway, smsGatewayInbound } from '../fakes/fake-sms-gateway-server.ts';
import { signZaloEvent, zaloTextEvent } from '../fakes/fake-zalo-oa-server.ts';
import { ADMIN_TOKEN, AppHarness, SMS_GATEWAY_SECRET, ZALO_OA } from '../support/app-harness.ts';
import { eventually } from '../support/services.ts';

// A citizen on Zalo OA asks for a person; volunteers on the SMS gateway are told, one takes it, they talk, the
// volunteer closes it and the bot answers the citizen again. Real app, real PostgreSQL, Redis and BullMQ.

const vi = handoffCopy.vi;
const sms = (text: string) => renderSmsText({ text }, 'gsm7');
const HAI_CHAU = '20242';
const SON_TRA = '20263';
const CITIZEN = '3001';
const LAN = '+84905000111';
const TUAN = '+84905000333';

describe('hand-off to a person through the real app (Zalo OA citizen, SMS volunteers)', () => {
  let app: AppHarness;
  let msg = 0;
  let smsId = 0;
  const gateway = (): FakeSmsGateway => {
    if (!app.fakes.gateway) throw new Error('the gateway is off');
    return app.fakes.gateway;
  };
  const textsTo = (phone: string) =>
    gateway()
      .messages.filter((m) => m.to === phone)
      .map((m) => m.text);
  const zaloTo = (userId: string) =>
    (app.fakes.zaloOa?.sent ?? [])
      .filter((m) => m.userId === userId)
      .map((m) => (m.message as { text?: string }).text ?? '');

  /** The citizen writes on Zalo; resolves once `count` more messages reached them (0: once the turn is done). */
  async function citizen(text: string, count: number): Promise<string[]> {
    msg += 1;
    const before = zaloTo(CITIZEN).length;
    const raw = JSON.stringify(
      zaloTextEvent({ appId: ZALO_OA.appId, oaId: ZALO_OA.oaId, userId: CITIZEN, msgId: `h${msg}`, text }),
    );
    const response = await app.postJson('/webhooks/zalo', raw, {
      'x-zevent-signature': signZaloEvent(raw, ZALO_OA),
    });
    expect(response.status).toBe(200);
    await app.waitForIdle();
    await eventually(() => zaloTo(CITIZEN).length >= before + count);
    return zaloTo(CITIZEN).slice(before);
  }
  /** A volunteer texts the short code; resolves once `count` more SMS reached them (0: the turn is done). */
  async function volunteer(phone: string, text: string, count: number): Promise<string[]> {
    smsId += 1;
    const before = textsTo(phone).length;
    const { body, headers } = smsGatewayInbound(SMS_GATEWAY_SECRET, { id: `h-${smsId}`, from: phone, text });
    expect((await app.postJson('/webhooks/sms-gateway', body, headers)).status).toBe(200);
    await app.waitForIdle();
    await eventually(() => textsTo(phone).length >= before + count);
    return textsTo(phone).slice(before);
  }
  const admin = (path: string) =>
    fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

  let haiChau = '';

  beforeAll(async () => {
    app = await AppHarness.start({ channels: ['zalo-oa', 'sms-gateway'] });
    // Two teams made by the admin API; a volunteer joins each by SMS with its invite code.
    const team = async (name: string, wardCode: string) => {
      const created = await fetch(`${app.baseUrl}/api/v1/admin/teams`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name, wardCode }),
      });
      expect(created.status).toBe(201);
      return (await created.json()) as { id: string; inviteCode: string };
    };
    const lanTeam = await team('Tổ CNS Hải Châu', HAI_CHAU);
    const tuanTeam = await team('Tổ CNS Sơn Trà', SON_TRA);
    haiChau = lanTeam.id;
    expect(await volunteer(LAN, `TNV ${lanTeam.inviteCode}`, 1)).toHaveLength(1);
    expect(await volunteer(TUAN, `TNV ${tuanTeam.inviteCode}`, 1)).toHaveLength(1);
    expect(await app.services.teams.membershipOf(LAN)).not.toBeNull();
    expect(await app.services.teams.membershipOf(TUAN)).not.toBeNull();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('GAP reaches a volunteer, who answers from their own chat and hands the citizen back to the bot', async () => {
    // The citizen asks; every team is told (no account, so no ward), by SMS in one segment.
    expect(await citizen('GAP tôi không nhận được mã xác thực', 1)).toEqual([vi.opened(1)]);
    const notice = sms(vi.newRequest(1, 'Zalo', 'tôi không nhận được mã xác thực'));
    // (Each volunteer's first SMS was the answer to their TNV.)
    await eventually(() => textsTo(LAN).length === 2 && textsTo(TUAN).length === 2);
    expect(textsTo(LAN).slice(1)).toEqual([notice]);
    expect(textsTo(TUAN).slice(1)).toEqual([notice]);

    // Held: the bot stays quiet; the first message is kept, with one short word.
    expect(await citizen('Tôi đã thử hai lần', 1)).toEqual([vi.kept(1)]);

    // Lan takes it and gets the thread; the citizen is told.
    expect(await volunteer(LAN, 'NHAN 1', 3)).toEqual([
      sms(vi.youHold(1)),
      '[#1] toi khong nhan duoc ma xac thuc',
      '[#1] Toi da thu hai lan',
    ]);
    await eventually(() => zaloTo(CITIZEN).at(-1) === vi.taken(1));

    // Tuan, of another team, cannot have it, and reads nothing of it from now on.
    expect(await volunteer(TUAN, 'NHAN 1', 1)).toEqual([sms(vi.heldBy(1, 'Tổ CNS Hải Châu', '0905***111'))]);

    // They talk.
    expect(await citizen('Số của tôi là 0912345678', 0)).toEqual([]);
    await eventually(() => textsTo(LAN).at(-1) === '[#1] So cua toi la 0912345678');
    expect(await volunteer(LAN, 'Chào bạn, mình gửi lại mã cho bạn nhé', 0)).toEqual([]);
    await eventually(() => zaloTo(CITIZEN).at(-1) === 'Chào bạn, mình gửi lại mã cho bạn nhé');

    // XONG: the citizen is told, and the bot answers them again.
    expect(await volunteer(LAN, 'XONG', 1)).toEqual([sms(vi.closedByYou(1))]);
    await eventually(() => zaloTo(CITIZEN).at(-1) === vi.closedForCitizen(1));
    const [menu] = await citizen('HD', 1);
    expect(menu).toMatch(/^Công dân số Đà Nẵng/);
    // Tuan got the notice and the answer to his NHAN, nothing more.
    expect(textsTo(TUAN)).toHaveLength(3);

    // The admin API lists it closed, with its thread.
    const list = await admin('/api/v1/admin/handoffs?status=closed');
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject([
      { id: 1, status: 'closed', channel: 'zalo-oa', wardCode: null },
    ]);
    const one = await admin('/api/v1/admin/handoffs/1');
    const detail = (await one.json()) as { thread: { author: string; text: string }[] };
    expect(detail.thread.map((m) => [m.author, m.text])).toEqual([
      ['citizen', 'tôi không nhận được mã xác thực'],
      ['citizen', 'Tôi đã thử hai lần'],
      ['bot', vi.kept(1)],
      ['citizen', 'Số của tôi là 0912345678'],
      ['volunteer', 'Chào bạn, mình gửi lại mã cho bạn nhé'],
    ]);
    expect((await admin('/api/v1/admin/handoffs?status=open').then((r) => r.json())) as unknown[]).toEqual(
      [],
    );
    // The team's figures count it as closed by the team.
    const figures = (await admin(`/api/v1/admin/teams/${haiChau}`).then((r) => r.json())) as object;
    expect(figures).toMatchObject({ handoffs: { open: 0, closed: 1 } });

    // Nothing of the thread, nor the phones, in the logs.
    const logs = app.logLines.join('');
    for (const secret of [
      'không nhận được',
      'khong nhan duoc',
      'hai lần',
      '0912345678',
      'mình gửi lại',
      LAN,
      TUAN,
    ])
      expect(logs).not.toContain(secret);
  });

  it('staff answer from the admin API like a volunteer, and close it', async () => {
    const phone = '+84912000999';
    expect(await volunteer(phone, 'GAP', 1)).toEqual([sms(vi.opened(2))]);
    const post = (path: string, body?: object) =>
      fetch(`${app.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const long = `Chào bạn, đây là cán bộ phường. ${'Bạn mang CCCD gắn chip đến bộ phận một cửa của phường. '.repeat(4)}`;

    const answered = await post('/api/v1/admin/handoffs/2/messages', { text: long });
    expect(answered.status).toBe(202);
    expect(await answered.json()).toEqual({ parts: 2 });
    await eventually(() => textsTo(phone).length === 3);
    expect(textsTo(phone).slice(1).join(' ')).toBe(sms(long).trim());

    const closed = await post('/api/v1/admin/handoffs/2/close');
    expect(closed.status).toBe(200);
    expect(await closed.json()).toMatchObject({ id: 2, status: 'closed', phone: '+84******999' });
    await eventually(() => textsTo(phone).at(-1) === sms(vi.closedForCitizen(2)));
    expect((await post('/api/v1/admin/handoffs/2/messages', { text: 'Còn đó không?' })).status).toBe(409);
    expect((await post('/api/v1/admin/handoffs/99/close')).status).toBe(404);
  });
  it('a member removed by the admin API while holding one gives it back at once', async () => {
    const phone = '+84912000888';
    expect(await volunteer(phone, 'GAP giúp tôi với', 1)).toEqual([sms(vi.opened(3))]);
    await eventually(() => textsTo(TUAN).at(-1) === sms(vi.newRequest(3, 'SMS, 0912***888', 'giúp tôi với')));
    expect((await volunteer(LAN, 'NHAN 3', 2))[0]).toBe(sms(vi.youHold(3)));
    await eventually(() => textsTo(phone).at(-1) === sms(vi.taken(3)));
    const team = (await admin(`/api/v1/admin/teams/${haiChau}`).then((r) => r.json())) as {
      members: { id: string; phone: string }[];
    };
    const lan = team.members.find((m) => m.phone === LAN);
    const tuanBefore = textsTo(TUAN).length;

    const removed = await fetch(`${app.baseUrl}/api/v1/admin/teams/${haiChau}/members/${lan?.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });

    expect(removed.status).toBe(204);
    expect(await app.services.handoffs.findById(3)).toMatchObject({ status: 'open', holder: null });
    // The citizen is told another volunteer will take it; the other teams are told again, as of a new one.
    await eventually(() => textsTo(phone).at(-1) === sms(vi.takenAgain(3)));
    await eventually(() => textsTo(TUAN).length === tuanBefore + 1);
    expect(textsTo(TUAN).at(-1)).toBe(sms(vi.newRequest(3, 'SMS, 0912***888', 'giúp tôi với')));
    // Nothing the citizen writes reaches Lan any more, and what Lan writes no longer reaches the citizen.
    const lanBefore = textsTo(LAN).length;
    expect(await volunteer(phone, 'Alo?', 0)).toEqual([]);
    expect(await volunteer(LAN, 'Chào bạn', 1)).toHaveLength(1);
    expect(textsTo(LAN)).toHaveLength(lanBefore + 1);
    expect(textsTo(phone).at(-1)).toBe(sms(vi.takenAgain(3)));
    // Tuan takes it, with the thread so far.
    expect(await volunteer(TUAN, 'NHAN 3', 3)).toEqual([
      sms(vi.youHold(3)),
      '[#3] giup toi voi',
      '[#3] Alo?',
    ]);
    await eventually(() => textsTo(phone).at(-1) === sms(vi.taken(3)));
    const audit = await app.services.db.query<{ actor: string; details: unknown }>(
      "SELECT actor, details FROM audit_log WHERE action = 'handoff_released'",
    );
    expect(audit.rows).toEqual([{ actor: 'staff', details: { handoffId: 3, memberId: lan?.id } }]);
  });
});
