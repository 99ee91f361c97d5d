import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistedCopy } from '../../flows/assisted/assisted.copy.ts';
import { handoffCopy } from '../../flows/handoff/handoff.copy.ts';
import { volunteerCopy } from '../../flows/volunteer/volunteer.copy.ts';
import { findWard } from '../../src/domain/wards/wards.ts';
import { renderSmsText } from '../../src/messaging/sms-render.ts';
import { type FakeSmsGateway, smsGatewayInbound } from '../fakes/fake-sms-gateway-server.ts';
import { signZaloEvent, zaloTextEvent } from '../fakes/fake-zalo-oa-server.ts';
import { AppHarness, SMS_GATEWAY_SECRET, ZALO_OA } from '../support/app-harness.ts';
import { eventually } from '../support/services.ts';

// The whole story of a community team through the real app, as the issue tells it: city staff create a team by
// the admin API; a volunteer joins it by SMS (TNV); she registers a neighbour door to door (DKH), and the account
// is opened only on the neighbour's own CO from her own phone, credited to the team in the admin API and the
// team's figures; then a citizen on Zalo asks for a person (GAP), the volunteer takes it (NHAN), answers from her
// own phone and hands the citizen back to the bot (XONG).

const HAI_CHAU = '20242';
const LAN = '+84905000111';
const NEIGHBOUR = '+84905123456';
const CITIZEN = '3001';
const CODE = /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/;
const sms = (text: string) => renderSmsText({ text }, 'gsm7');

describe('a community team, from its creation to a hand-off, on SMS and Zalo OA', () => {
  let app: AppHarness;
  let n = 0;
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

  /** `phone` texts the short code; resolves the SMS it received once the service is idle again. */
  async function text(phone: string, body: string): Promise<string[]> {
    n += 1;
    const before = textsTo(phone).length;
    const signed = smsGatewayInbound(SMS_GATEWAY_SECRET, { id: `j-${n}`, from: phone, text: body });
    expect((await app.postJson('/webhooks/sms-gateway', signed.body, signed.headers)).status).toBe(200);
    await app.waitForIdle();
    return textsTo(phone).slice(before);
  }
  /**
   * The citizen writes on Zalo; resolves what their chat received once the service is idle again and at least
   * `count` messages reached it.
   */
  async function zalo(body: string, count: number): Promise<string[]> {
    n += 1;
    const before = zaloTo(CITIZEN).length;
    const raw = JSON.stringify(
      zaloTextEvent({
        appId: ZALO_OA.appId,
        oaId: ZALO_OA.oaId,
        userId: CITIZEN,
        msgId: `j${n}`,
        text: body,
      }),
    );
    const response = await app.postJson('/webhooks/zalo', raw, {
      'x-zevent-signature': signZaloEvent(raw, ZALO_OA),
    });
    expect(response.status).toBe(200);
    await app.waitForIdle();
    await eventually(() => zaloTo(CITIZEN).length >= before + count);
    return zaloTo(CITIZEN).slice(before);
  }
  const admin = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await app.admin(method, path, body);
    return { status: response.statusCode, json: response.json() as Record<string, unknown> };
  };

  beforeAll(async () => {
    app = await AppHarness.start({ channels: ['zalo-oa', 'sms-gateway'] });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('recruits by TNV, registers a neighbour by DKH with her consent, and answers a GAP', async () => {
    // City staff create the team of phường Hải Châu.
    const created = await admin('POST', '/api/v1/admin/teams', {
      name: 'Tổ CNS Hải Châu 1',
      wardCode: HAI_CHAU,
    });
    expect(created.status).toBe(201);
    const team = created.json as { id: string; inviteCode: string };
    const ward = findWard(HAI_CHAU)?.name ?? '';

    // Lan joins with the invite code, from her own phone, and leads the team.
    expect(await text(LAN, `TNV ${team.inviteCode}`)).toEqual([
      sms(volunteerCopy.vi.joined('Tổ CNS Hải Châu 1', ward, 'tổ trưởng')),
    ]);

    // Door to door: Lan registers Bà Tâm. Nothing exists until Bà Tâm agrees.
    const [summary] = await text(LAN, 'DKH 0905123456, Pham Thanh Tam, 048143725324, 01/06/1943');
    expect(summary).toMatch(/^Pham Thanh Tam, CCCD 048143725324, NS 01\/06\/1943/);
    expect(await text(LAN, 'CO')).toEqual([sms(assistedCopy.vi.sent('+84******456', 15))]);
    const asked = textsTo(NEIGHBOUR);
    expect(asked).toHaveLength(2);
    expect(asked[1]).toMatch(/^To CNS Hai Chau 1 dang giup ban\. Dong y: tra loi CO/);
    expect(await app.services.citizens.findByPhone(NEIGHBOUR)).toBeNull();

    // Bà Tâm agrees from her own phone: her account is opened and welcomed there; Lan gets its code, then the
    // population registry's result.
    const [welcome] = await text(NEIGHBOUR, 'co');
    const accountCode = CODE.exec(welcome ?? '')?.[0] ?? 'none';
    expect(welcome).toMatch(/^Da mo tai khoan tam thoi/);
    await eventually(() => textsTo(LAN).some((t) => t === sms(assistedCopy.vi.verified(accountCode))));
    expect(textsTo(LAN)).toContain(sms(assistedCopy.vi.opened('+84******456', accountCode)));

    // The account shows the team and the member in the admin look-up, and counts in the team's figures.
    const detail = await admin('GET', `/api/v1/admin/teams/${team.id}`);
    const members = detail.json.members as { id: string; phone: string; role: string }[];
    expect(members).toMatchObject([{ phone: LAN, role: 'leader' }]);
    const lookup = await admin('GET', `/api/v1/admin/citizens?phone=${encodeURIComponent(NEIGHBOUR)}`);
    expect(lookup.json).toMatchObject({
      accountCode,
      status: 'verified',
      registeredBy: { teamId: team.id, memberId: members[0]?.id },
    });
    expect(detail.json.registrations).toEqual({ total: 1, verified: 1, notMatched: 0 });

    // A citizen on Zalo asks for a person; Lan, in the only team, is told by SMS.
    expect(await zalo('GAP tôi quên mã tài khoản', 1)).toEqual([handoffCopy.vi.opened(1)]);
    expect(textsTo(LAN).at(-1)).toBe(sms(handoffCopy.vi.newRequest(1, 'Zalo', 'tôi quên mã tài khoản')));

    // Lan takes it and answers from her phone; the citizen hears her on Zalo, and Lan hears the citizen.
    expect(await text(LAN, 'NHAN 1')).toEqual([sms(handoffCopy.vi.youHold(1)), '[#1] toi quen ma tai khoan']);
    await eventually(() => zaloTo(CITIZEN).at(-1) === handoffCopy.vi.taken(1));
    expect(await text(LAN, 'Chào bác, bác gửi TT để xem mã nhé')).toEqual([]);
    await eventually(() => zaloTo(CITIZEN).at(-1) === 'Chào bác, bác gửi TT để xem mã nhé');
    expect(await zalo('Cảm ơn cháu', 0)).toEqual([]);
    expect(textsTo(LAN).at(-1)).toBe('[#1] Cam on chau');

    // XONG hands the citizen back to the bot.
    expect(await text(LAN, 'XONG')).toEqual([sms(handoffCopy.vi.closedByYou(1))]);
    await eventually(() => zaloTo(CITIZEN).at(-1) === handoffCopy.vi.closedForCitizen(1));
    const [menu] = await zalo('HD', 1);
    expect(menu).toMatch(/^Công dân số Đà Nẵng/);

    // The team's figures count the hand-off Lan closed.
    expect((await admin('GET', `/api/v1/admin/teams/${team.id}`)).json.handoffs).toEqual({
      open: 0,
      closed: 1,
    });
  });
});
